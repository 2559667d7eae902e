// 20 mm calibration cube: 8000 mm³, the simplest watertight solid.
cube(20);
