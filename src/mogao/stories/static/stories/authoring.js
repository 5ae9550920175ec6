/* Story authoring (#16): progressive enhancement of plain forms that already work without it.
 * - language tabs with a completeness indicator (which languages a text is written in);
 * - the fields of the chosen kind of step only;
 * - the page search without reloading, the page shown in OpenSeadragon and the region drawn on it
 *   with Annotorious (Mogao's eval-free build), written into the "x,y,w,h" field;
 * - reordering steps by drag (the Move up / Move down buttons stay for keyboards).
 * Server HTML is inserted only from Mogao's own escaped templates; everything else uses textContent. */
(function () {
  "use strict";

  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, k) { return values[k] === undefined ? "" : values[k]; });
  }

  /* ------------------------------------------------------------------ language tabs */
  function setupTabs(box) {
    var tablist = box.querySelector("[role=tablist]");
    var tabs = Array.prototype.slice.call(box.querySelectorAll("[role=tab]"));
    var panels = Array.prototype.slice.call(box.querySelectorAll("[role=tabpanel]"));
    if (!tablist || !tabs.length) { return; }
    tablist.hidden = false;
    box.classList.add("tabbed");
    function select(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
      });
      panels.forEach(function (p) { p.hidden = p.dataset.lang !== tab.dataset.lang; });
      if (focus) { tab.focus(); }
    }
    var first = tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0];
    // a language with an error message opens first
    var invalid = box.querySelector("[aria-invalid=true]");
    if (invalid) { first = tabs.filter(function (t) { return t.dataset.lang === invalid.lang; })[0] || first; }
    select(first, false);
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(tab, false); });
      tab.addEventListener("keydown", function (e) {
        var j = null;
        if (e.key === "ArrowRight") { j = (i + 1) % tabs.length; }
        if (e.key === "ArrowLeft") { j = (i - 1 + tabs.length) % tabs.length; }
        if (e.key === "Home") { j = 0; }
        if (e.key === "End") { j = tabs.length - 1; }
        if (j !== null) { e.preventDefault(); select(tabs[j], true); }
      });
    });
    panels.forEach(function (panel) {
      var area = panel.querySelector("textarea");
      if (!area) { return; }
      area.addEventListener("input", function () { markFilled(box, panel.dataset.lang, area.value.trim() !== ""); });
    });
  }

  function markFilled(box, lang, filled) {
    var tab = box.querySelector('[role=tab][data-lang="' + lang + '"]');
    if (tab) {
      tab.classList.toggle("filled", filled);
      var state = tab.querySelector(".lang-state");
      if (state) {
        state.textContent = filled ? "✓" : "–";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " " + (filled ? state.dataset.filled : state.dataset.missing);
        state.appendChild(hidden);
      }
    }
    if (box.dataset.prefix === "text") {
      var dot = document.querySelector('[data-completeness] [data-lang="' + lang + '"]');
      if (dot) {
        dot.classList.toggle("filled", filled);
        dot.textContent = dot.textContent.replace(/ [✓–]$/, "") + (filled ? " ✓" : " –");
      }
    }
  }

  document.querySelectorAll("[data-lang-tabs]").forEach(setupTabs);

  /* ------------------------------------------------------------------ the step form */
  var form = document.querySelector("[data-step-form]");
  if (form) { stepForm(form); }

  function stepForm(form) {
    var state = { viewer: null, anno: null, info: null, width: 0, height: 0, loading: false };
    var regionInput = form.querySelector("#region");
    var status = form.querySelector(".viewer-status");
    var viewerBox = form.querySelector("[data-region-viewer]");
    var drawButton = form.querySelector('[data-action="draw"]');

    function kind() { var k = form.querySelector("input[name=kind]:checked"); return k ? k.value : "image"; }
    function showKind() {
      var k = kind();
      form.querySelectorAll("[data-kinds]").forEach(function (box) {
        box.hidden = box.dataset.kinds.split(" ").indexOf(k) < 0;
      });
      if (k === "text") { loadLines(); }
    }
    form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", showKind); });
    showKind();

    /* page search */
    function search(field) {
      var input = form.querySelector('[data-search-for="' + field + '"]');
      var box = form.querySelector('[data-page-results="' + field + '"]');
      var checked = form.querySelector("input[name=" + field + "]:checked");
      var url = form.dataset.pages + "?field=" + field + "&q=" + encodeURIComponent(input.value) +
        "&selected=" + encodeURIComponent(checked ? checked.value : "");
      var keep = checked ? checked.cloneNode(true) : null;
      box.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          box.textContent = "";
          if (keep) {
            keep.hidden = true;
            keep.checked = true;
            box.appendChild(keep);
          }
          box.appendChild(results(field, data.items || [], keep ? keep.value : ""));
          box.removeAttribute("aria-busy");
          bindChoices(box);
          var firstChoice = box.querySelector("input[type=radio]:not([hidden])");
          if (firstChoice) { firstChoice.focus(); }
        })
        .catch(function () { box.removeAttribute("aria-busy"); });
    }
    function el(tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) { node.className = cls; }
      if (text !== undefined) { node.textContent = text; }
      return node;
    }
    /* the same choices as _pages.html, built with textContent */
    function results(field, items, selected) {
      if (!items.length) { return el("p", "muted", form.dataset.labelNothing); }
      var list = el("ul", "page-results-list");
      items.forEach(function (item) {
        var li = el("li", "page-item");
        var title = el("p", "page-item-title");
        title.appendChild(el("strong", "", item.shelfmark));
        title.appendChild(document.createTextNode(" — "));
        title.appendChild(el("bdi", "", item.title));
        title.appendChild(document.createTextNode(" · "));
        title.appendChild(el("span", "muted", item.holder));
        li.appendChild(title);
        var pages = el("ul", "page-choices");
        item.pages.forEach(function (p) {
          var choice = el("li"), label = el("label", "page-choice"), input = el("input");
          input.type = "radio";
          input.name = field;
          input.value = String(p.id);
          input.dataset.info = p.info;
          input.dataset.width = p.width || "";
          input.dataset.height = p.height || "";
          input.checked = String(p.id) === String(selected);
          label.appendChild(input);
          if (p.thumb) {
            var img = el("img");
            img.src = p.thumb;
            img.alt = "";
            img.loading = "lazy";
            img.width = 60;
            label.appendChild(img);
          }
          label.appendChild(el("span", "", format(form.dataset.labelPage, { n: p.order })));
          label.appendChild(el("span", "visually-hidden", item.shelfmark + ", " + item.holder));
          choice.appendChild(label);
          pages.appendChild(choice);
        });
        li.appendChild(pages);
        list.appendChild(li);
      });
      return list;
    }
    form.querySelectorAll("[data-search]").forEach(function (button) {
      button.addEventListener("click", function (e) { e.preventDefault(); search(button.dataset.search); });
    });
    form.querySelectorAll("[data-search-for]").forEach(function (input) {
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); search(input.dataset.searchFor); }
      });
    });
    function bindChoices(box) {
      box.querySelectorAll("input[name=canvas]").forEach(function (r) {
        r.addEventListener("change", function () {
          if (r.checked) {
            regionInput.value = "";
            openPage(r);
            loadLines();
          }
        });
      });
    }
    bindChoices(form);

    /* the page in OpenSeadragon, the region with Annotorious */
    function loadScript(src, test, done) {
      if (test()) { done(); return; }
      var s = document.createElement("script");
      s.src = src;
      s.onload = done;
      s.onerror = function () { status.textContent = form.dataset.labelError; };
      document.head.appendChild(s);
    }
    function scale() {
      var item = state.viewer && state.viewer.world.getItemAt(0);
      if (!item || !state.width) { return 1; }
      return item.source.dimensions.x / state.width;
    }
    function parseRegion() {
      var m = /^\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*$/.exec(regionInput.value || "");
      return m ? m.slice(1).map(Number) : null;
    }
    function showRegion() {
      if (!state.anno) { return; }
      var r = parseRegion();
      var k = scale();
      if (!r) { state.anno.setAnnotations([], true); return; }
      var g = { x: r[0] * k, y: r[1] * k, w: r[2] * k, h: r[3] * k };
      g.bounds = { minX: g.x, minY: g.y, maxX: g.x + g.w, maxY: g.y + g.h };
      state.anno.setAnnotations([{ id: "step-region", bodies: [], target: { annotation: "step-region", selector: { type: "RECTANGLE", geometry: g } } }], true);
    }
    function startAnnotorious() {
      if (state.anno || !window.AnnotoriousOSD || !state.viewer) { return; }
      try {
        state.anno = window.AnnotoriousOSD.createOSDAnnotator(state.viewer, { drawingEnabled: false, drawingMode: "drag", userSelectAction: "SELECT" });
      } catch (e) {
        status.textContent = form.dataset.labelError;
        return;
      }
      state.anno.setDrawingTool("rectangle");
      state.anno.on("createAnnotation", function (a) {
        var g = a.target.selector.geometry, k = scale();
        var x = Math.max(0, Math.round(g.x / k)), y = Math.max(0, Math.round(g.y / k));
        var w = Math.min(state.width - x, Math.round(g.w / k)), h = Math.min(state.height - y, Math.round(g.h / k));
        setDrawing(false);
        if (w >= 1 && h >= 1) {
          regionInput.value = [x, y, w, h].join(",");
          status.textContent = format(form.dataset.labelDrawn, { region: regionInput.value });
        }
        showRegion();
      });
      viewerBox.dataset.state = "ready";
    }
    function setDrawing(on) {
      if (!state.anno) { return; }
      state.anno.setDrawingEnabled(on);
      drawButton.setAttribute("aria-pressed", on ? "true" : "false");
      if (on) { status.textContent = form.dataset.labelDraw; }
    }
    drawButton.addEventListener("click", function () {
      setDrawing(drawButton.getAttribute("aria-pressed") !== "true");
    });
    regionInput.addEventListener("change", showRegion);

    function openPage(radio) {
      if (!radio || !radio.dataset.info) { return; }
      state.info = radio.dataset.info;
      state.width = Number(radio.dataset.width) || 0;
      state.height = Number(radio.dataset.height) || 0;
      viewerBox.hidden = false;
      viewerBox.dataset.state = "loading";
      loadScript(form.dataset.osd, function () { return !!window.OpenSeadragon; }, function () {
        if (!state.viewer) {
          state.viewer = window.OpenSeadragon({
            element: document.getElementById("region-osd"), prefixUrl: form.dataset.prefix,
            showNavigationControl: false, crossOriginPolicy: "Anonymous", drawer: "canvas",
            gestureSettingsMouse: { clickToZoom: false }, visibilityRatio: 0.5,
          });
          state.viewer.addHandler("open", function () {
            loadScript(form.dataset.annotorious, function () { return !!window.AnnotoriousOSD; }, function () {
              startAnnotorious();
              showRegion();
            });
          });
          state.viewer.addHandler("open-failed", function () { status.textContent = form.dataset.labelError; });
        }
        state.viewer.open(state.info);
      });
    }
    var initial = form.querySelector("input[name=canvas]:checked");
    if (initial) { openPage(initial); }

    /* the transcription's lines of the chosen page (text steps) */
    function loadLines() {
      var list = form.querySelector("[data-lines]");
      var chosen = form.querySelector("input[name=canvas]:checked");
      if (!list || !chosen || kind() !== "text") { return; }
      fetch(form.dataset.pages + "?lines=" + encodeURIComponent(chosen.value), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { lines: [] }; })
        .then(function (data) {
          list.textContent = "";
          (data.lines || []).forEach(function (text) {
            var li = document.createElement("li");
            li.lang = "lzh";
            li.textContent = text;
            list.appendChild(li);
          });
          list.hidden = !(data.lines || []).length;
        });
    }
  }

  /* ------------------------------------------------------------------ reordering on the story page */
  var editor = document.querySelector("[data-story-editor]");
  var list = editor && editor.querySelector("[data-step-list]");
  if (list) { reorderable(editor, list); }

  function reorderable(editor, list) {
    var live = editor.querySelector(".reorder-status");
    var dragged = null;
    function rows() { return Array.prototype.slice.call(list.querySelectorAll(":scope > li")); }
    function csrf() { var i = editor.querySelector("[name=csrfmiddlewaretoken]"); return i ? i.value : ""; }
    function version() { var i = editor.querySelector("input[name=version]"); return i ? i.value : ""; }
    function renumber() {
      var all = rows();
      all.forEach(function (li, i) {
        li.querySelector(".step-n").textContent = String(i + 1);
        var up = li.querySelector('[data-move="up"]'), down = li.querySelector('[data-move="down"]');
        if (up) { up.disabled = i === 0; }
        if (down) { down.disabled = i === all.length - 1; }
      });
    }
    function save(moved) {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrf());
      body.append("version", version());
      rows().forEach(function (li) { body.append("order", li.dataset.stepId); });
      fetch(editor.dataset.reorder, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf() } })
        .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (res) {
          if (!res.ok) { throw new Error("refused"); }
          editor.querySelectorAll("input[name=version]").forEach(function (i) { i.value = res.data.version; });
          var all = rows();
          live.textContent = format(editor.dataset.labelMoved, { n: all.indexOf(moved) + 1, total: all.length });
          list.dataset.saved = String(Number(list.dataset.saved || 0) + 1);
        })
        .catch(function () { live.textContent = editor.dataset.labelFailed; });
    }
    var before = "";
    function order() { return rows().map(function (li) { return li.dataset.stepId; }).join(","); }
    rows().forEach(function (li) {
      li.draggable = true;
      li.addEventListener("dragstart", function (e) {
        dragged = li;
        before = order();
        li.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", li.dataset.stepId);
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("dragging");
        if (dragged && order() !== before) { renumber(); save(dragged); }
        dragged = null;
      });
      li.addEventListener("dragover", function (e) {
        if (!dragged || dragged === li) { return; }
        e.preventDefault();
        var box = li.getBoundingClientRect();
        var after = e.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
      });
      li.addEventListener("drop", function (e) { e.preventDefault(); });
    });
    // keyboard moves reload the page: keep the focus on the button that moved the step
    editor.querySelectorAll(".move-form").forEach(function (f) {
      f.addEventListener("submit", function (e) {
        var button = e.submitter;
        try { window.sessionStorage.setItem("mogao-story-move", button ? button.value : ""); } catch (err) { /* private mode */ }
      });
    });
    var direction = null;
    try { direction = window.sessionStorage.getItem("mogao-story-move"); window.sessionStorage.removeItem("mogao-story-move"); } catch (err) { /* private mode */ }
    if (direction && window.location.hash.indexOf("#step-") === 0) {
      var target = document.getElementById(window.location.hash.slice(1));
      var button = target && target.querySelector('[data-move="' + direction + '"]');
      if (button && button.disabled) { button = target.querySelector("[data-move]:not([disabled])"); }
      if (button) {
        button.focus();
        // the browser's scroll to the fragment, after load, may take the focus back to the page
        window.addEventListener("load", function () { window.setTimeout(function () { button.focus(); }, 0); });
      }
    }
  }
})();
