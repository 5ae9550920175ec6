/* Mogao comparison workspace: opens the manifests named in #mirador-manifests in Mirador 4, side by side.
 *
 * Mirador's "mosaic" workspace would tile windows by itself, but its drag-and-drop layer (react-dnd
 * on React 19) logs an error on every render; the "elastic" workspace does not, so Mogao uses it
 * and lays the windows out in equal columns itself (again whenever the page is resized).
 */
(function () {
  "use strict";
  var host = document.getElementById("mirador");
  var data = document.getElementById("mirador-manifests");
  if (!host || !data) { return; }
  if (!window.Mirador) {
    host.setAttribute("data-state", "error");
    host.textContent = host.getAttribute("data-label-error") || "Mirador could not be loaded.";
    return;
  }
  var api = window.Mirador.viewer ? window.Mirador : window.Mirador.default;
  // The UMD build exports every action creator at the top level (Mirador.updateElasticWindowLayout).
  var updateLayout = api.updateElasticWindowLayout || (api.actions && api.actions.updateElasticWindowLayout);
  var manifests = JSON.parse(data.textContent || "[]");
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var miradorLang = lang.indexOf("zh-hant") === 0 ? "zh-TW" : lang.indexOf("zh") === 0 ? "zh-CN" : lang.slice(0, 2);
  var ids = manifests.map(function (_, i) { return "mogao-window-" + i; });
  var instance = api.viewer({
    id: "mirador",
    language: miradorLang,
    windows: manifests.map(function (url, i) {
      return { id: ids[i], manifestId: url, thumbnailNavigationPosition: "far-bottom" };
    }),
    catalog: manifests.map(function (url) { return { manifestId: url }; }),
    workspace: { type: "elastic", allowNewWindows: true, draggingEnabled: false },
    workspaceControlPanel: { enabled: true },
    window: { allowClose: true, allowMaximize: true, defaultSideBarPanel: "info", sideBarOpenByDefault: false },
  });

  // Mirador adds its far-bottom/far-right companion areas (the thumbnail strip) to the size it is
  // given, so each window asks for less by what it was seen to add (learned after the first pass).
  var extra = {};
  var wanted = {};
  var passes = 0;

  function layout() {
    var area = host.querySelector(".mirador-workspace-viewport");
    if (!area) { return; }
    var hostBox = host.getBoundingClientRect();
    var areaBox = area.getBoundingClientRect();
    var width = Math.min(areaBox.width, host.clientWidth - (areaBox.left - hostBox.left));
    var height = Math.min(areaBox.height, host.clientHeight - (areaBox.top - hostBox.top));
    if (!width || !height || !ids.length) { return; }
    var gap = 8;
    var column = Math.floor((width - gap * (ids.length + 1)) / ids.length);
    ids.forEach(function (id, i) {
      var add = extra[id] || { width: 0, height: 0 };
      wanted[id] = { width: column, height: height - 2 * gap };
      instance.store.dispatch(updateLayout(id, {
        x: gap + i * (column + gap), y: gap,
        width: wanted[id].width - add.width, height: wanted[id].height - add.height,
      }));
    });
    window.setTimeout(correct, 150);
  }

  function correct() {
    var again = false;
    ids.forEach(function (id) {
      var win = document.getElementById(id);
      var frame = win ? win.closest(".react-draggable") : null;
      var box = frame ? frame.getBoundingClientRect() : null;
      if (!box || !wanted[id]) { return; }
      var add = extra[id] || { width: 0, height: 0 };
      var dw = Math.round(box.width - wanted[id].width);
      var dh = Math.round(box.height - wanted[id].height);
      if (Math.abs(dw) > 1 || Math.abs(dh) > 1) {
        extra[id] = { width: add.width + dw, height: add.height + dh };
        again = true;
      }
    });
    if (again && passes++ < 4) { layout(); }
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(layout, 150);
  });
  // Mirador renders asynchronously: lay out once its workspace exists (poll for up to 10 s).
  var tries = 0;
  (function waitForWorkspace() {
    var area = host.querySelector(".mirador-workspace-viewport");
    if (area && host.querySelector(".mirador-window")) {
      layout();
      // Fonts and Mirador's own bars settle after the first paint: follow the workspace's size.
      if (window.ResizeObserver) { new ResizeObserver(function () { layout(); }).observe(area); }
      return;
    }
    if (tries++ < 100) { window.setTimeout(waitForWorkspace, 100); }
  })();
})();
