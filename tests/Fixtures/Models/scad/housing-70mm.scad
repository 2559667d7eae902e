// A larger part: a 70 × 50 × 25 mm rounded housing shell with a 2.4 mm wall and four screw bosses.
module rounded(x, y, h, r) {
  hull() for (i = [r, x - r], j = [r, y - r]) translate([i, j, 0]) cylinder(r = r, h = h, $fn = 48);
}
difference() {
  rounded(70, 50, 25, 6);
  translate([2.4, 2.4, 2.4]) rounded(65.2, 45.2, 25, 3.6);
}
for (i = [8, 62], j = [8, 42]) translate([i, j, 0]) difference() {
  cylinder(d = 8, h = 20, $fn = 48);
  translate([0, 0, 3]) cylinder(d = 3, h = 20, $fn = 32);
}
