/* Reader annotations next to a viewer (#15): list what the reader may see from the W3C container
 * of the current page, and — for signed-in readers — draw a region with Annotorious on the
 * OpenSeadragon viewer or pick characters of the transcription, write a note and POST it.
 * Everything the server sends is written with textContent: nothing is ever parsed as markup. */
(function () {
  "use strict";
  var PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
  var PREFER = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"';
  var root = document.querySelector("[data-annotations]");
  var configEl = document.getElementById("anno-config");
  if (!root || !configEl) { return; }
  var config = JSON.parse(configEl.textContent);
  var list = root.querySelector(".anno-list");
  var status = root.querySelector(".anno-status");
  var form = root.querySelector(".anno-form");
  var drawButton = root.querySelector('[data-action="draw"]');
  var state = { canvas: config.canvases[0] || null, pending: null, anno: null, viewer: null, lastChar: null,
    mine: {}, items: {} };

  function label(name) { return root.dataset[name] || ""; }
  function csrf() { var input = form && form.querySelector("[name=csrfmiddlewaretoken]"); return input ? input.value : ""; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function asList(v) { return Array.isArray(v) ? v : (v ? [v] : []); }
  function xywh(annotation) {
    var sel = annotation.target && annotation.target.selector;
    var m = sel && !Array.isArray(sel) && /^xywh=(?:pixel:)?(\d+),(\d+),(\d+),(\d+)$/.exec(sel.value || "");
    return m ? m.slice(1).map(Number) : null;
  }
  function quote(annotation) {
    var q = asList(annotation.target && annotation.target.selector).filter(function (s) { return s.type === "TextQuoteSelector"; })[0];
    return q ? q.exact : "";
  }

  /* ------------------------------------------------------------------ the list */
  function ownControls(li, a) {
    var own = state.mine[a.id];
    if (!own) { return; }
    if (own.statusLabel) { li.appendChild(el("p", "anno-pending", own.statusLabel)); }
    var bar = el("div", "anno-own");
    if (own.editable) {
      var edit = el("button", "anno-edit", label("labelEdit"));
      edit.type = "button";
      edit.addEventListener("click", function () { editAnnotation(a); });
      bar.appendChild(edit);
    }
    if (own.deletable) {
      var del = el("button", "anno-delete", label("labelDelete"));
      del.type = "button";
      del.addEventListener("click", function () { deleteAnnotation(a); });
      bar.appendChild(del);
    }
    li.appendChild(bar);
  }

  function render(items) {
    list.textContent = "";
    state.items = {};
    if (!items.length) { status.textContent = label("labelEmpty"); return; }
    status.textContent = "";
    items.forEach(function (a) {
      var li = el("li", "anno");
      var where = el("p", "anno-where muted", xywh(a) ? label("labelRegion") : label("labelText"));
      li.appendChild(where);
      var q = quote(a);
      if (q) { var bq = el("q", "anno-quote", q); bq.lang = "zh-Hant"; li.appendChild(bq); }
      asList(a.body).forEach(function (b) {
        if (b.purpose === "tagging") { return; }
        var p = el("p", "anno-text", b.value);
        p.dir = "auto";
        if (b.language) { p.lang = b.language; }
        li.appendChild(p);
      });
      var tags = asList(a.body).filter(function (b) { return b.purpose === "tagging"; });
      if (tags.length) {
        var ul = el("ul", "anno-tagged");
        tags.forEach(function (b) { ul.appendChild(el("li", "tag", config.tags[b.value] || b.value)); });
        li.appendChild(ul);
      }
      var aud = a.audience && a.audience["schema:audienceType"];
      if (aud) { li.appendChild(el("p", "anno-audience muted", config.visibility[aud] || aud)); }
      li.dataset.id = a.id;
      state.items[a.id] = a;
      ownControls(li, a);
      list.appendChild(li);
    });
  }

  function fetchPage(url, into) {
    return fetch(url, { headers: { Accept: PROFILE, Prefer: PREFER }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        var page = data.type === "AnnotationPage" ? data : data.first;
        if (!page) { return into; }
        if (typeof page === "string") { return fetchPage(page, into); }
        into.push.apply(into, page.items || []);
        return page.next && into.length < 500 ? fetchPage(page.next, into) : into;
      });
  }

  function fetchMine() {
    state.mine = {};
    if (!config.canWrite || !state.canvas.mine) { return Promise.resolve(); }
    return fetch(state.canvas.mine, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { (data.items || []).forEach(function (m) { state.mine[m.id] = m; }); })
      .catch(function () { return null; });
  }

  function load() {
    if (!state.canvas) { return; }
    Promise.all([fetchPage(state.canvas.container, []), fetchMine()]).then(function (res) {
      var items = res[0];
      render(items);
      showShapes(items);
    }).catch(function () { status.textContent = label("labelError"); });
  }

  /* ------------------------------------------------------------------ Annotorious */
  function scale() {
    var item = state.viewer && state.viewer.world.getItemAt(0);
    if (!item || !state.canvas || !state.canvas.width) { return 1; }
    return item.source.dimensions.x / state.canvas.width;
  }

  function showShapes(items) {
    if (!state.anno) { return; }
    var k = scale();
    var shapes = items.filter(xywh).map(function (a) {
      var r = xywh(a);
      var g = { x: r[0] * k, y: r[1] * k, w: r[2] * k, h: r[3] * k };
      g.bounds = { minX: g.x, minY: g.y, maxX: g.x + g.w, maxY: g.y + g.h };
      return { id: a.id, bodies: [], target: { annotation: a.id, selector: { type: "RECTANGLE", geometry: g } } };
    });
    state.anno.setAnnotations(shapes, true);
  }

  function startAnnotorious() {
    if (!config.canWrite || !state.viewer || !window.AnnotoriousOSD || state.anno) { return; }
    try {
      state.anno = window.AnnotoriousOSD.createOSDAnnotator(state.viewer, { drawingEnabled: false, drawingMode: "drag", userSelectAction: "SELECT" });
    } catch (e) {
      status.textContent = label("labelError");
      return;
    }
    state.anno.setDrawingTool("rectangle");
    state.anno.on("createAnnotation", function (a) {
      var g = a.target.selector.geometry;
      var k = scale();
      var c = state.canvas;
      var x = Math.max(0, Math.round(g.x / k)), y = Math.max(0, Math.round(g.y / k));
      var w = Math.min(c.width - x, Math.round(g.w / k)), h = Math.min(c.height - y, Math.round(g.h / k));
      setDrawing(false);
      if (w < 1 || h < 1) { state.anno.removeAnnotation(a.id); return; }
      openForm({ kind: "region", xywh: [x, y, w, h], temp: a.id }, label("labelRegion") + " " + [x, y, w, h].join(","));
    });
  }

  function setDrawing(on) {
    if (!state.anno) { return; }
    state.anno.setDrawingEnabled(on);
    if (drawButton) { drawButton.setAttribute("aria-pressed", on ? "true" : "false"); }
    if (on) {
      status.textContent = label("labelDraw");
      state.viewer.element.scrollIntoView({ block: "nearest" });
    }
  }

  function loadAnnotorious(done) {
    if (!config.canWrite || window.AnnotoriousOSD) { done(); return; }
    var s = document.createElement("script");
    s.src = root.dataset.annotorious;
    s.onload = done;
    s.onerror = done;
    document.head.appendChild(s);
  }

  /* ------------------------------------------------------------------ the form */
  function openForm(pending, description, keep) {
    if (!keep) { form.reset(); }
    state.pending = pending;
    form.hidden = false;
    form.querySelector(".anno-target").textContent = description;
    form.querySelector(".anno-error").textContent = "";
    form.querySelector("textarea").focus();
  }

  /* ------------------------------------------------------------------ edit and delete (PUT/DELETE with If-Match) */
  function editAnnotation(a) {
    var own = state.mine[a.id];
    if (!own || !form) { return; }
    form.reset();
    var text = asList(a.body).filter(function (b) { return b.purpose !== "tagging"; })[0];
    form.querySelector("textarea").value = text ? text.value : "";
    if (text && text.language) { form.querySelector("[name=language]").value = text.language; }
    if (text && text.purpose) { form.querySelector("[name=purpose]").value = text.purpose; }
    var tags = asList(a.body).filter(function (b) { return b.purpose === "tagging"; }).map(function (b) { return b.value; });
    form.querySelectorAll("input[name=tag]").forEach(function (box) { box.checked = tags.indexOf(box.value) >= 0; });
    var aud = (a.audience && a.audience["schema:audienceType"]) || "private";
    form.querySelectorAll("input[name=visibility]").forEach(function (r) { r.checked = r.value === aud; });
    var group = form.querySelector("[name=group]");
    if (group && a.audience && a.audience.id) { group.value = a.audience.id.replace(/\/$/, "").split("/").pop(); }
    var where = xywh(a) ? label("labelRegion") : label("labelText") + " «" + quote(a) + "»";
    openForm({ kind: "edit", id: a.id, etag: own.etag, target: a.target }, label("labelEditing") + " " + where, true);
  }

  function deleteAnnotation(a) {
    var own = state.mine[a.id];
    if (!own || !window.confirm(label("labelConfirmdelete"))) { return; }
    fetch(a.id, { method: "DELETE", credentials: "same-origin", headers: { "If-Match": own.etag, "X-CSRFToken": csrf() } })
      .then(function (r) {
        if (r.status !== 204) { return r.json().catch(function () { return {}; }).then(function (d) { throw new Error(d.error || r.status); }); }
        if (state.pending && state.pending.id === a.id) { closeForm(); }
        load();
        status.textContent = label("labelDeleted");
      })
      .catch(function (e) { status.textContent = label("labelFailed") + " " + e.message; });
  }

  function closeForm() {
    if (state.pending && state.pending.temp && state.anno) { state.anno.removeAnnotation(state.pending.temp); }
    state.pending = null;
    if (!form) { return; }  // anonymous readers have no form: the viewer still closes it on each page
    form.hidden = true;
    form.reset();
  }

  function payload() {
    var data = new FormData(form);
    var text = String(data.get("text") || "").trim();
    var purpose = String(data.get("purpose") || "commenting");
    var body = [];
    if (text) { body.push({ type: "TextualBody", value: text, language: data.get("language"), format: "text/plain", purpose: purpose }); }
    data.getAll("tag").forEach(function (t) { body.push({ type: "TextualBody", value: t, purpose: "tagging" }); });
    var p = state.pending, c = state.canvas, target;
    if (p.kind === "edit") {
      target = p.target;
    } else if (p.kind === "region") {
      target = { source: c.canvas, selector: { type: "FragmentSelector", conformsTo: "http://www.w3.org/TR/media-frags/", value: "xywh=" + p.xywh.join(",") } };
    } else {
      target = { source: c.transcription, selector: [{ type: "TextPositionSelector", start: p.start, end: p.end }, { type: "TextQuoteSelector", exact: p.exact }] };
    }
    var audience = { type: "schema:Audience", "schema:audienceType": data.get("visibility") || "private" };
    if (audience["schema:audienceType"] === "group" && data.get("group")) {
      audience.id = window.location.origin + "/annotations/groups/" + data.get("group") + "/";
    }
    return { "@context": "http://www.w3.org/ns/anno.jsonld", type: "Annotation", motivation: text ? purpose : "tagging", body: body, target: target, audience: audience };
  }

  function submit(event) {
    event.preventDefault();
    if (!state.pending) { return; }
    var errorBox = form.querySelector(".anno-error");
    var editing = state.pending.kind === "edit";
    var headers = { "Content-Type": PROFILE, Accept: PROFILE, "X-CSRFToken": csrf() };
    if (editing) { headers["If-Match"] = state.pending.etag; }
    var data = payload();
    if (editing) { data.id = state.pending.id; }
    fetch(editing ? state.pending.id : state.canvas.container, {
      method: editing ? "PUT" : "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(data),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (!res.ok) {
        errorBox.textContent = label("labelFailed") + " " + (res.data.field ? res.data.field + ": " : "") + (res.data.error || "");
        return;
      }
      closeForm();
      status.textContent = label("labelSaved");
      load();
      window.setTimeout(function () { status.textContent = label("labelSaved"); }, 0);
    }).catch(function () { errorBox.textContent = label("labelFailed"); });
  }

  /* ------------------------------------------------------------------ transcription ranges */
  function charOffsets() {
    var offsets = new Map(), start = 0;
    document.querySelectorAll(".lines .line").forEach(function (line) {
      var chars = line.querySelectorAll(".ch");
      chars.forEach(function (ch, i) { offsets.set(ch, { at: start + i, line: line }); });
      start += chars.length + 1;
    });
    return offsets;
  }

  function annotateText() {
    var offsets = charOffsets(), picked = [];
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) {
      offsets.forEach(function (v, ch) { if (selection.containsNode(ch, true)) { picked.push(v.at); } });
    }
    if (!picked.length && state.lastChar && offsets.has(state.lastChar)) { picked.push(offsets.get(state.lastChar).at); }
    if (!picked.length) { status.textContent = label("labelNoselection"); return; }
    var start = Math.min.apply(null, picked), end = Math.max.apply(null, picked) + 1, exact = "";
    offsets.forEach(function (v, ch) { if (v.at >= start && v.at < end) { exact += ch.textContent; } });
    openForm({ kind: "text", start: start, end: end, exact: exact }, label("labelText") + " «" + exact + "»");
  }

  /* ------------------------------------------------------------------ wiring */
  function attachViewer(tries) {
    var reader = (window.mogaoViewers || [])[0];
    var reading = window.mogaoReading;
    if (config.mode === "text" && reading) {
      state.viewer = reading.viewer || null;
      loadAnnotorious(function () { startAnnotorious(); load(); });
      return;
    }
    if (reader && reader.viewer) {
      state.viewer = reader.viewer;
      loadAnnotorious(function () {
        startAnnotorious();
        state.viewer.addHandler("open", function () {
          var page = reader.pages[reader.index];
          state.canvas = config.canvases.filter(function (c) { return page && c.order === page.order; })[0] || state.canvas;
          closeForm();
          load();
        });
        if (state.viewer.world.getItemCount()) { load(); }
      });
      return;
    }
    if (tries < 100) { window.setTimeout(function () { attachViewer(tries + 1); }, 100); } else { load(); }
  }

  if (form) {
    form.addEventListener("submit", submit);
    form.querySelector('[data-action="cancel"]').addEventListener("click", closeForm);
  }
  if (drawButton) {
    drawButton.addEventListener("click", function () {
      if (!state.anno) { status.textContent = label("labelError"); return; }
      setDrawing(drawButton.getAttribute("aria-pressed") !== "true");
    });
  }
  var textButton = root.querySelector('[data-action="annotate-text"]');
  if (textButton) {
    document.addEventListener("focusin", function (e) { if (e.target.classList && e.target.classList.contains("ch")) { state.lastChar = e.target; } });
    textButton.addEventListener("mousedown", function (e) { e.preventDefault(); });
    textButton.addEventListener("click", annotateText);
  }
  attachViewer(0);
})();
