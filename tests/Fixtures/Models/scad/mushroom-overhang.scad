// A stem with a wide flat cap: a large horizontal overhang that needs support underneath.
cylinder(d = 12, h = 20, $fn = 48);
translate([0, 0, 20]) cylinder(d = 40, h = 5, $fn = 96);
