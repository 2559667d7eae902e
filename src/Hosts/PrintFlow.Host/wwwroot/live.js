// Live updates without a page reload. An element with data-live-events="URL" listens to that server-sent-event
// stream; on every event it re-fetches the server-rendered fragment at data-live-src and swaps it in, so the
// markup has one source (the Razor component) and the browser needs no framework.
(() => {
  // New markup under the keyboard's focus would drop it to the page's start: focus the same control in the new markup
  // (matched by its item and test id or name), or the swapped region itself when that control is gone.
  const swap = (element, html) => {
    const active = document.activeElement;
    const had = active && active !== element && element.contains(active);
    const item = had ? active.closest("[data-item-id]")?.dataset.itemId : null;
    const key = had ? (active.dataset.testid ? `[data-testid="${CSS.escape(active.dataset.testid)}"]`
      : active.name ? `[name="${CSS.escape(active.name)}"]` : null) : null;
    element.innerHTML = html;
    if (!had) return;
    const scope = item ? element.querySelector(`[data-item-id="${CSS.escape(item)}"]`) : element;
    const same = key && scope ? scope.querySelector(key) : null;
    if (same) { same.focus({ preventScroll: true }); return; }
    if (!element.hasAttribute("tabindex")) element.tabIndex = -1;
    element.focus({ preventScroll: true });
  };
  window.printFlowSwap = swap;
  const attach = (element) => {
    if (element.dataset.liveAttached) return;
    element.dataset.liveAttached = "1";
    let pending = null;
    let again = false;
    const refresh = async () => {
      // A notice that arrives while a fetch is in flight may be about a change that fetch missed: fetch once more after it.
      if (pending) { again = true; return pending; }
      pending = (async () => {
        try {
          do {
            again = false;
            const response = await fetch(element.dataset.liveSrc, { headers: { "Accept": "text/html" }, cache: "no-store" });
            if (response.ok) {
              swap(element, await response.text());
              element.dataset.liveVersion = String(Number(element.dataset.liveVersion || "0") + 1);
              element.dispatchEvent(new CustomEvent("live:updated", { bubbles: true }));
            }
          } while (again);
        } finally {
          pending = null;
        }
      })();
      return pending;
    };
    const source = new EventSource(element.dataset.liveEvents);
    source.onmessage = () => refresh();
    source.onopen = () => { element.dataset.liveConnected = "1"; refresh(); };
    source.onerror = () => { element.dataset.liveConnected = "0"; };
  };
  const scan = () => document.querySelectorAll("[data-live-events][data-live-src]").forEach(attach);
  const start = () => {
    scan();
    new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  };
  // Streams open only after the load event: a long-lived request begun while the page loads can keep it "loading".
  if (document.readyState === "complete") start(); else window.addEventListener("load", start, { once: true });
})();
