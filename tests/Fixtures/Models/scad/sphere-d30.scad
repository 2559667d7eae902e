// A 30 mm sphere: its lower half overhangs and needs support.
translate([0, 0, 15]) sphere(d = 30, $fn = 48);
