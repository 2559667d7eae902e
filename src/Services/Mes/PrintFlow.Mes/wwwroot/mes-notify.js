// "New job" notifications on the MES dashboard. live.js re-renders the queue fragment on every change and fires
// "live:updated"; the fragment lists the newest jobs (data-arrival-id, increasing), so a waiting job with an id above
// the highest one this page has seen is new: show a toast and, if the operator switched sound on, beep.
(() => {
  const soundKey = "printflow.mes.sound";
  const toasts = document.querySelector("[data-testid=mes-toasts]");
  const toggle = document.querySelector("[data-testid=mes-sound]");
  if (!toasts) return;

  const arrivals = (root) => [...root.querySelectorAll("[data-arrival-id]")].map((li) => ({
    id: Number(li.dataset.arrivalId), jobId: li.dataset.arrivalJob, orderNumber: li.dataset.arrivalOrder,
    stage: li.dataset.arrivalStage, label: li.dataset.label,
  }));
  let seen = Math.max(0, ...arrivals(document).map((a) => a.id));

  // Web Audio: a short synthesised beep, so there is no sound file. Browsers allow audio only after a gesture, so
  // the context is created (or resumed) by the toggle's click, or by the first click on a page reloaded with sound on.
  let audio = null;
  const soundOn = () => localStorage.getItem(soundKey) === "on";
  const ensureAudio = () => {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    audio = audio || new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
    return audio;
  };
  const beep = () => {
    const context = ensureAudio();
    document.documentElement.dataset.mesBeeps = String(Number(document.documentElement.dataset.mesBeeps || "0") + 1);
    if (!context) return;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, context.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, context.currentTime + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 0.25);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + 0.3);
  };
  if (toggle) {
    toggle.checked = soundOn();
    toggle.addEventListener("change", () => {
      localStorage.setItem(soundKey, toggle.checked ? "on" : "off");
      if (toggle.checked) beep();
    });
  }
  document.addEventListener("click", () => { if (soundOn()) ensureAudio(); }, { once: true });

  const show = (arrival) => {
    const toast = document.createElement("div");
    toast.className = "mes-toast";
    toast.setAttribute("role", "status");
    toast.dataset.testid = "mes-toast";
    toast.dataset.orderNumber = arrival.orderNumber;
    const link = document.createElement("a");
    link.href = `/mes/jobs/${arrival.jobId}`;
    link.textContent = arrival.label;
    const close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", () => toast.remove());
    toast.append(link, close);
    toasts.prepend(toast);
    while (toasts.children.length > 5) toasts.lastElementChild.remove();
    setTimeout(() => toast.remove(), 60000);
  };

  document.addEventListener("live:updated", (event) => {
    const list = arrivals(event.target);
    const fresh = list.filter((a) => a.id > seen && a.stage === "ManufacturingApproved").sort((a, b) => a.id - b.id);
    seen = Math.max(seen, ...list.map((a) => a.id));
    fresh.forEach(show);
    if (fresh.length > 0 && soundOn()) beep();
  });
})();
