/* Mogao comparison workspace: opens the manifests named in #mirador-manifests in Mirador 4, side by side. */
(function () {
  "use strict";
  var host = document.getElementById("mirador");
  var data = document.getElementById("mirador-manifests");
  if (!host || !data || !window.Mirador) { return; }
  var manifests = JSON.parse(data.textContent || "[]");
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var miradorLang = lang.indexOf("zh-hant") === 0 ? "zh-TW" : lang.indexOf("zh") === 0 ? "zh-CN" : lang.slice(0, 2);
  var viewer = window.Mirador.viewer || (window.Mirador.default && window.Mirador.default.viewer);
  viewer({
    id: "mirador",
    language: miradorLang,
    windows: manifests.map(function (url) { return { manifestId: url, thumbnailNavigationPosition: "far-bottom" }; }),
    catalog: manifests.map(function (url) { return { manifestId: url }; }),
    workspace: { type: "mosaic", allowNewWindows: true },
    workspaceControlPanel: { enabled: true },
    window: { allowClose: true, allowMaximize: true, defaultSideBarPanel: "info", sideBarOpenByDefault: false },
  });
})();
