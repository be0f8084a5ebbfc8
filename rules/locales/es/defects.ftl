# es: los textos de los artículos con defectos, con daños o equivocados, en español

rule-DEF-001 =
        Le enviamos un reemplazo de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } o le devolvemos { $item_price }, como prefiera, y el envío de vuelta lo pagamos nosotros.
    .title = Los artículos dañados en el envío se reemplazan o se reembolsan si nos avisa dentro de 7 días
    .why = Cuando algo se rompe de camino a su casa, arreglarlo es nuestro trabajo, no el suyo.

rule-DEF-002 =
        Le enviamos { $item_number ->
            [one] el artículo correcto
           *[other] los artículos correctos
        } ({ $item_name }) o le devolvemos { $item_price }, como prefiera, y el envío de vuelta lo pagamos nosotros.
    .title = Un artículo equivocado se reemplaza o se reembolsa si nos avisa dentro de 7 días
    .why = El error fue nuestro, así que corregirlo no le debería costar nada.

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

rule-DEF-004 =
        Nuestra garantía cubre los defectos durante 1 año después de la entrega. { $item_number ->
            [one] Su { $item_name } llegó hace { $days_since_delivery }, así que ya no tiene
           *[other] Sus { $item_name } llegaron hace { $days_since_delivery }, así que ya no tienen
        } cobertura.
    .title = La garantía termina 1 año después de la entrega
    .why = Un plazo de garantía claro nos permite mantener precios justos para todos.
    .offer-supervisor_review = Un supervisor puede revisar qué falló y, a veces, puede hacer una excepción de buena voluntad.

rule-DEF-006 =
        Aún puede devolver { $item_number ->
            [one] su { $item_name } para recibir un reembolso de { $item_price } o cambiar el artículo por otro
           *[other] sus { $item_name } para recibir un reembolso de { $item_price } o cambiar los artículos por otros
        }, y el envío de vuelta lo pagamos nosotros.
    .title = Los daños o artículos equivocados que se reportan después de 7 días se aceptan dentro del plazo de devolución
    .why = Ya pasaron los 7 días que pedimos para avisar de problemas del envío. Pero usted sigue dentro de su plazo de devolución, y el error fue nuestro, no suyo.

rule-DEF-005 = Los daños del envío y los artículos equivocados se reportan, por lo general, dentro de 7 días después de la entrega. Su pedido llegó hace { $days_since_delivery }, pero igual queremos solucionar esto.
    .title = Los daños o artículos equivocados que se reportan después de 7 días pasan a un supervisor
    .why = Si nos avisa pronto, podemos hablar con la empresa de transporte mientras los detalles están frescos.
    .offer-send_photos =
        Unas fotos de { $item_number ->
            [one] su
           *[other] sus
        } { $item_name } y del empaque ayudarán al supervisor a decidir rápido.

# Los ejemplos resueltos, como los nombra la página de la política

example-mirror-arrived-cracked-reported-on-day-3 = Espejo que llegó agrietado, reportado el día 3
example-jasmine-s-cracked-mirror-demo-request = Espejo agrietado de Jasmine (solicitud de ejemplo)
example-clearance-rug-damaged-in-shipping-is-still-covered = Un tapete de liquidación dañado en el envío sigue cubierto
example-wrong-lamp-shipped-reported-on-day-5 = Lámpara equivocada enviada, reportada el día 5
example-ethan-s-wrong-lamp-demo-request = Lámpara equivocada de Ethan (solicitud de ejemplo)
example-dresser-drawer-broke-on-day-200 = Cajón de la cómoda que se rompió el día 200
example-olivia-s-broken-dresser-drawer-demo-request = Cajón roto de la cómoda de Olivia (solicitud de ejemplo)
example-faulty-clearance-side-table-is-covered = Una mesa auxiliar de liquidación con un defecto está cubierta
example-faulty-opened-shower-head-is-still-covered = Una regadera abierta con un defecto sigue cubierta
example-faulty-purifier-after-13-months = Purificador de aire con un defecto después de 13 meses
example-shipping-damage-reported-on-day-10-is-taken-back-with-return = Daños del envío reportados el día 10 se aceptan, y el envío de vuelta lo pagamos nosotros
example-wrong-item-reported-on-day-20-is-taken-back-with-return-ship = Un artículo equivocado reportado el día 20 se acepta, y el envío de vuelta lo pagamos nosotros
example-plus-member-s-wrong-item-reported-on-day-45 = Artículo equivocado de un miembro Plus, reportado el día 45
example-opened-electronics-damaged-in-shipping-on-day-10-are-not-cha = Electrónicos abiertos dañados en el envío, reportados el día 10, no tienen cargo
example-shipping-damage-reported-on-day-12-on-a-used-item = Daños del envío reportados el día 12 en un artículo usado
example-wrong-item-reported-on-day-45 = Artículo equivocado reportado el día 45
