# es: los textos de las devoluciones y los reembolsos, en español

rule-RET-010 = Su pedido todavía no sale de nuestro almacén, así que no hay nada que devolver.
    .title = Un pedido que no se ha enviado todavía no se puede devolver
    .why = Una devolución empieza cuando el artículo llega a su casa. Antes de eso, es más sencillo cancelar.
    .offer-cancel_order = En su lugar, puede cancelar el pedido, ya que todavía no se ha enviado.

rule-RET-011 = Su pedido está en camino, así que no podemos empezar una devolución hasta que llegue.
    .title = Un pedido en camino se puede devolver cuando llegue
    .why = El plazo de devolución empieza el día de la entrega, así que esperar no le quita ningún día.
    .offer-refuse_delivery = Puede rechazar la entrega en la puerta. Cuando el pedido nos llegue de vuelta, le devolvemos el dinero.
    .offer-return_after_delivery = O puede aceptar la entrega y empezar una devolución cuando llegue.

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

rule-RET-007 =
        Como ya usó { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, no podemos aceptar la devolución.
    .title = Los artículos usados no se pueden devolver
    .why = Volvemos a vender como nuevos los artículos devueltos, así que tienen que volver sin usar.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-RET-012 =
        Como abrió { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, se aplica un cargo por reposición de { $restocking_fee }, así que le quedarán { $refund_after_fee } para usar en otra compra.
    .title = Los electrónicos abiertos se pueden cambiar dentro de 15 días, menos un cargo por reposición
    .why = Los electrónicos abiertos se tienen que probar y volver a empacar antes de que otra persona los pueda comprar.

rule-RET-008 =
        Como abrió { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, se aplica un cargo por reposición de { $restocking_fee }, así que le reembolsaremos { $refund_after_fee } a su forma de pago original.
    .title = Los electrónicos abiertos se reembolsan dentro de 15 días, menos un cargo por reposición
    .why = Los electrónicos abiertos se tienen que probar y volver a empacar antes de que otra persona los pueda comprar.

rule-RET-009 =
        Los electrónicos abiertos se pueden devolver dentro de los 15 días después de la entrega. { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, así que no podemos aceptar la devolución.
    .title = Los electrónicos abiertos no se pueden devolver después de 15 días
    .why = Los electrónicos pierden valor rápido cuando se abren, por eso tienen un plazo de devolución más corto.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-RET-002 =
        Como miembro Plus, usted tiene 60 días, así que puede recibir un reembolso de { $item_price } por { $item_number ->
            [one] su { $item_name } o cambiar el artículo por otro
           *[other] sus { $item_name } o cambiar los artículos por otros
        }.
    .title = Los miembros Plus pueden devolver artículos sin usar para un reembolso dentro de 60 días
    .why = Los miembros Plus tienen el doble del tiempo normal para decidir.

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

rule-RET-005 =
        { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, después de nuestro plazo de 30 días para reembolsos. Por eso, no podemos devolverle el dinero a su forma de pago original.
    .title = Los reembolsos terminan a los 30 días, pero el crédito de la tienda y los cambios siguen disponibles
    .why = Los reembolsos terminan a los 30 días, pero el crédito de la tienda y los cambios siguen disponibles hasta el día 60.
    .offer-store_credit = Crédito de la tienda por el total de { $item_price }, para usar en lo que quiera de nuestra tienda.
    .offer-exchange = Un cambio por otra talla, otro color u otro artículo.

rule-RET-006 =
        { $item_number ->
            [one] Su { $item_name } llegó
           *[other] Sus { $item_name } llegaron
        } hace { $days_since_delivery }, y las devoluciones terminan 60 días después de la entrega. Por eso, no podemos aceptar la devolución.
    .title = Las devoluciones terminan 60 días después de la entrega
    .why = Después de dos meses en una casa, un artículo ya no se puede vender como nuevo a otra persona.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

# Los ejemplos resueltos, como los nombra la página de la política

example-return-before-the-order-has-shipped = Devolución antes de que se envíe el pedido
example-return-while-the-order-is-on-its-way = Devolución mientras el pedido está en camino
example-damaged-lamp-sent-back-as-a-change-of-mind-goes-to-a-person = Una lámpara con daños devuelta por cambio de opinión pasa a una persona del equipo
example-used-dining-chairs-on-day-10 = Sillas de comedor usadas el día 10
example-exchange-of-an-opened-tablet-on-day-10-keeps-the-restocking = El cambio de una tableta abierta el día 10 mantiene el cargo por reposición
example-store-credit-for-an-opened-tablet-on-day-10-keeps-the-restoc = El crédito de la tienda por una tableta abierta el día 10 mantiene el cargo por reposición
example-plus-member-s-opened-tablet-exchange-on-day-10-keeps-the-fee = El cambio de una tableta abierta de un miembro Plus el día 10 mantiene el cargo
example-opened-air-purifier-on-day-9-is-refunded-less-the-fee = Un purificador de aire abierto se reembolsa el día 9, menos el cargo
example-aisha-s-opened-air-purifier-demo-request = Purificador de aire abierto de Aisha (solicitud de ejemplo)
example-opened-speakers-on-day-20 = Bocinas abiertas el día 20
example-opened-tablet-exchange-on-day-20-is-past-the-electronics-win = El cambio de una tableta abierta el día 20 ya está fuera del plazo para electrónicos
example-plus-member-returns-a-duvet-for-a-refund-on-day-45 = Un miembro Plus devuelve un edredón para un reembolso el día 45
example-priya-s-plus-member-refund-on-day-45-demo-request = Reembolso de Priya como miembro Plus el día 45 (solicitud de ejemplo)
example-sealed-toilet-seat-follows-the-normal-window = Un asiento de inodoro sellado sigue el plazo normal
example-victor-s-sealed-towel-set-demo-request = Juego de toallas sellado de Victor (solicitud de ejemplo)
example-unused-lamp-returned-on-day-20 = Lámpara sin usar devuelta el día 20
example-sealed-towel-set-returned-on-day-10 = Juego de toallas sellado devuelto el día 10
example-exchange-of-an-opened-but-unused-mirror-on-day-12 = Cambio de un espejo abierto pero sin usar el día 12
example-sealed-speakers-on-day-20-follow-the-normal-window = Unas bocinas selladas el día 20 siguen el plazo normal
example-maria-s-lamp-on-day-20-demo-request = Lámpara de Maria el día 20 (solicitud de ejemplo)
example-store-credit-for-an-unused-vase-on-day-45 = Crédito de la tienda por un florero sin usar el día 45
example-exchange-request-for-a-lamp-on-day-50 = Solicitud de cambio de una lámpara el día 50
example-daniel-s-store-credit-on-day-45-demo-request = Crédito de la tienda de Daniel el día 45 (solicitud de ejemplo)
example-refund-asked-for-a-lamp-on-day-45 = Solicitud de reembolso de una lámpara el día 45
example-emily-s-refund-request-on-day-45-demo-request = Solicitud de reembolso de Emily el día 45 (solicitud de ejemplo)
example-return-of-a-mirror-on-day-90 = Devolución de un espejo el día 90
example-plus-member-on-day-90-gets-nothing-beyond-review = Un miembro Plus el día 90 solo puede recibir la revisión de un supervisor
example-a-return-that-gives-no-reason-is-asked-for-one = Una devolución sin motivo, y preguntamos cuál es
example-day-45-return-without-saying-refund-or-credit-asks-which = Devolución el día 45 sin decir si quiere reembolso o crédito, y preguntamos cuál
example-lamp-with-no-condition-given-asks-whether-it-was-used = Lámpara sin decir su estado, y preguntamos si se usó
example-day-31-return-with-no-resolution-asks-what-the-customer-want = Devolución el día 31 sin decir qué quiere, y preguntamos

example-grace-s-lamp-and-opened-toilet-seat-together-demo-request = Lámpara y asiento de inodoro abierto de Grace, juntos (solicitud de ejemplo)
