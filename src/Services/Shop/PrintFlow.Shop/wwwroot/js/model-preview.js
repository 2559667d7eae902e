// The Shop's 3D preview: draws each <div class="model-preview" data-model-url="..."> from the binary preview the Shop
// serves (PrintFlow.Geometry.Preview.ModelPreview: at most 50,000 triangles, each flagged where it needs support),
// with the printer's build volume as a box around it. Drag or arrow keys turn it, the wheel or +/- zoom, 0 resets.
// three.js comes from npm through the build (ClientApp/package.json -> wwwroot/lib/three).
const SUPPORT = [0.96, 0.45, 0.1];
const PART = [0.3, 0.45, 0.75];

function decode(buffer) {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== "PFPV" || view.getUint32(4, true) !== 1) throw new Error("not a PrintFlow preview");
  const triangles = view.getUint32(8, true);
  const box = new Float32Array(buffer.slice(20, 44));
  const positions = new Float32Array(buffer, 44, triangles * 9);
  const support = new Uint8Array(buffer, 44 + triangles * 36, triangles);
  return { triangles, min: box.subarray(0, 3), max: box.subarray(3, 6), positions, support };
}

function say(element, text) {
  element.dataset.previewState = "failed";
  const note = document.createElement("p");
  note.className = "model-preview-note";
  note.textContent = text;
  element.replaceChildren(note);
}

async function show(element, THREE) {
  const response = await fetch(element.dataset.modelUrl, { credentials: "same-origin" });
  if (!response.ok) {
    let detail = element.dataset.failedText || "The preview cannot be shown.";
    try { detail = (await response.json()).detail || detail; } catch { /* not a problem document */ }
    say(element, detail);
    return;
  }
  const model = decode(await response.arrayBuffer());

  const colours = new Float32Array(model.triangles * 9);
  for (let t = 0; t < model.triangles; t++) {
    const c = model.support[t] ? SUPPORT : PART;
    for (let k = 0; k < 3; k++) colours.set(c, t * 9 + k * 3);
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.BufferAttribute(model.positions, 3));
  geometry.setAttribute("color", new THREE.BufferAttribute(colours, 3));
  geometry.computeVertexNormals();
  // The part stands on the bed (z = 0) centred on the plate; models are in millimetres, Z up as in slicers.
  const centre = [(model.min[0] + model.max[0]) / 2, (model.min[1] + model.max[1]) / 2, model.min[2]];
  geometry.translate(-centre[0], -centre[1], -centre[2]);

  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf4f6f9);
  const part = new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({ vertexColors: true, roughness: 0.7, metalness: 0.05, side: THREE.DoubleSide }));
  scene.add(part);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x8899aa, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.4);
  sun.position.set(1, -1.5, 2);
  scene.add(sun);

  const size = [model.max[0] - model.min[0], model.max[1] - model.min[1], model.max[2] - model.min[2]];
  // Framed on the part, not the printer: the plate's grid and the volume's edges around it give the scale.
  const reach = Math.max(size[0], size[1], size[2], 5);
  const volume = (element.dataset.buildVolume || "").split(",").map(Number);
  if (volume.length === 3 && volume.every((v) => v > 0)) {
    const box = new THREE.Box3(new THREE.Vector3(-volume[0] / 2, -volume[1] / 2, 0), new THREE.Vector3(volume[0] / 2, volume[1] / 2, volume[2]));
    scene.add(new THREE.Box3Helper(box, 0x9aa5b1));
    const plate = new THREE.GridHelper(Math.max(volume[0], volume[1]), 10, 0xb8c1cc, 0xd5dbe2);
    plate.rotation.x = Math.PI / 2;
    scene.add(plate);
  }

  const canvas = document.createElement("canvas");
  canvas.setAttribute("aria-hidden", "true");
  element.replaceChildren(canvas);
  let renderer;
  try {
    renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  } catch {
    say(element, element.dataset.noWebglText || "This browser cannot draw 3D (WebGL is off).");
    return;
  }
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  const camera = new THREE.PerspectiveCamera(35, 1, reach / 100, reach * 20);
  camera.up.set(0, 0, 1);
  const target = new THREE.Vector3(0, 0, size[2] / 2);
  // Far enough that the whole part fits the 35° view from the starting angle (closer, its corners were cut off).
  const start = { yaw: -Math.PI / 4, pitch: 0.5, distance: reach * 3.2 };
  const view = { ...start };

  const draw = () => {
    const width = element.clientWidth || 320;
    const height = Math.round(width * 0.75);
    if (canvas.width !== Math.round(width * renderer.getPixelRatio())) {
      renderer.setSize(width, height, true);
      camera.aspect = width / height;
      camera.updateProjectionMatrix();
    }
    const cos = Math.cos(view.pitch);
    camera.position.set(
      target.x + view.distance * cos * Math.cos(view.yaw),
      target.y + view.distance * cos * Math.sin(view.yaw),
      target.z + view.distance * Math.sin(view.pitch));
    camera.lookAt(target);
    renderer.render(scene, camera);
    element.dataset.previewView = `yaw=${view.yaw.toFixed(2)} pitch=${view.pitch.toFixed(2)} distance=${view.distance.toFixed(0)}`;
  };
  const turn = (dYaw, dPitch) => {
    view.yaw += dYaw;
    view.pitch = Math.max(-1.45, Math.min(1.45, view.pitch + dPitch));
    requestAnimationFrame(draw);
  };
  const zoom = (factor) => {
    view.distance = Math.max(reach * 0.2, Math.min(reach * 8, view.distance * factor));
    requestAnimationFrame(draw);
  };

  let drag = null;
  canvas.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener("pointermove", (e) => {
    if (!drag) return;
    turn(-(e.clientX - drag.x) * 0.01, (e.clientY - drag.y) * 0.01);
    drag = { x: e.clientX, y: e.clientY };
  });
  canvas.addEventListener("pointerup", () => { drag = null; });
  canvas.addEventListener("wheel", (e) => { e.preventDefault(); zoom(e.deltaY > 0 ? 1.1 : 1 / 1.1); }, { passive: false });
  element.addEventListener("keydown", (e) => {
    const keys = {
      ArrowLeft: () => turn(0.15, 0), ArrowRight: () => turn(-0.15, 0), ArrowUp: () => turn(0, 0.1), ArrowDown: () => turn(0, -0.1),
      "+": () => zoom(1 / 1.15), "=": () => zoom(1 / 1.15), "-": () => zoom(1.15),
      "0": () => { Object.assign(view, start); requestAnimationFrame(draw); },
    };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  new ResizeObserver(() => requestAnimationFrame(draw)).observe(element);
  draw();
  element.dataset.previewState = "shown";
  element.dataset.previewTriangles = String(model.triangles);
}

let three = null;
// Also after load: the cart's markup is swapped in anew (live.js, cart.js) whenever a price changes.
function scan() {
  const elements = [...document.querySelectorAll(".model-preview[data-model-url]:not([data-preview-started])")];
  if (!elements.length) return;
  elements.forEach((element) => { element.dataset.previewStarted = "1"; });
  three ??= import("../lib/three/three.module.js");
  three.then(
    (THREE) => elements.forEach((element) => show(element, THREE).catch(() => say(element, element.dataset.failedText || "The preview cannot be shown."))),
    () => elements.forEach((element) => say(element, element.dataset.missingText || "The 3D preview is not part of this build.")));
}
scan();
new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
