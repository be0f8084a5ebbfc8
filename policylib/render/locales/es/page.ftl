# Las palabras de la página pública de la política, en español de EE. UU.
#
# Un paquete cambia cualquiera de estos mensajes definiendo uno con el mismo id en sus
# archivos *.ftl. La página los llena con palabras ya terminadas: los títulos, etiquetas
# y valores del propio paquete (con el formato de la configuración regional).

## La página alrededor de las secciones

page-title = { $store_name }: política de atención al cliente
page-intro =
    Esta página sale de las mismas reglas que usamos para decidir cada solicitud,
    así que lo que lee aquí es lo que hacemos.
page-intro-contact = Si su caso no encaja, siempre puede pedir que lo revise { $contact }.
page-contents = En esta página
# Después de la última sección: el texto de la tienda para una solicitud que ninguna regla cubre.
page-closing = Si ninguna de las situaciones anteriores corresponde a su solicitud: { $default }

## La tabla de situaciones de cada sección

# Lo que anuncian los lectores de pantalla para la tabla de una sección.
page-table-label = { $section }: situaciones y lo que hacemos
page-col-situation = Situación
page-col-outcome = Lo que hacemos
page-col-offers = Lo que podemos ofrecerle en su lugar
page-col-example = Ejemplo
# Una celda vacía.
page-cell-none = —

# Lo que hacemos, según el resultado de la regla.
page-outcome-granted = Sí, podemos hacerlo.
page-outcome-partial = Podemos hacer una parte.
page-outcome-denied = No, no podemos hacerlo.
page-outcome-needs_info = Primero le hacemos una pregunta.
page-outcome-escalate = Pasamos su solicitud a { $contact }.

## Cada regla en detalle, plegada bajo la tabla

page-details = Más sobre cada situación
page-applies = Esto se aplica a { $kinds } cuando:
page-applies-always = Esto se aplica siempre a { $kinds }.
# Lo que responde una regla, como frase propia (la ficha de una regla en un cuaderno
# pone las condiciones debajo).
page-applies-kinds = Se aplica a { $kinds }.
# Cómo se lee un tipo de solicitud cuando el paquete no tiene palabras kind-<tipo> para él.
page-kinds-any = solicitudes
page-examples = Ejemplos:

# Una condición: de qué trata el dato y el valor que debe tener.
page-cond = { $label }: { $value }
# Un grupo de condiciones en el que basta una, y uno en el que hacen falta todas.
page-cond-any = Basta con una de estas:
page-cond-all = Todas estas:

# Un valor con el que se compara una condición.
page-value-not = cualquiera excepto { $value }
page-value-lt = menos de { $value }
page-value-lte = como máximo { $value }
page-value-gt = más de { $value }
page-value-gte = al menos { $value }
page-value-between = entre { $low } y { $high }
# Dos límites que no incluyen ambos su valor ("más de $10 y menos de $20").
page-value-range = { $low } y { $high }
# Un día con el que se compara una condición.
page-day-not = cualquier día excepto el { $value }
page-day-lt = antes del { $value }
page-day-lte = el { $value } o antes
page-day-gt = después del { $value }
page-day-gte = el { $value } o después
# Una hora del día con la que se compara una condición.
page-time-not = cualquier hora excepto las { $value }
page-time-lt = antes de las { $value }
page-time-lte = a las { $value } o antes
page-time-gt = después de las { $value }
page-time-gte = a las { $value } o después

## Ejemplos resueltos

page-example = { $name }: { $verdict }.
page-verdict-granted = aceptada
page-verdict-partial = aceptada en parte
page-verdict-denied = rechazada
page-verdict-denied-offers = rechazada; podemos ofrecerle { $offers } en su lugar
page-verdict-needs_info = primero le hacemos una pregunta
page-verdict-escalate = pasa a { $contact }
