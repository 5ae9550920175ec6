/* Audience charts (#18): bar charts drawn by ECharts from JSON; every chart has its table beside it. */
(function () {
  "use strict";
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text === undefined || text === null ? "" : String(text);
    return div.innerHTML.replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function draw(el, spec) {
    if (!spec || !spec.categories || !spec.categories.length) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", formatter: function (items) {
        return items.map(function (p) { return escapeHtml(p.seriesName) + ": " + escapeHtml(p.value); })
          .join("<br>") + "<br>" + escapeHtml(items.length ? items[0].axisValue : "");
      } },
      legend: { bottom: 0, formatter: function (name) { return name; } },
      grid: { left: 48, right: 16, top: 16, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 4 ? 30 : 0,
        formatter: function (v) { return v.length > 24 ? v.slice(0, 23) + "…" : v; } } },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data, emphasis: { focus: "series" } }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() {
    if (typeof echarts === "undefined") return;
    var all = document.getElementById("audience-charts");
    var specs = all ? JSON.parse(all.textContent) : {};
    var single = document.getElementById("chart-data-languages-src");
    if (single) specs.languages = JSON.parse(single.textContent);
    Array.prototype.forEach.call(document.querySelectorAll(".audience-chart"), function (el) {
      draw(el, specs[el.id.replace(/^chart-/, "")]);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
