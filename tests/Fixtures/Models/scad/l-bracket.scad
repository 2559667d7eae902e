// A typical L-shaped mounting bracket with two screw holes in each leg.
difference() {
  union() {
    cube([50, 20, 4]);
    cube([4, 20, 35]);
  }
  for (x = [18, 38]) translate([x, 10, -1]) cylinder(d = 4.5, h = 6, $fn = 32);
  for (z = [15, 28]) translate([-1, 10, z]) rotate([0, 90, 0]) cylinder(d = 4.5, h = 6, $fn = 32);
}
