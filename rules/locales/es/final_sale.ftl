# es: los textos de la venta final, la liquidación y los artículos a la medida, en español

rule-FIN-003 =
        Como compró { $item_number ->
            [one] su { $item_name } en liquidación, no podemos aceptar la devolución, salvo que tenga un defecto, haya llegado con daños o no sea
           *[other] sus { $item_name } en liquidación, no podemos aceptar la devolución, salvo que tengan un defecto, hayan llegado con daños o no sean
        } lo que pidió.
    .title = Los artículos de liquidación no se pueden devolver
    .why = Los artículos de liquidación son los últimos de su línea, con precios para agotarlos. Por eso, no podemos volver a vender uno que se devuelva.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-FIN-001 =
        { $item_number ->
            [one] Su { $item_name } era de venta final, así que no podemos aceptar la devolución, salvo que tenga un defecto, haya llegado con daños o no sea
           *[other] Sus { $item_name } eran de venta final, así que no podemos aceptar la devolución, salvo que tengan un defecto, hayan llegado con daños o no sean
        } lo que pidió.
    .title = Los artículos de venta final no se pueden devolver
    .why = Bajamos estos precios al máximo para agotar el inventario. Por eso, no tenemos margen para aceptar un artículo de vuelta y venderlo otra vez.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

rule-FIN-002 =
        Hicimos { $item_number ->
            [one] su { $item_name } a la medida, solo para usted, así que no podemos aceptar la devolución, salvo que tenga un defecto, haya llegado con daños o no sea
           *[other] sus { $item_name } a la medida, solo para usted, así que no podemos aceptar la devolución, salvo que tengan un defecto, hayan llegado con daños o no sean
        } lo que pidió.
    .title = Los artículos hechos a la medida no se pueden devolver
    .why = Una pieza hecha con sus medidas y a su gusto no se puede vender a otra persona.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

# Los ejemplos resueltos, como los nombra la página de la política

example-clearance-side-table-changed-mind = Mesa auxiliar de liquidación, cambió de opinión
example-clearance-rug-changed-mind = Tapete de liquidación, cambió de opinión
example-final-sale-rug-changed-mind = Tapete de venta final, cambió de opinión
example-isabel-s-final-sale-rug-demo-request = Tapete de venta final de Isabel (solicitud de ejemplo)
example-custom-sofa-changed-mind = Sofá hecho a la medida, cambió de opinión
example-fatima-s-custom-sofa-demo-request = Sofá hecho a la medida de Fatima (solicitud de ejemplo)

example-final-sale-rug-with-no-reason-asks-why = Un tapete de venta final sin motivo, y preguntamos por qué
