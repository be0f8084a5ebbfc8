# es: los nombres de los datos y las preguntas al cliente, en español

fact-request_kind = lo que pidió

fact-request_subject = de qué trata su solicitud

fact-reason = motivo de la solicitud
    .question =
        ¿Por qué nos devuelve { $item_number ->
            [one] su { $item_name }: cambió de opinión, tiene un defecto, se dañó en el envío, no es lo que pidió o llegó tarde?
           *[other] sus { $item_name }: cambió de opinión, tienen un defecto, se dañaron en el envío, no son lo que pidió o llegaron tarde?
        }

fact-resolution = lo que prefiere en su lugar
    .question =
        ¿Qué le gustaría que hagamos con { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }?

fact-customer_tier = su nivel de membresía

fact-order_status = dónde está su pedido

fact-order_shipped = si su pedido ya se envió

fact-delivered = si su pedido ya se entregó

fact-order_has_custom_item = si su pedido incluye un artículo hecho a la medida

fact-custom_deposit = depósito de los artículos hechos a la medida

fact-order_total = total del pedido

fact-custom_refund = reembolso después del depósito de los artículos hechos a la medida

fact-hours_since_order = horas desde que hizo el pedido

fact-days_since_purchase = días desde su compra

fact-days_since_delivery = días desde que llegó su pedido
    .question = ¿Qué día llegó su pedido?

fact-item_name = artículo

fact-item_number = si es un solo artículo o varios

fact-item_category = categoría del artículo

fact-item_price = precio que pagó

fact-item_condition = estado del artículo
    .question =
        ¿Nos puede decir el estado de { $item_number ->
            [one] su { $item_name }: sigue sin abrir, se abrió pero no se usó, se usó o tiene daños?
           *[other] sus { $item_name }: siguen sin abrir, se abrieron pero no se usaron, se usaron o tienen daños?
        }

fact-item_opened = si el artículo ya se abrió
    .question =
        ¿Ya sacó { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } del empaque sellado?

fact-item_used = si el artículo ya se usó
    .question =
        ¿Ya usó { $item_number ->
            [one] su { $item_name }, o sigue
           *[other] sus { $item_name }, o siguen
        } sin usar?

fact-item_hygiene = si es un artículo de baño o de cuidado personal

fact-item_custom_made = si el artículo se hizo a la medida

fact-item_clearance = si el artículo se compró en liquidación

fact-item_final_sale = si el artículo era de venta final

fact-item_price_adjusted = si el artículo ya tuvo un ajuste de precio

fact-restocking_fee = cargo por reposición

fact-refund_after_fee = reembolso después del cargo por reposición

fact-goodwill_limit = lo máximo que puede aprobar un supervisor

fact-current_price = precio de hoy
    .question =
        ¿Qué precio { $item_number ->
            [one] tiene hoy su
           *[other] tienen hoy sus
        } { $item_name } en nuestro sitio web?

fact-price_drop = diferencia de precio
    .question =
        ¿Qué precio { $item_number ->
            [one] tiene hoy su
           *[other] tienen hoy sus
        } { $item_name } en nuestro sitio web?

fact-scheduled_date = su día de entrega

fact-truck_loaded = si el camión de entrega ya se cargó

fact-before_change_cutoff = si es antes de las 6:00 p.m. del día antes de la entrega

fact-exact_time_requested = si pidió una hora exacta de llegada

fact-days_until_delivery = días hasta su entrega

fact-new_window_requested = si pidió otro horario de entrega

fact-new_window_standard = si el horario que pidió es uno de nuestros horarios de entrega

fact-new_date_requested = si pidió otro día de entrega

fact-new_date = el nuevo día de entrega que pidió

fact-new_delivery_day = el día en que llega su entrega

fact-new_window_start = cuándo empieza su nuevo horario de entrega

fact-new_window_end = cuándo termina su nuevo horario de entrega

fact-new_window_known = si sabemos en qué horario llega su entrega

fact-change_cutoff_moment = cuándo terminan los cambios gratis

fact-new_date_business_day = si el nuevo día de entrega es uno de nuestros días de entrega

fact-days_until_new_date = días hasta el nuevo día de entrega

fact-address_change_requested = si pidió cambiar la dirección de entrega

fact-redelivery_fee = cargo por nueva entrega

fact-shipping_fee = costo de envío que pagó

fact-latest_quoted_date = el último día de entrega que le dimos

fact-days_late = días de retraso de su pedido

fact-estimate_min_days = mínimo de días hábiles para la entrega

fact-estimate_earliest = primer día de entrega esperado

fact-estimate_max_days = máximo de días hábiles para la entrega

fact-estimate_latest = último día de entrega esperado

fact-subscription_type = tipo de plan

fact-subscription_plan = plan

fact-billing_period_end = fin de su período de facturación actual

fact-sessions_remaining = sesiones sin usar

fact-unused_sessions_refund = reembolso de las sesiones sin usar

fact-exchange_asked = si usted pidió un cambio
