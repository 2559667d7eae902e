// Holdout (not used for fitting): a 60 × 40 × 6 mm mounting plate with six 5 mm holes: many small loops per layer.
difference() {
  cube([60, 40, 6]);
  for (i = [10, 30, 50], j = [10, 30]) translate([i, j, -1]) cylinder(d = 5, h = 8, $fn = 32);
}
