# Las palabras que unen una respuesta, en español de EE. UU.: las de policylib.
#
# Un paquete cambia cualquiera de ellas con un mensaje del mismo id en sus archivos
# *.ftl (locales/es/). Los titulares se buscan como <resultado>-<tipo de solicitud> y
# luego <resultado>. Cada mensaje se escribe completo, tal como se muestra: el programa
# nunca cambia mayúsculas ni corta un mensaje en oraciones. Se trata al cliente de usted.

greeting = Hola { $customer_name }:
greeting-anonymous = Hola:

## La respuesta, primero. Una regla cuyo texto ya dice el resultado (answers: true) no lleva.

granted = Buenas noticias: podemos hacerlo.
# Las respuestas ya no lo usan; se conserva para que carguen los paquetes que lo definen.

partial = Podemos hacer parte de lo que pidió.
partial-mixed = Podemos hacer algo de lo que pidió, pero no todo.
denied = No podemos hacer esto.
escalate =
    Pasé su solicitud a { $escalation_contact },
    que la revisará y le responderá.
# Quién recibe un caso cuando el paquete no nombra a nadie.
escalation-contact-default = una persona de nuestro equipo
apology = Lamento lo sucedido.
apology-granted = Lamento lo sucedido, y lo vamos a resolver.
apology-partial = Lamento lo sucedido, y vamos a resolver lo que podamos.

## Preguntar antes de responder. Siguen al saludo ("Hola Dana: antes de ...").

needs-info = antes de responderle, necesito saber una cosa.
needs-info-chat = una pregunta rápida antes de responderle.
# El porqué de la regla que pregunta, tal como lo escribió su autor.
needs-info-why = Le explico por qué importa: { $why }
# El título de la regla, cuando su porqué no dice qué está en juego.
needs-info-rule = Le explico por qué importa: { $rule_title }.
needs-info-depends = Su respuesta cambia lo que podemos ofrecerle.
needs-info-next = En cuanto lo sepa, podré darle una respuesta completa.

question-generic = ¿Nos podría decir este dato: { $fact_label }?
# La pregunta cuando una decisión no trae ninguna.
question-fallback = ¿Nos podría dar los detalles de su pedido?

## Qué más podemos hacer

offers-denied = Esto es lo que sí podemos hacer:
offers-partial = Esto es lo que también podemos hacer:
offers-granted = Si le sirve, también podemos ofrecerle:
offers-escalate = Mientras tanto, esto es lo que podemos hacer:
offers-needs_info = Mientras tanto, esto es lo que podemos hacer:

# En una respuesta sobre varios artículos, las opciones de cada uno van bajo esta línea.
offers-for-item = Para su { $item_name }:
no-offers = Si cree que se nos pasó algo, responda a este mensaje y lo revisaremos otra vez.

# El título de la sección, tal como lo escribe la política.
policy-link = Puede leer la sección “{ $policy_section }” de nuestra política aquí:
policy-link-general = Puede leer nuestra política completa aquí:
