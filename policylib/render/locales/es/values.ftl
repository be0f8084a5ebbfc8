# Cómo se leen los valores dentro de una frase, en español.

# Un momento en el reloj de la tienda, diciendo de quién es el reloj.
moment = las { $time } ({ $zone }) del { $day }
# El mismo momento en el reloj del cliente, cuando marca otra hora.
moment-yours = { $moment }, es decir, las { $yours } en su hora
moment-yours-day = { $time } del { $day }

# Las unidades que todo paquete cuenta: una y varias.
unit-days-one = día
unit-days-other = días
unit-business_days-one = día hábil
unit-business_days-other = días hábiles
unit-hours-one = hora
unit-hours-other = horas

# Un dato de sí o no, y un dato que la solicitud no dice.
value-yes = sí
value-no = no
value-unknown = no se sabe

# La hora del día como la escribe CLDR para la configuración regional (6:00 p.m.).
clock-style = cldr
