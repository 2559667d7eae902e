// A round part: 30 mm diameter, 40 mm tall.
cylinder(d = 30, h = 40, $fn = 96);
