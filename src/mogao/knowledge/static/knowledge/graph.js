/* Relationship graph (ECharts force layout) from the JSON in #<data-source> of #kn-graph.
   Clicking a node opens its page; the same nodes and links are listed as HTML for everyone. */
(function () {
  "use strict";
  // ECharts renders what a tooltip formatter returns as HTML: record names must arrive as text.
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text === undefined || text === null ? "" : String(text);
    return div.innerHTML.replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function start() {
    var el = document.getElementById("kn-graph");
    if (!el || typeof echarts === "undefined") return;
    var data = JSON.parse(document.getElementById(el.getAttribute("data-source")).textContent);
    var names = data.category_labels || data.categories;
    var cats = data.categories.map(function (c, i) { return { name: names[i] }; });
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        formatter: function (p) { return escapeHtml(p.dataType === "edge" ? p.data.label : p.data.name); }
      },
      legend: [{ data: names, bottom: 0 }],
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        categories: cats,
        label: { show: true, position: "right", fontSize: 12 },
        force: { repulsion: 220, edgeLength: [60, 140] },
        lineStyle: { color: "#9c8f74", width: 1.2 },
        data: data.nodes.map(function (n) {
          return {
            id: n.id, name: n.name, url: n.url, category: data.categories.indexOf(n.category),
            symbolSize: n.id === data.center ? 34 : (n.level === 1 ? 20 : 12)
          };
        }),
        links: data.links.map(function (l) { return { source: l.source, target: l.target, label: l.label }; })
      }]
    });
    chart.on("click", function (p) { if (p.dataType === "node" && p.data.url) window.location.href = p.data.url; });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
