// Holdout (not used for fitting): a 40 mm tube, 3 mm wall, 30 mm tall, open at both ends: thin curved walls.
difference() {
  cylinder(d = 40, h = 30, $fn = 96);
  translate([0, 0, -1]) cylinder(d = 34, h = 32, $fn = 96);
}
