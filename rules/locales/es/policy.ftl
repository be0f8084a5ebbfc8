# es: los textos de la política de la tienda, en español

store-default = Su solicitud no encaja en nuestras respuestas de siempre. Por eso, una persona de nuestro equipo la va a revisar y le va a escribir.

store-fallback = Un supervisor de atención al cliente puede revisar su caso otra vez. Puede ofrecerle hasta { $goodwill_limit } como gesto de buena voluntad.

store-escalation = un supervisor de atención al cliente

section-returns = Devoluciones y reembolsos
    .summary = La mayoría de los artículos sin usar se pueden devolver para un reembolso dentro de los 30 días después de la entrega (60 días para los miembros Plus). Para crédito de la tienda o un cambio, el plazo es de hasta 60 días.

section-hygiene = Artículos de baño y de cuidado personal
    .summary = Los asientos de inodoro, las piezas de ducha, los textiles de baño y los artículos de cuidado personal solo se pueden devolver si siguen sellados. Así cuidamos la salud del próximo cliente.

section-final-sale = Venta final, liquidación y artículos hechos a la medida
    .summary = Los artículos de venta final, de liquidación y hechos a la medida no se pueden devolver, salvo que tengan un defecto, lleguen con daños del envío o no sean lo que pidió.

section-defects = Artículos con defectos, con daños o equivocados
    .summary = Todo lo que vendemos tiene una garantía de 1 año. Si un artículo llega con daños o no es lo que pidió, avísenos dentro de 7 días y le enviaremos otro o le devolveremos el dinero. Después de ese plazo, aún puede devolverlo dentro de su plazo de devolución, y nosotros pagamos el envío de la devolución.

section-delivery = Entregas
    .summary = Entregamos de lunes a viernes, excepto los días feriados. Los artículos grandes llegan en un horario de 4 horas. Los cambios son gratis hasta las 6:00 p.m. del día antes de la entrega (nunca cuando el camión ya está cargado). Y le damos fechas de entrega que sabemos que podemos cumplir.

section-cancellations = Cancelación de pedidos
    .summary = Puede cancelar un pedido sin costo hasta que se envíe. Los artículos hechos a la medida se pueden cancelar gratis durante 24 horas, y cuando empezamos a fabricarlos, nos quedamos con un depósito del 25%.

section-memberships = Membresías y planes de sesiones
    .summary = Puede cancelar las membresías y los planes de sesiones prepagados en cualquier momento, sin ningún cargo. Terminan al final del período de facturación actual, y le reembolsamos las sesiones que no usó.

section-price-adjustment = Ajustes de precio
    .summary = Si el precio de un artículo baja dentro de los 14 días después de su compra, le reembolsamos la diferencia una vez por artículo (excepto los artículos de liquidación).

section-escalation = Revisión de un supervisor
    .summary = Cuando nuestra política no le puede dar lo que pidió, un supervisor de atención al cliente puede revisar su caso. El supervisor puede aprobar una excepción de buena voluntad, dentro de ciertos límites.

alternative-refund = un reembolso

alternative-cancel_order = cancelar el pedido

alternative-replacement = un reemplazo

alternative-repair = una reparación

alternative-exchange = un cambio

alternative-store_credit = crédito de la tienda

alternative-partial_refund = un reembolso parcial

alternative-reschedule = otra fecha de entrega

alternative-another_window = otro horario de entrega

alternative-another_date = otro día de entrega

alternative-later_date_with_fee = recibir el pedido otro día, con un cargo

alternative-price_adjustment = un ajuste de precio

alternative-driver_text = un mensaje de texto del conductor antes de llegar

alternative-order_lookup = buscar su pedido

alternative-report_missing = investigar una entrega que no encuentra

alternative-return_item = la devolución del artículo

alternative-send_photos = enviarnos fotos

alternative-report_shipping_damage = avisarnos de daños del envío

alternative-keep_membership = conservar su membresía

alternative-another_receiver = dejar que otra persona reciba el pedido

alternative-refuse_delivery = rechazar la entrega

alternative-return_after_delivery = hacer una devolución cuando llegue el pedido

alternative-supervisor_review = la revisión de su caso por un supervisor de atención al cliente

unit-sessions =
    .one = sesión
    .other = sesiones

search-resolution =
    .lead = En su lugar, puede elegir { $value }.
    .lead-unasked = Puede elegir { $value }.

search-details_new_window =
    .lead = Podemos entregar de { $start } a { $end }, si le conviene.

search-details_new_date =
    .lead = Podemos entregar el { $value }, si le conviene.
