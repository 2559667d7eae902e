// Progressive enhancement of the cart page: the item, remove and delivery-speed forms work as plain forms; with this
// script a change is sent at once (no button press, no full reload) and the server's updated cart fragment swapped in.
// The live feed (live.js) then swaps in the new prices when Pricing answers.
(() => {
  const target = () => document.querySelector("[data-testid=cart-live]");
  const send = async (form) => {
    target()?.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), headers: { "X-Cart-Fragment": "1", "Accept": "text/html" }, cache: "no-store",
      });
      if (response.status === 410) { window.location.reload(); return; }
      if (!response.ok) { HTMLFormElement.prototype.submit.call(form); return; }
      const live = target();
      const html = await response.text();
      if (live && window.printFlowSwap) window.printFlowSwap(live, html); // keeps the keyboard's place (live.js)
      else if (live) live.innerHTML = html;
    } finally {
      target()?.removeAttribute("aria-busy");
    }
  };
  document.addEventListener("submit", (event) => {
    const form = event.target instanceof HTMLFormElement && event.target.matches("form[data-cart-form]") ? event.target : null;
    if (!form) return;
    event.preventDefault();
    send(form);
  });
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLElement) || !field.matches("[data-autosubmit]")) return;
    const form = field.closest("form[data-cart-form]");
    if (form) send(form); // the server checks every value and answers with a sentence on the page
  });
})();
