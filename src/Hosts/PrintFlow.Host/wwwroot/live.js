// Live updates without a page reload. An element with data-live-events="URL" listens to that server-sent-event
// stream; on every event it re-fetches the server-rendered fragment at data-live-src and swaps it in, so the
// markup has one source (the Razor component) and the browser needs no framework.
(() => {
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
              element.innerHTML = await response.text();
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan); else scan();
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
