# es: los textos de los artículos con defectos, con daños o equivocados, en español

rule-DEF-001 =
        Le enviamos un reemplazo de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } o le devolvemos { $item_price }, como prefiera, y el envío de vuelta lo pagamos nosotros.
    .title = Los artículos dañados en el envío se reemplazan o se reembolsan si nos avisa dentro de 7 días
    .why = Cuando algo se rompe de camino a su casa, arreglarlo es nuestro trabajo, no el suyo.
    .example-1 = Espejo que llegó agrietado, reportado el día 3
    .example-2 = Espejo agrietado de Jasmine (solicitud de ejemplo)
    .example-3 = Un tapete de liquidación dañado en el envío sigue cubierto

rule-DEF-002 =
        Le enviamos { $item_number ->
            [one] el artículo correcto
           *[other] los artículos correctos
        } ({ $item_name }) o le devolvemos { $item_price }, como prefiera, y el envío de vuelta lo pagamos nosotros.
    .title = Un artículo equivocado se reemplaza o se reembolsa si nos avisa dentro de 7 días
    .why = El error fue nuestro, así que corregirlo no le debería costar nada.
    .example-1 = Lámpara equivocada enviada, reportada el día 5
    .example-2 = Lámpara equivocada de Ethan (solicitud de ejemplo)

rule-DEF-003 =
        Podemos reparar { $item_number ->
            [one] su { $item_name }, cambiar el artículo por otro
           *[other] sus { $item_name }, cambiar los artículos por otros
        } o devolverle { $item_price }, porque { $item_number ->
            [one] sigue
           *[other] siguen
        } dentro de nuestra garantía de 1 año.
    .title = Los artículos con defectos tienen la garantía de 1 año
    .why = Respaldamos todo lo que vendemos durante un año completo.
    .example-1 = Cajón de la cómoda que se rompió el día 200
    .example-2 = Cajón roto de la cómoda de Olivia (solicitud de ejemplo)
    .example-3 = Una mesa auxiliar de liquidación con un defecto está cubierta
    .example-4 = Una regadera abierta con un defecto sigue cubierta

rule-DEF-004 =
        Nuestra garantía cubre los defectos durante 1 año después de la entrega. { $item_number ->
            [one] Su { $item_name } llegó hace { $days_since_delivery }, así que ya no tiene
           *[other] Sus { $item_name } llegaron hace { $days_since_delivery }, así que ya no tienen
        } cobertura.
    .title = La garantía termina 1 año después de la entrega
    .why = Un plazo de garantía claro nos permite mantener precios justos para todos.
    .offer-supervisor_review = Un supervisor puede revisar qué falló y, a veces, puede hacer una excepción de buena voluntad.
    .example-1 = Purificador de aire con un defecto después de 13 meses

rule-DEF-006 =
        Aún puede devolver { $item_number ->
            [one] su { $item_name } para recibir un reembolso de { $item_price } o cambiar el artículo por otro
           *[other] sus { $item_name } para recibir un reembolso de { $item_price } o cambiar los artículos por otros
        }, y el envío de vuelta lo pagamos nosotros.
    .title = Los daños o artículos equivocados que se reportan después de 7 días se aceptan dentro del plazo de devolución
    .why = Ya pasaron los 7 días que pedimos para avisar de problemas del envío. Pero usted sigue dentro de su plazo de devolución, y el error fue nuestro, no suyo.
    .example-1 = Daños del envío reportados el día 10 se aceptan, y el envío de vuelta lo pagamos nosotros
    .example-2 = Un artículo equivocado reportado el día 20 se acepta, y el envío de vuelta lo pagamos nosotros
    .example-3 = Artículo equivocado de un miembro Plus, reportado el día 45
    .example-4 = Electrónicos abiertos dañados en el envío, reportados el día 10, no tienen cargo

rule-DEF-005 = Los daños del envío y los artículos equivocados se reportan, por lo general, dentro de 7 días después de la entrega. Su pedido llegó hace { $days_since_delivery }, pero igual queremos solucionar esto.
    .title = Los daños o artículos equivocados que se reportan después de 7 días pasan a un supervisor
    .why = Si nos avisa pronto, podemos hablar con la empresa de transporte mientras los detalles están frescos.
    .offer-send_photos =
        Unas fotos de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } y del empaque ayudarán al supervisor a decidir rápido.
    .example-1 = Daños del envío reportados el día 12 en un artículo usado
    .example-2 = Artículo equivocado reportado el día 45
