# Cómo se muestran en un cuaderno las decisiones, alternativas, políticas y reglas, en
# español de EE. UU.: las palabras de policylib. $count es un número (el plural se elige
# con él); los demás valores llegan tal como se muestran.

## Cantidades

notebook-alternatives =
    { $count ->
        [one] { $count } alternativa
       *[other] { $count } alternativas
    }
notebook-questions =
    { $count ->
        [one] { $count } pregunta
       *[other] { $count } preguntas
    }
notebook-rules =
    { $count ->
        [one] { $count } regla
       *[other] { $count } reglas
    }
notebook-sections =
    { $count ->
        [one] { $count } sección
       *[other] { $count } secciones
    }
notebook-kinds =
    { $count ->
        [one] { $count } tipo
       *[other] { $count } tipos
    }
# Una lista recortada: "R-1, R-2, R-3 y 4 más".
notebook-more = { $shown } y { $count } más

## Una decisión

notebook-by = por { $rules }
notebook-waiting-on = en espera de { $rules }
notebook-request = solicitud { $kind }
notebook-question = Pregunta:
notebook-request-field = (campo de la solicitud { $field })
notebook-alternatives-head = Alternativas ({ $count })
notebook-no-alternatives = No hay alternativas.
notebook-agent-view = Vista del agente
notebook-trace = Traza: { $rules }
notebook-no-policy =
    Esta decisión se leyó sin la política que la tomó: se muestra con sus propios campos.
    policy.render(decision, audience, format) da el texto completo de la política.
notebook-decided-by = Decidida por:
notebook-facts = Datos que importaron:
notebook-policy = Política:
notebook-actual = (valor real: { $value })

# Las columnas de la tabla de la traza.
notebook-column-rule = regla
notebook-column-status = estado
notebook-column-outcome = resultado
notebook-column-priority = prioridad
notebook-column-held = se cumplen
notebook-column-failed = no se cumplen
notebook-column-unknown = no se saben
notebook-column-conditions = condiciones

## Una alternativa

notebook-verified-by = verificada por { $rule_id }
notebook-unverified-by = sin verificar por { $rule_id }
notebook-a-path = un camino
notebook-unverified = sin verificar ({ $rule_id })
notebook-for-item = para { $item_name }
notebook-change = El cambio en la solicitud:

## Un paquete y sus reglas

notebook-policy-page = página de la política
notebook-rules-in = { $rules } en { $sections }
notebook-request-kinds = tipos de solicitud: { $kinds }
notebook-default = cuando no aplica ninguna regla: { $outcome }
notebook-section = { $title } ({ $rules })
notebook-column-id = id
notebook-column-title = título
notebook-column-kinds = tipos
notebook-column-citation = cita
notebook-rule-kinds = tipos: { $kinds }
notebook-rule-priority = prioridad { $priority }
notebook-rule-cites = cita { $citation }
notebook-when = Cuando se cumple todo esto:
notebook-offers = Ofrece: { $offers }
notebook-all-of = todo esto
notebook-any-of = cualquiera de estos
notebook-not = no
