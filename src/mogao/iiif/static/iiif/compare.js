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
  if (!host || !data || !window.Mirador) { return; }
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

  function layout() {
    var area = host.querySelector(".mirador-workspace-viewport") || host;
    // The workspace sits inside the host below Mirador's own bars: fit windows to what is visible.
    var hostBox = host.getBoundingClientRect();
    var areaBox = area.getBoundingClientRect();
    var width = Math.min(areaBox.width, hostBox.right - areaBox.left);
    var height = Math.min(areaBox.height, hostBox.bottom - areaBox.top);
    if (!width || !height || !ids.length) { return; }
    var gap = 8;
    var column = Math.floor((width - gap * (ids.length + 1)) / ids.length);
    ids.forEach(function (id, i) {
      instance.store.dispatch(updateLayout(id, {
        x: gap + i * (column + gap), y: gap, width: column, height: height - 2 * gap,
      }));
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(layout, 150);
  });
  window.requestAnimationFrame(function () { window.setTimeout(layout, 0); });
})();
