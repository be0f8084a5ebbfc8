# es: los textos de las devoluciones y los reembolsos, en español

rule-RET-010 = Su pedido todavía no sale de nuestro almacén, así que no hay nada que devolver.
    .title = Un pedido que no se ha enviado todavía no se puede devolver
    .why = Una devolución empieza cuando el artículo llega a su casa. Antes de eso, es más sencillo cancelar.
    .offer-cancel_order = En su lugar, puede cancelar el pedido, ya que todavía no se ha enviado.
    .example-1 = Devolución antes de que se envíe el pedido

rule-RET-011 = Su pedido está en camino, así que no podemos empezar una devolución hasta que llegue.
    .title = Un pedido en camino se puede devolver cuando llegue
    .why = El plazo de devolución empieza el día de la entrega, así que esperar no le quita ningún día.
    .offer-refuse_delivery = Puede rechazar la entrega en la puerta. Cuando el pedido nos llegue de vuelta, le devolvemos el dinero.
    .offer-return_after_delivery = O puede aceptar la entrega y empezar una devolución cuando llegue.
    .example-1 = Devolución mientras el pedido está en camino

rule-RET-013 =
        Nos dijo que { $item_number ->
            [one] su { $item_name } tiene daños, así que una persona de nuestro equipo necesita ver el artículo
           *[other] sus { $item_name } tienen daños, así que una persona de nuestro equipo necesita ver los artículos
        } antes de decirle qué le podemos ofrecer.
    .title = Una persona revisa un artículo con daños que se devuelve por otro motivo
    .why = Aceptamos artículos sin usar y como nuevos. Por eso, uno con daños necesita una revisión más de cerca, para darle una respuesta justa.
    .offer-send_photos = Unas fotos de los daños nos ayudarán a responderle rápido.
    .offer-report_shipping_damage =
        Si { $item_number ->
            [one] ya tenía daños cuando llegó
           *[other] ya tenían daños cuando llegaron
        }, avísenos, porque eso cambia lo que podemos hacer.
    .example-1 = Una lámpara con daños devuelta por cambio de opinión pasa a una persona del equipo

rule-RET-007 =
        Como ya usó { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, no podemos aceptar la devolución.
    .title = Los artículos usados no se pueden devolver
    .why = Volvemos a vender como nuevos los artículos devueltos, así que tienen que volver sin usar.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.
    .example-1 = Sillas de comedor usadas el día 10

rule-RET-012 =
        Como abrió { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, se aplica un cargo por reposición de { $restocking_fee }, así que le quedarán { $refund_after_fee } para usar en otra compra.
    .title = Los electrónicos abiertos se pueden cambiar dentro de 15 días, menos un cargo por reposición
    .why = Los electrónicos abiertos se tienen que probar y volver a empacar antes de que otra persona los pueda comprar.
    .example-1 = El cambio de una tableta abierta el día 10 mantiene el cargo por reposición
    .example-2 = El crédito de la tienda por una tableta abierta el día 10 mantiene el cargo por reposición
    .example-3 = El cambio de una tableta abierta de un miembro Plus el día 10 mantiene el cargo

rule-RET-008 =
        Como abrió { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, se aplica un cargo por reposición de { $restocking_fee }, así que le reembolsaremos { $refund_after_fee } a su forma de pago original.
    .title = Los electrónicos abiertos se reembolsan dentro de 15 días, menos un cargo por reposición
    .why = Los electrónicos abiertos se tienen que probar y volver a empacar antes de que otra persona los pueda comprar.
    .example-1 = Un purificador de aire abierto se reembolsa el día 9, menos el cargo
    .example-2 = Purificador de aire abierto de Aisha (solicitud de ejemplo)

rule-RET-009 =
        Los electrónicos abiertos se pueden devolver dentro de los 15 días después de la entrega. { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, así que no podemos aceptar la devolución.
    .title = Los electrónicos abiertos no se pueden devolver después de 15 días
    .why = Los electrónicos pierden valor rápido cuando se abren, por eso tienen un plazo de devolución más corto.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.
    .example-1 = Bocinas abiertas el día 20
    .example-2 = El cambio de una tableta abierta el día 20 ya está fuera del plazo para electrónicos

rule-RET-002 =
        Como miembro Plus, usted tiene 60 días, así que puede recibir un reembolso de { $item_price } por { $item_number ->
            [one] su { $item_name } o cambiar el artículo por otro
           *[other] sus { $item_name } o cambiar los artículos por otros
        }.
    .title = Los miembros Plus pueden devolver artículos sin usar para un reembolso dentro de 60 días
    .why = Los miembros Plus tienen el doble del tiempo normal para decidir.
    .example-1 = Un miembro Plus devuelve un edredón para un reembolso el día 45
    .example-2 = Reembolso de Priya como miembro Plus el día 45 (solicitud de ejemplo)

rule-RET-001 =
        { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, dentro de nuestro plazo de 30 días, así que puede recibir un reembolso de { $item_price } o cambiar { $item_number ->
            [one] el artículo por otro
           *[other] los artículos por otros
        }.
    .title = Los artículos sin usar se pueden devolver para un reembolso dentro de 30 días
    .why = Treinta días le dan tiempo de probar el artículo en casa antes de decidir.
    .example-1 = Un asiento de inodoro sellado sigue el plazo normal
    .example-2 = Juego de toallas sellado de Victor (solicitud de ejemplo)
    .example-3 = Lámpara sin usar devuelta el día 20
    .example-4 = Juego de toallas sellado devuelto el día 10
    .example-5 = Cambio de un espejo abierto pero sin usar el día 12
    .example-6 = Unas bocinas selladas el día 20 siguen el plazo normal
    .example-7 = Lámpara de Maria el día 20 (solicitud de ejemplo)

rule-RET-003 =
        { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, todavía dentro de los 60 días, así que { $exchange_asked ->
            [true] podemos cambiar { $item_number ->
                [one] el artículo por otro
               *[other] los artículos por otros
            }.
           *[false] puede recibir { $item_price } en crédito de la tienda o cambiar { $item_number ->
                [one] el artículo por otro
               *[other] los artículos por otros
            }.
        }
    .title = El crédito de la tienda y los cambios siguen disponibles del día 31 al día 60
    .why =
        { $exchange_asked ->
            [true] Los cambios siguen disponibles hasta 60 días después de la entrega.
           *[false] Después de 30 días ya no se puede hacer un reembolso, pero el crédito de la tienda y los cambios siguen disponibles hasta el día 60.
        }
    .example-1 = Crédito de la tienda por un florero sin usar el día 45
    .example-2 = Solicitud de cambio de una lámpara el día 50
    .example-3 = Crédito de la tienda de Daniel el día 45 (solicitud de ejemplo)

rule-RET-005 =
        { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, después de nuestro plazo de 30 días para reembolsos. Por eso, no podemos devolverle el dinero a su forma de pago original.
    .title = Los reembolsos terminan a los 30 días, pero el crédito de la tienda y los cambios siguen disponibles
    .why = Los reembolsos terminan a los 30 días, pero el crédito de la tienda y los cambios siguen disponibles hasta el día 60.
    .offer-store_credit = Crédito de la tienda por el total de { $item_price }, para usar en lo que quiera de nuestra tienda.
    .offer-exchange = Un cambio por otra talla, otro color u otro artículo.
    .example-1 = Solicitud de reembolso de una lámpara el día 45
    .example-2 = Solicitud de reembolso de Emily el día 45 (solicitud de ejemplo)

rule-RET-006 =
        { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, y las devoluciones terminan 60 días después de la entrega. Por eso, no podemos aceptar la devolución.
    .title = Las devoluciones terminan 60 días después de la entrega
    .why = Después de dos meses en una casa, un artículo ya no se puede vender como nuevo a otra persona.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.
    .example-1 = Devolución de un espejo el día 90
    .example-2 = Un miembro Plus el día 90 solo puede recibir la revisión de un supervisor
