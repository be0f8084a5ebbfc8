# es: las frases que unen las partes de una respuesta, en español

granted = Buenas noticias: podemos hacer esto por usted.

granted-return = Buenas noticias: sí puede devolver esto.

granted-exchange = Buenas noticias: podemos hacer este cambio por usted.

granted-cancel = Todo listo: la cancelación está hecha.

granted-change_delivery =
            { $address_change_requested ->
                [true] Buenas noticias: podemos hacer ese cambio en su entrega.
               *[false] { $new_window_known ->
                    [true] Buenas noticias: ahora su entrega llega el { $new_delivery_day }, de { $new_window_start } a { $new_window_end }.
                   *[false] Buenas noticias: ahora su entrega llega el { $new_delivery_day }.
                }
            }

granted-price_adjustment = Buenas noticias: podemos ajustar el precio.

granted-delivery_estimate = Le contamos cuándo puede llegar su pedido.


partial = Podemos hacer una parte de lo que pidió.

partial-return = Podemos aceptar la devolución, pero no le podemos dar todo el dinero de vuelta.

partial-exchange = Podemos hacer este cambio, pero no por el precio completo.

partial-cancel = Podemos cancelar esto, pero no le podemos dar todo el dinero de vuelta.

partial-change_delivery = Podemos hacer una parte de ese cambio en su entrega.

partial-price_adjustment = Podemos ajustar una parte del precio.

partial-mixed = Podemos hacer algo de lo que pidió, pero no todo.

partial-mixed-return = Podemos aceptar de vuelta algunos de estos artículos, pero no todos.

partial-mixed-exchange = Podemos cambiar algunos de estos artículos, pero no todos.

partial-mixed-price_adjustment = Podemos ajustar el precio de algunos de estos artículos, pero no de todos.

denied = No podemos hacer esto.

denied-return = No le podemos aceptar esta devolución.

denied-exchange = No podemos cambiar este artículo.

denied-cancel = No podemos cancelar esto por ahora.

denied-change_delivery = No podemos hacer este cambio en su entrega.

denied-price_adjustment = No podemos ajustar el precio de este pedido.

denied-delivery_estimate = Aún no le podemos dar una fecha de entrega.

escalate-return =
            Pasé su solicitud de devolución a { $escalation_contact },
            que la va a revisar y le va a responder.

escalate-cancel =
            Pasé su solicitud de cancelación a { $escalation_contact },
            que la va a revisar y le va a responder.

escalate-change_delivery =
            Pasé su solicitud de cambio de entrega a { $escalation_contact },
            que la va a revisar y le va a responder.

apology = Lamento lo que pasó.

apology-granted = Lamento lo que pasó y lo vamos a solucionar.

apology-partial = Lamento lo que pasó y vamos a solucionar lo que podamos.

needs-info = antes de darle una respuesta, necesito saber algo.

needs-info-chat = tengo una pregunta rápida antes de darle una respuesta.

needs-info-next = Cuando lo sepa, le podré dar una respuesta completa.

offers-denied = Esto es lo que sí podemos hacer:

offers-partial = También le podemos ofrecer esto:

offers-granted = Si le sirve, también le podemos ofrecer esto:

offers-granted-cancel = No tiene que hacer nada más. Si algún día le sirve, también ofrecemos esto:

offers-escalate = Mientras tanto, esto es lo que podemos hacer:

offers-needs_info = Mientras tanto, esto es lo que podemos hacer:

no-offers = Si cree que se nos pasó algo, solo responda y lo vamos a revisar otra vez.

policy-link-general = Puede leer toda nuestra política aquí:

agent-may-approve =
            Puede ofrecer la revisión de un supervisor; el supervisor puede aprobar un gesto de buena voluntad
            de hasta { $limit }.

kind-return = devoluciones

kind-exchange = cambios

kind-cancel = cancelaciones

kind-change_delivery = cambios de entrega

kind-delivery_estimate = fechas estimadas de entrega

kind-price_adjustment = ajustes de precio
