# es: los textos de los artículos de baño y de cuidado personal, en español

rule-HYG-001 =
        Como el empaque de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } ya se abrió, no podemos aceptar la devolución.
    .title = Los artículos de baño y de cuidado personal abiertos no se pueden devolver
    .why = Cuando se abre un artículo de baño o de cuidado personal, ya no lo podemos vender a nadie más. Así, cada cliente recibe el suyo sellado y limpio.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.

# Los ejemplos resueltos, como los nombra la página de la política

example-opened-toilet-seat-changed-mind = Asiento de inodoro abierto, cambió de opinión
example-used-shower-head = Regadera usada
example-beth-s-opened-toilet-seat-demo-request = Asiento de inodoro abierto de Beth (solicitud de ejemplo)
example-toilet-seat-return-that-doesn-t-say-whether-it-was-opened = Devolución de un asiento de inodoro sin decir si se abrió
example-linda-s-toilet-seat-opened-or-not-unknown-demo-request = Asiento de inodoro de Linda, sin saber si se abrió (solicitud de ejemplo)
