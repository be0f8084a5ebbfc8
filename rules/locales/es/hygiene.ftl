# es: los textos de los artículos de baño y de cuidado personal, en español

rule-HYG-001 =
        Como el empaque de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } ya se abrió, no podemos aceptar la devolución.
    .title = Los artículos de baño y de cuidado personal abiertos no se pueden devolver
    .why = Cuando se abre un artículo de baño o de cuidado personal, ya no lo podemos vender a nadie más. Así, cada cliente recibe el suyo sellado y limpio.
    .offer-supervisor_review = Un supervisor puede revisar su caso y, a veces, puede hacer una excepción de buena voluntad.
    .example-1 = Asiento de inodoro abierto, cambió de opinión
    .example-2 = Regadera usada
    .example-3 = Asiento de inodoro abierto de Beth (solicitud de ejemplo)
