/* Mogao audience (#18): tell the server which search result a reader followed, with
   navigator.sendBeacon (no cookie, no identifier; nothing when Do-Not-Track or GPC is on). */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-beacon");
  if (!url || !navigator.sendBeacon) return;
  if (navigator.doNotTrack === "1" || navigator.globalPrivacyControl === true) return;
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("ol.hits a[href]") : null;
    if (!link) return;
    var list = link.closest("ol.hits");
    var cards = Array.prototype.slice.call(list.querySelectorAll(":scope > li"));
    var offset = parseInt(list.getAttribute("data-offset") || "0", 10) || 0;
    var rank = offset + cards.indexOf(link.closest("ol.hits > li")) + 1;  // a grouped translation counts as its card
    var body = JSON.stringify({
      kind: "click", rank: rank, type: link.getAttribute("data-doc") || "",
      href: new URL(link.href, location.href).pathname
    });
    navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }));
  }, true);
})();
