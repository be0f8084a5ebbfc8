# es: los textos de las membresías y los planes de sesiones, en español

rule-MEM-001 = Su membresía está cancelada. Conserva sus beneficios de { $subscription_plan } hasta el { $billing_period_end }, y no le volveremos a cobrar.
    .title = Las membresías se cancelan en cualquier momento y terminan al final del período de facturación
    .why = Irse debería ser tan fácil como unirse: sin cargos, sin formularios y sin llamadas. Si algún día quiere volver, aquí estaremos.

rule-MEM-002 = Su plan de sesiones, { $subscription_plan }, está cancelado y termina el { $billing_period_end }. Le reembolsaremos { $unused_sessions_refund } por { $sessions_remaining } sin usar.
    .title = Los planes de sesiones se cancelan en cualquier momento, y se reembolsan las sesiones sin usar
    .why = Usted pagó esas sesiones por adelantado, así que le devolvemos las que no use. Si algún día quiere reservar sesiones otra vez, aquí estaremos.

rule-MEM-003 = Su plan de sesiones, { $subscription_plan }, está cancelado y termina el { $billing_period_end }. Ya usó todas sus sesiones, así que no queda nada por reembolsar.
    .title = Un plan de sesiones con todas las sesiones usadas no tiene nada que reembolsar
    .why = Irse debería ser tan fácil como unirse: sin cargos, sin formularios y sin llamadas. Si algún día quiere reservar sesiones otra vez, aquí estaremos.

rule-MEM-004 = Su plan de sesiones, { $subscription_plan }, está cancelado y termina el { $billing_period_end }. Le reembolsaremos las sesiones que no haya usado, y una persona de nuestro equipo le va a confirmar el monto.
    .title = Los planes de sesiones se pueden cancelar en cualquier momento
    .why = Usted pagó esas sesiones por adelantado, así que le devolvemos las que no use. Si algún día quiere reservar sesiones otra vez, aquí estaremos.

# Los ejemplos resueltos, como los nombra la página de la política

example-cancel-a-plus-membership = Cancelar una membresía Plus
example-diane-s-membership-cancellation-demo-request = Cancelación de la membresía de Diane (solicitud de ejemplo)
example-cancel-a-design-session-plan-with-sessions-left = Cancelar un plan de sesiones de diseño con sesiones sin usar
example-carlos-s-session-plan-cancellation-demo-request = Cancelación del plan de sesiones de Carlos (solicitud de ejemplo)
example-cancel-a-session-plan-with-every-session-used = Cancelar un plan de sesiones con todas las sesiones usadas
example-cancel-a-session-plan-without-session-counts = Cancelar un plan de sesiones sin el número de sesiones
example-session-plan-without-a-session-total-doesn-t-promise-an-amou = Un plan de sesiones sin el total de sesiones no promete un monto
