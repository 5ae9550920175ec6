/* The filters panel (<details class="facet-panel">): open beside the results on wide screens,
   folded under its summary on phones so the results come first. The reader's own toggling on a
   phone is kept; nothing here is needed for the panel to work (a <details> opens by itself). */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48.01rem)");

  function arrange(root) {
    var panels = (root || document).querySelectorAll("details.facet-panel");
    for (var i = 0; i < panels.length; i++) {
      if (wide.matches) {
        panels[i].open = true;
      } else if (!panels[i].hasAttribute("data-touched")) {
        panels[i].open = false;
      }
    }
  }

  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("details.facet-panel > summary");
    if (summary) {
      summary.parentElement.setAttribute("data-touched", "");
    }
  });
  if (wide.addEventListener) {
    wide.addEventListener("change", function () { arrange(document); });
  }
  document.addEventListener("htmx:afterSettle", function () { arrange(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { arrange(document); });
  } else {
    arrange(document);
  }
})();
