# es: los textos de las entregas, en español

rule-DLV-020 = Nuestros registros indican que su pedido ya se entregó, así que no queda nada por cambiar.
    .title = Un pedido entregado no se puede cambiar
    .why = Los cambios solo se pueden hacer en una entrega que todavía no ocurrió.
    .offer-supervisor_review = Si no encuentra su entrega, un supervisor puede averiguar qué pasó con el conductor.

rule-DLV-021 = Su pedido ya se envió, así que no podemos mandarlo a otra dirección.
    .title = La dirección de entrega no se puede cambiar cuando el pedido ya se envió
    .why = Cuando un pedido sale, dejamos fija la dirección para que nadie más pueda desviar su pedido.
    .offer-another_receiver = Una persona de confianza en la dirección original puede recibir el pedido por usted.
    .offer-refuse_delivery = Puede rechazar la entrega. Cuando el pedido nos llegue de vuelta, le devolvemos el dinero, y podrá hacer el pedido otra vez con la nueva dirección.

rule-DLV-022 = Su pedido todavía no se envió, así que aún se puede cambiar la dirección. Primero haremos una verificación rápida para confirmar que es usted.
    .title = La dirección de entrega se puede cambiar antes del envío, con una verificación de identidad
    .why = Confirmar quién lo pide evita que otra persona desvíe su pedido.

rule-DLV-023 = Su pedido ya está en el camión de entrega, así que ahora no podemos cambiar el día ni la hora.
    .title = Nada cambia cuando el camión ya está cargado
    .why = Cada camión se carga en el orden de la ruta, así que un solo cambio retrasaría todas las paradas después de la suya.
    .offer-another_receiver = Otra persona en la dirección puede recibir el pedido por usted.
    .offer-later_date_with_fee = En su lugar, podemos entregar el pedido otro día más adelante, con un cargo de { $redelivery_fee } por nueva entrega.

rule-DLV-024 = Su pedido ya está en la ruta del conductor para el { $scheduled_date }, así que ya no podemos moverlo gratis. Los cambios son gratis solo hasta { $change_cutoff_moment }.
    .title = Los cambios son gratis solo hasta las 6:00 p.m. del día antes de la entrega
    .why = Las rutas se fijan la noche anterior, para que el conductor llegue a cada parada dentro de su horario.
    .offer-another_receiver = Otra persona en la dirección puede recibir el pedido por usted.
    .offer-later_date_with_fee = Podemos llevar el pedido otro día más adelante, con un cargo de { $redelivery_fee } por nueva entrega.

rule-DLV-025 = Entregamos los artículos grandes en tres horarios de 4 horas: de 8:00 a.m. a 12:00 p.m., de 12:00 p.m. a 4:00 p.m. y de 4:00 p.m. a 8:00 p.m. Por eso, no podemos reservar el horario que pidió.
    .title = Las entregas llegan en uno de tres horarios de 4 horas
    .why = Con horarios fijos, cada conductor puede planear una ruta que llegue a tiempo a cada parada.
    .offer-reschedule = En su lugar, puede elegir cualquiera de nuestros tres horarios.

rule-DLV-026 = No podemos mover su entrega al { $new_date }, porque ese día ya empezó.
    .title = Un nuevo día de entrega tiene que ser en el futuro
    .why = Las entregas de cada día se planean la noche anterior.
    .offer-reschedule = Puede elegir un día a partir de mañana.

rule-DLV-028 = Entregamos de lunes a viernes, excepto los días feriados, así que no podemos llevar su pedido el { $new_date }.
    .title = Solo entregamos en días hábiles
    .why = Nuestros conductores y equipos del almacén descansan los fines de semana y los días feriados.
    .offer-reschedule = Puede elegir cualquier día entre semana que no sea feriado.

rule-DLV-001 = No podemos prometer una hora exacta de llegada para la entrega de un artículo grande.
    .title = No podemos prometer una hora exacta de llegada
    .why = Cada casa toma un tiempo distinto. Por eso, un horario de 4 horas es la promesa que podemos cumplir en cada parada.
    .offer-driver_text = Su conductor le va a enviar un mensaje de texto unos 30 minutos antes de llegar, para que tenga tiempo de volver a casa.

rule-DLV-027 = El cambio no tiene costo.
    .title = El día o el horario se pueden cambiar gratis hasta las 6:00 p.m. del día anterior
    .why = Hasta las 6:00 p.m. del día anterior, su entrega todavía no está en la ruta de un conductor, así que es fácil moverla.

rule-DLV-033 = No encontramos un pedido en su mensaje. Por eso, una persona de nuestro equipo lo va a buscar y le va a escribir con sus fechas de entrega.
    .title = Para dar una fecha estimada, necesitamos un pedido que buscar
    .why = Las fechas de entrega dependen de lo que pidió y de dónde se envía.
    .offer-order_lookup = Si tiene a mano su número de pedido, mándenoslo y le respondemos de inmediato.

rule-DLV-030 = Nuestros registros indican que su pedido ya se entregó.
    .title = Un pedido entregado no necesita una fecha estimada
    .why = Marcamos un pedido como entregado cuando el conductor o la empresa de envío nos confirma que lo dejó.
    .offer-report_missing = Si no lo encuentra, responda a este mensaje y lo vamos a investigar.

rule-DLV-031 = Su entrega está programada para el { $scheduled_date }. Los artículos grandes llegan en un horario de 4 horas, y el conductor le envía un mensaje de texto unos 30 minutos antes de llegar.
    .title = Un día de entrega programado va antes que cualquier fecha estimada
    .why = Un día programado es más seguro que cualquier fecha estimada.

rule-DLV-032 = Su pedido debería llegar entre el { $estimate_earliest }, y el { $estimate_latest }.
    .title = Las fechas estimadas de entrega incluyen un poco de tiempo extra
    .why = Le sumamos un poco de tiempo a la fecha que nos da la empresa de transporte. Así, las fechas que le damos son fechas que podemos cumplir.

rule-DLV-010 = Su pedido llegó { $days_late } después de la última fecha que le dimos, así que le reembolsaremos el costo de envío de { $shipping_fee }.
    .title = Reembolsamos el envío cuando un pedido llega después de la última fecha que le dimos
    .why = Cuando no cumplimos la fecha que prometimos, usted no debería pagar el envío.
    .offer-return_item =
        Si también quiere devolver { $item_number ->
            [one] su { $item_name }, puede hacerlo dentro de los 30 días después de la entrega, siempre que siga
           *[other] sus { $item_name }, puede hacerlo dentro de los 30 días después de la entrega, siempre que sigan
        } sin usar.

rule-DLV-011 = Lamentamos que su pedido llegara con { $days_late } de retraso. Pero el envío fue gratis, así que no hay un costo de envío que reembolsar.
    .title = Un pedido con retraso y envío gratis no tiene un costo de envío que reembolsar
    .why = Le devolvemos el costo del envío cada vez que llegamos más tarde de lo que le dijimos.
    .offer-supervisor_review = Un supervisor puede revisar el retraso y, a veces, puede hacer una excepción de buena voluntad.
    .offer-return_item =
        Si también quiere devolver { $item_number ->
            [one] su { $item_name }, puede hacerlo dentro de los 30 días después de la entrega, siempre que siga
           *[other] sus { $item_name }, puede hacerlo dentro de los 30 días después de la entrega, siempre que sigan
        } sin usar.

rule-DLV-012 = Su pedido llegó a tiempo: la última fecha que le dimos era el { $latest_quoted_date }. Por eso, no podemos reembolsar el costo de envío.
    .title = Un pedido que llegó a tiempo no tiene reembolso del envío
    .why = Reembolsamos el envío cuando no cumplimos las fechas que le dimos.
    .offer-return_item =
        Si quiere devolver { $item_number ->
            [one] su { $item_name }, puede hacerlo dentro de los 30 días después de la entrega, siempre que siga
           *[other] sus { $item_name }, puede hacerlo dentro de los 30 días después de la entrega, siempre que sigan
        } sin usar.

# Los ejemplos resueltos, como los nombra la página de la política

example-change-asked-after-the-order-was-delivered = Cambio solicitado cuando el pedido ya se entregó
example-address-change-after-shipping = Cambio de dirección después del envío
example-claire-s-new-address-after-shipping-demo-request = Nueva dirección de Claire después del envío (solicitud de ejemplo)
example-address-change-before-shipping = Cambio de dirección antes del envío
example-window-change-after-the-truck-is-loaded = Cambio de horario cuando el camión ya está cargado
example-loaded-truck-before-the-cutoff-still-can-t-change = Con el camión ya cargado, no hay cambios aunque sea antes de la hora límite
example-rosa-s-change-after-the-truck-is-loaded-demo-request = Cambio de Rosa cuando el camión ya está cargado (solicitud de ejemplo)
example-window-change-after-6-p-m-the-day-before = Cambio de horario después de las 6:00 p.m. del día anterior
example-window-that-isn-t-one-of-ours = Un horario que no es uno de los nuestros
example-new-day-that-is-already-today = Nuevo día de entrega que ya es hoy
example-new-day-on-a-sunday = Nuevo día de entrega en domingo
example-new-day-on-thanksgiving = Nuevo día de entrega en el Día de Acción de Gracias
example-exact-arrival-time-asked = Solicitud de una hora exacta de llegada
example-michelle-s-exact-delivery-time-demo-request = Hora exacta de entrega de Michelle (solicitud de ejemplo)
example-new-window-before-the-cutoff = Nuevo horario antes de la hora límite
example-new-day-before-the-cutoff = Nuevo día de entrega antes de la hora límite
example-shipped-truck-not-loaded-before-the-cutoff-changes-free = Pedido enviado, con el camión sin cargar y antes de la hora límite, se cambia gratis
example-brian-s-morning-window-demo-request = Horario de la mañana de Brian (solicitud de ejemplo)
example-estimate-asked-without-an-order = Solicitud de fecha estimada sin un pedido
example-estimate-asked-for-an-order-already-delivered = Solicitud de fecha estimada para un pedido ya entregado
example-estimate-for-a-booked-delivery = Fecha estimada para una entrega programada
example-estimate-over-thanksgiving-week = Fecha estimada durante la semana del Día de Acción de Gracias
example-paul-s-estimate-over-thanksgiving-demo-request = Fecha estimada de Paul durante el Día de Acción de Gracias (solicitud de ejemplo)
example-late-delivery-shipping-fee-refunded = Entrega con retraso, con reembolso del costo de envío
example-monica-s-late-delivery-demo-request = Entrega con retraso de Monica (solicitud de ejemplo)
example-late-delivery-with-free-shipping = Entrega con retraso y envío gratis
example-arrived-late-claim-for-an-order-that-came-on-time = Reclamo por retraso de un pedido que llegó a tiempo
