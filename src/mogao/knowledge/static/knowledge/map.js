/* Mogao maps: Leaflet over an offline basemap (world-atlas TopoJSON), no tile server.
   Every element with [data-mogao-map] gets a map from the JSON in #<data-source>:
   {markers: [{id, kind: find|production|holder, name, lat, lon, url, count}],
    lines: [{from, to, count, coords: [[lat, lon], [lat, lon]]}]}.
   When drawn, the element gets data-ready, data-markers and data-lines (used by tests). */
(function () {
  "use strict";
  var COLORS = { find: "#8a2d12", production: "#6b4fa0", holder: "#1f4e5f" };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text === undefined || text === null ? "" : String(text);
    return div.innerHTML.replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function safeUrl(url) {
    // only this site's paths and http(s) links: never javascript: or data: from a record
    var text = String(url || "");
    return /^(\/(?!\/)|https?:\/\/)/i.test(text) ? text : "";
  }

  // The popup built as elements: record text is set as text, never parsed as HTML.
  function popupContent(m) {
    var box = document.createElement("span");
    var link = document.createElement("a");
    var url = safeUrl(m.url);
    if (url) link.href = url;
    link.textContent = m.name === undefined || m.name === null ? "" : String(m.name);
    box.appendChild(link);
    if (m.count) box.appendChild(document.createTextNode(" (" + Number(m.count) + ")"));
    return box;
  }

  function drawBasemap(map, url) {
    if (!url || typeof topojson === "undefined") return Promise.resolve();
    return fetch(url).then(function (r) { return r.json(); }).then(function (topo) {
      var key = Object.keys(topo.objects)[0];
      var land = topojson.feature(topo, topo.objects[key]);
      L.geoJSON(land, {
        interactive: false,
        style: { color: "#9c8f74", weight: 0.6, fillColor: "#ece4d2", fillOpacity: 1 }
      }).addTo(map);
    }).catch(function () { /* the markers still work without a basemap */ });
  }

  function init(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var map = L.map(el, { attributionControl: true, zoomSnap: 0.25, worldCopyJump: false });
    map.setView([35, 60], 2);  // a view must exist before vector layers are added
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    var bounds = [];
    var nMarkers = 0, nLines = 0;
    drawBasemap(map, el.getAttribute("data-atlas")).then(function () {
      (data.lines || []).forEach(function (line) {
        L.polyline(line.coords, {
          className: "kn-dispersal-line", color: "#b03a2e", opacity: 0.8,
          weight: 1.5 + Math.log(1 + line.count) * 1.5, interactive: false
        }).addTo(map);
        nLines += 1;
      });
      (data.markers || []).forEach(function (m) {
        if (m.lat === null || m.lon === null) return;
        var marker = L.circleMarker([m.lat, m.lon], {
          className: "kn-marker kn-marker-" + m.kind, radius: m.kind === "holder" ? 7 : 6,
          color: "#fff", weight: 1.5, fillColor: COLORS[m.kind] || "#333", fillOpacity: 0.95
        }).addTo(map);
        marker.bindPopup(popupContent(m));
        marker.bindTooltip(escapeHtml(m.name));
        bounds.push([m.lat, m.lon]);
        nMarkers += 1;
      });
      // Keep markers clear of the zoom buttons in the top-left corner.
      if (bounds.length > 1) {
        map.fitBounds(bounds, { paddingTopLeft: [64, 40], paddingBottomRight: [30, 30], maxZoom: 6 });
      }
      else if (bounds.length === 1) map.setView(bounds[0], 4);
      el.setAttribute("data-markers", String(nMarkers));
      el.setAttribute("data-lines", String(nLines));
      el.setAttribute("data-ready", "1");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-mogao-map]"), init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
