# es: los textos de los ajustes de precio, en español

rule-PRC-004 =
        Compró { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } en liquidación, y los artículos de liquidación no tienen ajustes de precio.
    .title = Los artículos de liquidación no tienen ajustes de precio
    .why = Los precios de liquidación ya son los más bajos, y cambian seguido a medida que se agota el inventario.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-PRC-003 =
        Ya ajustamos una vez el precio de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name }, y cada artículo se puede ajustar solo una vez.
    .title = Cada artículo tiene un solo ajuste de precio
    .why = Un solo ajuste por artículo hace que la promesa sea simple e igual para todos.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-PRC-002 =
        Compró { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } hace { $days_since_purchase }, y los ajustes de precio solo se pueden hacer dentro de los 14 días después de la compra.
    .title = Los ajustes de precio se pueden hacer durante 14 días después de la compra
    .why = Los precios cambian con las temporadas, y 14 días cubren las ofertas que llegan poco después de su compra.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-PRC-005 =
        Hoy, el precio de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } es { $current_price }, que no es menos de lo que pagó. Por eso, no hay una diferencia que reembolsar.
    .title = No hay nada que ajustar si el precio no bajó
    .why = Un ajuste de precio le devuelve la diferencia cuando un precio baja.
    .offer-supervisor_review = Si vio un precio más bajo en alguna parte de nuestro sitio, un supervisor lo puede revisar con usted.

rule-PRC-001 =
        El precio de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } bajó a { $current_price } dentro de los 14 días después de su compra. Por eso, le reembolsaremos la diferencia de { $price_drop } a su forma de pago original.
    .title = Si el precio baja dentro de 14 días, reembolsamos la diferencia una vez por artículo
    .why = Si el precio baja justo después de su compra, no debería perder dinero por comprar antes.

# Los ejemplos resueltos, como los nombra la página de la política

example-clearance-item = Artículo de liquidación
example-second-adjustment-on-the-same-item = Segundo ajuste de precio del mismo artículo
example-price-dropped-20-days-after-purchase = El precio bajó 20 días después de la compra
example-price-went-up-not-down = El precio subió, no bajó
example-price-dropped-8-days-after-purchase = El precio bajó 8 días después de la compra
example-angela-s-price-drop-demo-request = Baja de precio de Angela (solicitud de ejemplo)

example-no-current-price-given-asks-for-it = Sin el precio actual, y lo preguntamos
