/* Mogao reading room: the page image (OpenSeadragon) beside its transcription, kept in step.
 *
 * Hovering or focusing a character or line draws its box on the image as an OpenSeadragon overlay;
 * pointing at the image lights the character under the pointer. Options switch script, layout,
 * punctuation, pinyin ruby and font size; glosses come from /reading/gloss; search inside the item
 * highlights hits in the text and as boxes on the image. Keyboard: one Tab stop in the text, arrows
 * move the way the text is read (columns right to left in vertical text).
 */
(function () {
  "use strict";

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function Reading(root) {
    this.root = root;
    this.data = JSON.parse(document.getElementById("reading-data").textContent);
    this.list = root.querySelector("ol.lines");
    this.gloss = root.querySelector("#gloss");
    this.script = "original";
    this.hitBoxes = [];
    this.glossCache = {};
  }

  Reading.prototype.start = function () {
    var self = this;
    if (this.data.service && window.OpenSeadragon) {
      this.viewer = window.OpenSeadragon({
        element: document.getElementById("reading-osd"),
        prefixUrl: this.root.dataset.prefix,
        tileSources: this.data.service + "/info.json",
        showNavigationControl: true,
        crossOriginPolicy: "Anonymous",
        drawer: "canvas",
        gestureSettingsMouse: { clickToZoom: false },
      });
      this.focusBox = this.makeBox("reading-box");
      this.viewer.addHandler("open", function () { self.root.dataset.state = "open"; self.showHits(); self.landOnLine(); });
      this.viewer.addHandler("zoom", function (event) {  // a deep-zoom interaction, counted once per page (#18)
        if (self.zoomSent || !window.mogaoAudience || !self.viewer.world.getItemCount()) return;
        if (event.zoom > self.viewer.viewport.getHomeZoom() * 1.5) {
          self.zoomSent = true;
          window.mogaoAudience.send({ kind: "zoom", href: location.pathname,
            page: parseInt(self.root.dataset.order || "0", 10) || undefined });
        }
      });
      new window.OpenSeadragon.MouseTracker({
        element: this.viewer.canvas,
        moveHandler: function (event) { self.pointAt(event.position); },
      });
    }
    this.bindText();
    this.bindOptions();
    this.bindSearch();
    window.mogaoReading = this;
  };

  /* A line's stable URL ends in #l<n>: focus its first character and draw the line's box. */
  Reading.prototype.landOnLine = function () {
    var match = /^#l(\d+)$/.exec(window.location.hash);
    var li = match && this.list && document.getElementById("l" + match[1]);
    if (!li) { return; }
    var first = this.visibleChars(li)[0];
    if (first) { first.focus(); }
    this.highlight(this.lineData(li).box);
  };

  Reading.prototype.makeBox = function (cls) {
    var el = document.createElement("div");
    el.className = cls;
    el.setAttribute("aria-hidden", "true");
    return el;
  };

  /* Canvas pixels -> viewport rectangle. The image may be a smaller derivative than the canvas. */
  Reading.prototype.rect = function (box) {
    var item = this.viewer.world.getItemAt(0);
    var scale = item ? item.getContentSize().x / (this.data.width || item.getContentSize().x) : 1;
    return this.viewer.viewport.imageToViewportRectangle(box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale);
  };

  Reading.prototype.highlight = function (box) {
    if (!this.viewer || !this.viewer.world.getItemCount()) { return; }
    if (!box) { this.viewer.removeOverlay(this.focusBox); return; }
    if (this.focusBox.parentNode) { this.viewer.updateOverlay(this.focusBox, this.rect(box)); }
    else { this.viewer.addOverlay({ element: this.focusBox, location: this.rect(box) }); }
  };

  Reading.prototype.lineData = function (li) { return this.data.lines[Number(li.dataset.line)]; };

  Reading.prototype.charBox = function (span) {
    var line = this.lineData(span.closest("li.line"));
    return line.chars[Number(span.dataset.i)] || line.box;
  };

  Reading.prototype.bindText = function () {
    var self = this;
    if (!this.list) { return; }
    this.list.addEventListener("mouseover", function (event) {
      var span = event.target.closest(".ch");
      var li = event.target.closest("li.line");
      if (span) { self.activate(span, false); }
      else if (li && event.target.closest(".line-no")) { self.highlight(self.lineData(li).box); }
    });
    this.list.addEventListener("focusin", function (event) {
      var span = event.target.closest(".ch");
      if (span) { self.activate(span, true); }
    });
    this.list.addEventListener("click", function (event) {
      var span = event.target.closest(".ch");
      if (span) { span.focus(); }
    });
    this.list.addEventListener("keydown", function (event) { self.key(event); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !self.gloss.hidden) { self.gloss.hidden = true; }
    });
  };

  Reading.prototype.activate = function (span, focused) {
    var prev = this.list.querySelectorAll(".ch.is-active");
    for (var i = 0; i < prev.length; i++) { prev[i].classList.remove("is-active"); }
    span.classList.add("is-active");
    if (focused) {
      var all = this.list.querySelectorAll('.ch[tabindex="0"]');
      for (var k = 0; k < all.length; k++) { all[k].tabIndex = -1; }
      span.tabIndex = 0;
    }
    this.highlight(this.charBox(span));
    this.showGloss(span);
  };

  Reading.prototype.visibleChars = function (li) {
    return Array.prototype.filter.call(li.querySelectorAll(".ch"), function (el) { return el.offsetParent !== null; });
  };

  /* Arrow keys follow the reading order: down a column and leftwards to the next column in vertical
   * text, along a row and down to the next row in horizontal text. */
  Reading.prototype.key = function (event) {
    var span = event.target.closest(".ch");
    if (!span) { return; }
    var li = span.closest("li.line");
    var lines = Array.prototype.slice.call(this.list.querySelectorAll("li.line"));
    var vertical = this.list.classList.contains("is-vertical");
    var map = vertical
      ? { ArrowDown: "char+", ArrowUp: "char-", ArrowLeft: "line+", ArrowRight: "line-" }
      : { ArrowRight: "char+", ArrowLeft: "char-", ArrowDown: "line+", ArrowUp: "line-" };
    map.Home = "home"; map.End = "end";
    var move = map[event.key];
    if (!move) { return; }
    event.preventDefault();
    var chars = this.visibleChars(li);
    var i = chars.indexOf(span);
    var target = null;
    if (move === "char+") { target = chars[i + 1] || this.firstOf(lines, lines.indexOf(li) + 1, 0); }
    else if (move === "char-") { target = chars[i - 1] || this.firstOf(lines, lines.indexOf(li) - 1, -1); }
    else if (move === "line+" || move === "line-") {
      var other = lines[lines.indexOf(li) + (move === "line+" ? 1 : -1)];
      if (other) { var oc = this.visibleChars(other); target = oc[Math.min(i, oc.length - 1)]; }
    } else if (move === "home") { target = chars[0]; }
    else if (move === "end") { target = chars[chars.length - 1]; }
    if (target) { target.focus(); }
  };

  Reading.prototype.firstOf = function (lines, index, which) {
    var li = lines[index];
    if (!li) { return null; }
    var chars = this.visibleChars(li);
    return which === 0 ? chars[0] : chars[chars.length - 1];
  };

  Reading.prototype.pointAt = function (position) {
    if (!this.viewer.world.getItemCount()) { return; }
    var item = this.viewer.world.getItemAt(0);
    var scale = item.getContentSize().x / (this.data.width || item.getContentSize().x);
    var p = this.viewer.viewport.viewerElementToImageCoordinates(position);
    var x = p.x / scale, y = p.y / scale;
    var lines = this.data.lines;
    for (var l = 0; l < lines.length; l++) {
      for (var c = 0; c < lines[l].chars.length; c++) {
        var b = lines[l].chars[c];
        if (b && x >= b[0] && x <= b[0] + b[2] && y >= b[1] && y <= b[1] + b[3]) {
          var span = this.list.querySelector('li.line[data-line="' + lines[l].index + '"] .ch[data-i="' + c + '"]');
          if (span) { this.activate(span, false); }
          return;
        }
      }
    }
  };

  Reading.prototype.lineText = function (li) {
    return Array.prototype.map.call(li.querySelectorAll(".ch"), function (el) { return el.dataset.text || el.textContent; }).join("");
  };

  Reading.prototype.showGloss = function (span) {
    var self = this;
    var li = span.closest("li.line");
    var line = this.lineData(li);
    var text = (line[this.script] || line.original).join("");
    var at = Number(span.dataset.i);
    var key = text + "\u0000" + at;
    this.glossSpan = span;
    var render = function (data) { if (self.glossSpan === span) { self.renderGloss(data, span); } };
    if (this.glossCache[key]) { render(this.glossCache[key]); return; }
    fetch(this.root.dataset.glossUrl + "?text=" + encodeURIComponent(text) + "&at=" + at)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { self.glossCache[key] = data; render(data); } })
      .catch(function () {});
  };

  Reading.prototype.renderGloss = function (data, span) {
    var g = this.gloss;
    var wade = this.root.querySelector('input[name="wadegiles"]').checked;
    g.textContent = "";
    var head = document.createElement("p");
    head.className = "gloss-head";
    var word = document.createElement("strong");
    word.lang = "zh-Hant";
    word.textContent = data.word;
    head.appendChild(word);
    var reading = document.createElement("span");
    reading.className = "gloss-pinyin";
    reading.lang = "zh-Latn-pinyin";
    reading.textContent = " " + data.pinyin + (wade ? " · " + data.wade_giles : "");
    head.appendChild(reading);
    g.appendChild(head);
    if (!data.entries.length) {
      var none = document.createElement("p");
      none.textContent = this.root.dataset.labelNodef;
      g.appendChild(none);
    }
    var list = document.createElement("ul");
    list.lang = "en";
    data.entries.forEach(function (entry) {
      var li = document.createElement("li");
      li.textContent = entry.pinyin + ": " + entry.definitions.join("; ");
      list.appendChild(li);
    });
    g.appendChild(list);
    if (data.variants.length) {
      var v = document.createElement("p");
      v.textContent = this.root.dataset.labelVariants + ": ";
      var vs = document.createElement("span");
      vs.lang = "zh";
      vs.textContent = data.variants.join(" ");
      v.appendChild(vs);
      g.appendChild(v);
    }
    var a = document.createElement("a");
    a.href = data.search;
    a.textContent = this.root.dataset.labelSearch + " (" + data.word + ")";
    g.appendChild(a);
    g.hidden = false;
    var r = span.getBoundingClientRect();
    var host = g.offsetParent ? g.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
    if (String(getComputedStyle(span).writingMode).indexOf("vertical") === 0) {
      // Vertical text reads downwards: below the character is the next one, so the gloss goes
      // beside the column, over the column already read (to its right in vertical-rl).
      g.style.left = (r.right - host.left + 6) + "px";
      g.style.top = Math.max(0, r.top - host.top) + "px";
    } else {
      g.style.left = Math.max(0, r.left - host.left) + "px";
      g.style.top = (r.bottom - host.top + 6) + "px";
    }
  };

  /* A reader's display choices outlive the page: kept in this browser (localStorage, no cookie)
   * and restored on "Next page", on reload and in other items. Layout is kept only once the
   * reader has chosen one; until then each page opens in its own direction. */
  var STORE = "mogao.reading.options";

  function loadChoices() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "{}") || {}; } catch (e) { return {}; }
  }

  function saveChoices(choices) {
    try { window.localStorage.setItem(STORE, JSON.stringify(choices)); } catch (e) { /* private mode */ }
  }

  Reading.prototype.restoreOptions = function (form) {
    var saved = loadChoices();
    ["script", "layout"].forEach(function (name) {
      if (!saved[name]) { return; }
      var radio = form.querySelector('input[name="' + name + '"][value="' + saved[name] + '"]');
      if (radio) { radio.checked = true; }
    });
    ["punctuation", "ruby", "wadegiles"].forEach(function (name) {
      var box = form.querySelector('input[name="' + name + '"]');
      if (box && typeof saved[name] === "boolean") { box.checked = saved[name]; }
    });
    var size = form.querySelector('input[name="size"]');
    if (size && saved.size && /^\d+$/.test(String(saved.size))) { size.value = String(saved.size); }
  };

  Reading.prototype.rememberOptions = function (form, changed) {
    var saved = loadChoices();
    var script = form.querySelector('input[name="script"]:checked');
    var layout = form.querySelector('input[name="layout"]:checked');
    if (script) { saved.script = script.value; }
    if (layout && (changed === "layout" || saved.layout)) { saved.layout = layout.value; }
    ["punctuation", "ruby", "wadegiles"].forEach(function (name) {
      var box = form.querySelector('input[name="' + name + '"]');
      if (box) { saved[name] = box.checked; }
    });
    var size = form.querySelector('input[name="size"]');
    if (size) { saved.size = size.value; }
    saveChoices(saved);
  };

  Reading.prototype.bindOptions = function () {
    var self = this;
    var form = this.root.querySelector(".reading-options");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    this.restoreOptions(form);
    var changed = function (event) {
      self.rememberOptions(form, event.target && event.target.name);
      self.applyOptions();
    };
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    this.applyOptions();
  };

  Reading.prototype.applyOptions = function () {
    var form = this.root.querySelector(".reading-options");
    var script = form.querySelector('input[name="script"]:checked').value;
    var layout = form.querySelector('input[name="layout"]:checked').value;
    var punct = form.querySelector('input[name="punctuation"]');
    var ruby = form.querySelector('input[name="ruby"]').checked;
    var size = form.querySelector('input[name="size"]').value;
    if (!this.list) { return; }
    this.list.classList.toggle("is-vertical", layout === "vertical");
    this.list.classList.toggle("is-horizontal", layout !== "vertical");
    this.list.classList.toggle("no-punct", !!punct && !punct.checked);
    this.list.classList.toggle("with-ruby", ruby);
    this.list.style.setProperty("--reading-size", size + "px");
    this.list.lang = script === "simplified" ? "zh-Hans" : "zh-Hant";
    if (script !== this.script || ruby !== this.ruby) { this.renderScript(script, ruby); }
  };

  /* Rewrite each character in the chosen script, keeping the spans (and so the boxes) in place. */
  Reading.prototype.renderScript = function (script, ruby) {
    var self = this;
    this.script = script;
    this.ruby = ruby;
    Array.prototype.forEach.call(this.list.querySelectorAll("li.line"), function (li) {
      var line = self.lineData(li);
      var chars = line[script] || line.original;
      Array.prototype.forEach.call(li.querySelectorAll(".ch"), function (span) {
        var i = Number(span.dataset.i);
        var ch = chars[i];
        span.dataset.text = ch;
        span.textContent = "";
        if (ruby && line.pinyin[i]) {
          var r = document.createElement("ruby");
          r.appendChild(document.createTextNode(ch));
          var rt = document.createElement("rt");
          rt.textContent = line.pinyin[i];
          r.appendChild(rt);
          span.appendChild(r);
        } else {
          span.textContent = ch;
        }
      });
    });
  };

  Reading.prototype.bindSearch = function () {
    var self = this;
    var form = this.root.querySelector(".reading-search");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.search(form.querySelector('input[name="q"]').value, true);
    });
    var q = form.querySelector('input[name="q"]').value;
    if (q) { this.search(q, false); }
  };

  Reading.prototype.search = function (q, announce) {
    var self = this;
    var status = this.root.querySelector(".reading-search-status");
    var list = this.root.querySelector(".reading-hits");
    q = q.trim();
    if (!q) { return; }
    fetch(this.root.dataset.searchUrl + "?q=" + encodeURIComponent(q))
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        list.textContent = "";
        status.textContent = data.total ? fmt(self.root.dataset.labelHits, { n: data.total }) : self.root.dataset.labelNohit;
        var here = data.hits.filter(function (h) { return String(h.page) === self.root.dataset.order; });
        data.hits.slice(0, 50).forEach(function (hit) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = hit.url;
          a.textContent = fmt(self.root.dataset.labelPage, { n: hit.page }) + ": " + hit.prefix + "【" + hit.exact + "】" + hit.suffix;
          a.lang = "zh-Hant";
          li.appendChild(a);
          list.appendChild(li);
        });
        self.hits = here;
        self.markHits();
        self.showHits();
        var first = self.list && self.list.querySelector(".ch.is-hit");
        if (first) {
          first.scrollIntoView({ block: "center", inline: "center" });
          if (!announce) { first.focus({ preventScroll: true }); }
        } else if (!announce && data.hits.length) {
          window.location.assign(data.hits[0].url);
        }
      })
      .catch(function () { status.textContent = self.root.dataset.labelError; });
  };

  Reading.prototype.markHits = function () {
    if (!this.list) { return; }
    var old = this.list.querySelectorAll(".ch.is-hit");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("is-hit"); }
    var self = this;
    (this.hits || []).forEach(function (hit) {
      hit.spans.forEach(function (span) {
        for (var c = span[1]; c <= span[2]; c++) {
          var el = self.list.querySelector('li.line[data-line="' + span[0] + '"] .ch[data-i="' + c + '"]');
          if (el) { el.classList.add("is-hit"); }
        }
      });
    });
  };

  Reading.prototype.showHits = function () {
    var self = this;
    if (!this.viewer || !this.viewer.world.getItemCount()) { return; }
    this.hitBoxes.forEach(function (el) { self.viewer.removeOverlay(el); });
    this.hitBoxes = [];
    (this.hits || []).forEach(function (hit) {
      hit.boxes.forEach(function (box) {
        var el = self.makeBox("reading-hit-box");
        self.viewer.addOverlay({ element: el, location: self.rect(box) });
        self.hitBoxes.push(el);
      });
    });
  };

  function init() {
    var root = document.querySelector("[data-reading]");
    if (root) { new Reading(root).start(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
