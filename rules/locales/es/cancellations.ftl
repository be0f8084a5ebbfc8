# es: los textos de las cancelaciones de pedidos, en español

rule-CAN-010 = Su pedido ya estaba cancelado, así que no tiene que hacer nada más.
    .title = Un pedido que ya se canceló sigue cancelado
    .why = Un pedido cancelado no vuelve atrás: no hay más cargos ni entregas.

rule-CAN-007 = Su pedido ya se entregó, así que ya no se puede cancelar.
    .title = Un pedido entregado no se puede cancelar, pero sí se puede devolver
    .why = Cuando el pedido ya está en su casa, la forma de enviarlo de vuelta es una devolución.
    .offer-return_after_delivery = En su lugar, puede empezar una devolución: los artículos sin usar se pueden devolver dentro de los 30 días después de la entrega.

rule-CAN-006 = Su pieza hecha a la medida ya se envió, así que ya no se puede cancelar el pedido.
    .title = Un artículo hecho a la medida que ya se envió no se puede cancelar
    .why = Una pieza hecha a la medida ya está terminada y en camino, y no se puede vender a otra persona.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-CAN-005 = Su pedido ya se envió, así que ahora no podemos detenerlo.
    .title = Un pedido enviado se puede rechazar o devolver, pero no cancelar
    .why = Cuando un pedido sale de nuestro almacén, ya va con el conductor o la empresa de transporte, y no lo podemos hacer volver.
    .offer-refuse_delivery = Puede rechazar la entrega en la puerta. Cuando el pedido nos llegue de vuelta, le devolvemos el dinero.
    .offer-return_after_delivery = O puede aceptar la entrega y empezar una devolución cuando llegue.

rule-CAN-002 = Cancelamos su pedido sin costo, porque pidió su pieza hecha a la medida hace menos de 24 horas. Su reembolso vuelve a su forma de pago original.
    .title = Los artículos hechos a la medida se cancelan gratis durante 24 horas
    .why = Todos merecen un día para cambiar de opinión sobre una decisión importante.

rule-CAN-003 = Su pedido está cancelado. Como ya habíamos empezado a hacer su pieza, nos quedamos con el depósito de { $custom_deposit } y le reembolsamos { $custom_refund } a su forma de pago original.
    .title = Si ya empezamos a hacer un artículo a la medida, nos quedamos con un depósito del 25%
    .why = Cuando ya cortamos los materiales de una pieza hecha a la medida, no los podemos usar para nadie más.

rule-CAN-001 = Su pedido está cancelado, y su reembolso vuelve a su forma de pago original.
    .title = Los pedidos se cancelan gratis hasta que se envían
    .why = Hasta que un pedido sale de nuestro almacén, cancelarlo es gratis.

# Los ejemplos resueltos, como los nombra la página de la política

example-cancel-an-order-that-is-already-cancelled = Cancelar un pedido que ya está cancelado
example-cancel-after-delivery = Cancelar después de la entrega
example-cancel-a-shipped-custom-sofa = Cancelar un sofá hecho a la medida que ya se envió
example-cancel-after-shipping = Cancelar después del envío
example-ian-s-cancellation-after-shipping-demo-request = Cancelación de Ian después del envío (solicitud de ejemplo)
example-cancel-a-custom-sofa-within-24-hours = Cancelar un sofá hecho a la medida dentro de 24 horas
example-cancel-a-custom-sofa-in-production = Cancelar un sofá hecho a la medida en fabricación
example-bruno-s-custom-sofa-in-production-demo-request = Sofá hecho a la medida de Bruno en fabricación (solicitud de ejemplo)
example-cancel-before-shipping = Cancelar antes del envío
example-cancel-a-custom-sofa-after-24-hours-not-started-yet = Cancelar un sofá hecho a la medida después de 24 horas, antes de empezar a hacerlo
example-adam-s-cancellation-before-shipping-demo-request = Cancelación de Adam antes del envío (solicitud de ejemplo)
