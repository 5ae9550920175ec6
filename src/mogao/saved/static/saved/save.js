/* The "Save" control of an item page (#15): "this page" and "this region" are taken from the
 * viewer on screen (window.mogaoViewers, set by iiif/viewer.js) unless the reader typed them; a
 * refused save (400, with field errors) replaces the panel like a successful one. No inline code. */
(function () {
  "use strict";

  function viewer() {
    var list = window.mogaoViewers || [];
    return list.length && list[0].pages ? list[0] : null;
  }

  function fill(form) {
    var v = viewer();
    var chosen = form.querySelector('input[name="target"]:checked');
    if (!v || !chosen) { return; }
    var page = v.pages[v.index];
    var pageInput = form.querySelector('input[name="page"]');
    var xywh = form.querySelector('input[name="xywh"]');
    if (chosen.value !== "item" && pageInput && !pageInput.dataset.typed) { pageInput.value = page.order; }
    if (chosen.value === "region" && xywh && !xywh.dataset.typed) {
      var match = /\/(\d+,\d+,\d+,\d+)\/[^/]+\/-?\d+\/default\.jpg$/.exec(v.regionUrl());
      xywh.value = match ? match[1] : [0, 0, page.width, page.height].join(",");
    }
  }

  document.addEventListener("input", function (event) {
    var t = event.target;
    if (t && (t.name === "page" || t.name === "xywh") && t.closest("form[data-saved-form]")) { t.dataset.typed = "1"; }
  });
  document.addEventListener("change", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form[data-saved-form]") : null;
    if (form && event.target.name === "target") { fill(form); }
  });
  // Capture phase: runs before htmx reads the form's values.
  document.addEventListener("submit", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form[data-saved-form]") : null;
    if (form) { fill(form); }
  }, true);
  document.addEventListener("htmx:beforeSwap", function (event) {
    var d = event.detail;
    if (d.xhr && d.xhr.status === 400 && d.target && d.target.id === "saved-panel") {
      d.shouldSwap = true;
      d.isError = false;
    }
  });
})();
