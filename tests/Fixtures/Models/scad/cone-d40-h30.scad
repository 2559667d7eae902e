// Holdout (not used for fitting): a solid cone, 40 mm base, 30 mm tall: every surface but the base is a slope.
cylinder(d1 = 40, d2 = 0, h = 30, $fn = 64);
