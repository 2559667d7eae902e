// A large solid part (80 × 40 × 15 mm) where infill dominates the material.
cube([80, 40, 15]);
