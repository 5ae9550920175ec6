/* Mogao audience (#18): tell the server what a reader did in the page with navigator.sendBeacon
   (no cookie, no identifier; nothing when Do-Not-Track or GPC is on). Other scripts report through
   window.mogaoAudience.send({kind: "zoom" | "story_step" | "story_done", ...}): see audience/beacon.py. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-beacon");
  var off = !url || !navigator.sendBeacon || navigator.doNotTrack === "1" || navigator.globalPrivacyControl === true;
  function send(data) {
    if (off || !data || typeof data !== "object") return false;
    return navigator.sendBeacon(url, new Blob([JSON.stringify(data)], { type: "text/plain" }));
  }
  window.mogaoAudience = { send: send };
  if (off) return;
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("ol.hits a[href]") : null;
    if (!link) return;
    var list = link.closest("ol.hits");
    var cards = Array.prototype.slice.call(list.querySelectorAll(":scope > li"));
    var offset = parseInt(list.getAttribute("data-offset") || "0", 10) || 0;
    var rank = offset + cards.indexOf(link.closest("ol.hits > li")) + 1;  // a grouped translation counts as its card
    send({
      kind: "click", rank: rank, type: link.getAttribute("data-doc") || "",
      href: new URL(link.href, location.href).pathname
    });
  }, true);
})();
