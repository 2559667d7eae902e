// An open-top box (tray) 40 × 40 × 30 mm with 2 mm walls: thin walls, little infill.
difference() {
  cube([40, 40, 30]);
  translate([2, 2, 2]) cube([36, 36, 30]);
}
