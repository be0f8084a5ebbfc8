# Lo que ve el agente de una decisión, en español de EE. UU.: las palabras de policylib.
#
# Qué decidió, qué se le dice al cliente, cada condición revisada, las alternativas y lo
# que el agente puede hacer. Los valores llegan con formato (dinero, días, fechas).

## La primera línea: "Resultado: parcial (solicitud return, de Lee)"

agent-outcome-label = Resultado:
# $kind es el nombre que el paquete da al tipo de solicitud (return, change delivery ...).
agent-summary = { $outcome } (solicitud { $kind }, de { $customer_name })
agent-summary-anonymous = { $outcome } (solicitud { $kind }, sin nombre del cliente)
agent-outcome-granted = aprobada
agent-outcome-partial = parcial
agent-outcome-denied = rechazada
agent-outcome-needs_info = falta información
agent-outcome-escalate = derivada

## Las reglas que decidieron (o que esperan una respuesta)

agent-decided-by = Decidida por
agent-waiting-on = En espera de
agent-reason = { $rule_id } — { $title }
agent-reason-apology = { $rule_id } — { $title } (la tienda se equivocó: discúlpese)

## Lo que se le dice al cliente

agent-told = Lo que se le dice al cliente
agent-why = Por qué: { $why }
agent-ask = Pregunte: { $question }
agent-ask-field = Pregunte: { $question } (campo de la solicitud { $field })

## Condiciones revisadas: "HYG-001 (decidió, prioridad 150): título", y una línea por condición

agent-conditions = Condiciones revisadas
agent-trace = { $rule_id } ({ $state }, prioridad { $priority }): { $title }
agent-state-decided = decidió
agent-state-held = se cumple
agent-state-failed = no se cumple
agent-state-unknown = no se sabe
agent-state-skipped = no se revisó
agent-condition = { $label }: se pide { $required }, es { $actual } — { $status }
# Lo que pide una condición, según la comparación; $value llega con formato ("a o b").
agent-op-eq = { $value }
agent-op-ne = algo distinto de { $value }
agent-op-lt = menos de { $value }
agent-op-lte = como máximo { $value }
agent-op-gt = más de { $value }
agent-op-gte = al menos { $value }
agent-op-in = uno de estos: { $value }
agent-op-not_in = ninguno de estos: { $value }

# Sin traza: los datos que importaron.
agent-facts = Datos que importaron
agent-fact = { $label }: { $value }

## Alternativas: "texto [tipo; etiqueta]"

agent-alternatives = Alternativas
agent-alternative = { $text } [{ $kind }; { $tag }]
agent-verified = verificada: la aprueba { $rule_id }
agent-verified-partial = verificada: la aprueba en parte { $rule_id }
agent-unverified = sin verificar ({ $rule_id }): revísela antes de ofrecerla
agent-path = un camino: no hay nada que volver a revisar

## Lo que puede hacer el agente

agent-limits = Lo que puede hacer
agent-may-approve =
    Puede ofrecer una revisión de { $escalation_contact }, que puede aprobar hasta { $limit }.
agent-escalate = Para escalar el caso, páselo a { $escalation_contact }.

## Dónde lo dice la política

agent-policy = Política
agent-citation = { $title }:
