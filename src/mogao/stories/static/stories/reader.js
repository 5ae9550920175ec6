/* Mogao story reader (#16): a sticky stage driven by the steps beside it.
 *
 * Three ways to move: scrolling (an IntersectionObserver watching a line across the middle of the
 * window, Scrollama-style), the previous/next buttons and the keyboard (arrows, Home, End), and
 * autoplay (the narration's end, or a reading time, moves on). Image steps open their page in
 * OpenSeadragon only when the step is reached (a 50-step story loads the images of the steps read,
 * no more) and fly to the region; with prefers-reduced-motion the view is set at once instead.
 * Every step has a link (#step-4) and image steps a IIIF Content State link (?iiif-content=).
 * window.mogaoStory exposes the state for tests: current(), viewerBounds(), go(n).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-story]");
  if (!root) return;

  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // where a step becomes current: the middle of the window, or below the stage on a phone
  var narrow = window.matchMedia && window.matchMedia("(max-width: 760px)").matches;
  var trigger = narrow ? 0.8 : 0.5;
  var base = (root.getAttribute("data-base-url") || "").replace(/\/$/, "");
  var stage = root.querySelector(".story-stage");
  var stepEls = Array.prototype.slice.call(root.querySelectorAll(".story-step"));
  var progress = root.querySelector(".story-progress");
  var progressBar = root.querySelector(".story-progress-bar");
  var counter = root.querySelector(".story-counter");
  var credit = root.querySelector(".stage-credit");
  var audioBox = root.querySelector(".stage-audio");
  var audio = audioBox.querySelector("audio");
  var playButton = root.querySelector("[data-action='play']");
  var status = root.querySelector(".story-status");
  var total = stepEls.length;

  var doc = null;
  var current = 0;
  var playing = false;
  var timer = null;
  var pendingTarget = 0;
  var pendingTimer = null;
  var userMoved = false;
  // the reader scrolling on their own (wheel, touch, scrollbar, keys): capture runs before our own keys
  ["wheel", "touchmove", "mousedown", "keydown"].forEach(function (type) {
    window.addEventListener(type, function () { userMoved = true; }, { passive: true, capture: true });
  });
  var seen = {};
  var viewers = {};
  var opened = {};
  var pending = {};
  var animations = 0;
  var canvasOf = {};
  var map = null, mapLayer = null, mapReady = null;

  function fmt(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function local(url) {
    // ids are published under BASE_URL; a page served from elsewhere loads its own tiles
    if (base && url && url.indexOf(base + "/") === 0) return window.location.origin + url.slice(base.length);
    return url;
  }

  function stepDoc(n) { return doc && doc.steps[n - 1]; }

  // ------------------------------------------------------------------ beacon (audience, #18)
  function beacon(kind, n) {
    var url = root.getAttribute("data-beacon");
    if (!url || !navigator.sendBeacon) return;
    if (navigator.doNotTrack === "1" || navigator.globalPrivacyControl === true) return;
    var body = JSON.stringify({ kind: kind, story: root.getAttribute("data-slug"), n: n });
    navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }));
  }

  // ------------------------------------------------------------------ image viewers
  function viewer(id) {
    if (viewers[id]) return viewers[id];
    if (typeof OpenSeadragon === "undefined") return null;
    var v = OpenSeadragon({
      id: id, prefixUrl: root.getAttribute("data-prefix"), showNavigationControl: true,
      showNavigator: false, visibilityRatio: 0.5, constrainDuringPan: false, crossOriginPolicy: false,
      animationTime: reduced ? 0 : 1.2, springStiffness: reduced ? 100 : 6.5, preserveImageSizeOnResize: false,
      gestureSettingsMouse: { scrollToZoom: false }
    });
    // the stage's panes change size between steps (a transcription, a credit, the narration):
    // keep the step's region in view rather than the image's scale
    v.addHandler("after-resize", function () {
      var size = v.viewport.getContainerSize();
      if (v.mogaoTarget && !v.mogaoTouched && size.x > 1 && size.y > 1) v.viewport.fitBounds(v.mogaoTarget, true);
    });
    v.addHandler("canvas-drag", function () { v.mogaoTouched = true; });
    v.addHandler("animation-start", function () {  // count flights of the view (not tiles fading in)
      if (viewMoving(v)) animations += 1;
    });
    v.addHandler("canvas-scroll", function () { v.mogaoTouched = true; });
    viewers[id] = v;
    return v;
  }

  function viewMoving(v) {
    var springs = [v.viewport.centerSpringX, v.viewport.centerSpringY, v.viewport.zoomSpring];
    return springs.some(function (sp) { return Math.abs(sp.current.value - sp.target.value) > 1e-9; });
  }

  function regionRect(v, region, canvas) {
    var item = v.world.getItemAt(0);
    if (!item) return null;
    var r = region || [0, 0, canvas.width || item.source.width, canvas.height || item.source.height];
    // Regions are in canvas pixels; the image may be a different size than the canvas.
    var sx = item.source.width / (canvas.width || item.source.width);
    var sy = item.source.height / (canvas.height || item.source.height);
    return item.imageToViewportRectangle(r[0] * sx, r[1] * sy, r[2] * sx, r[3] * sy);
  }

  function flyTo(v, region, canvas, immediately) {
    var rect = regionRect(v, region, canvas);
    v.mogaoTarget = rect;
    v.mogaoTouched = false;
    if (!rect) return;
    v.viewport.fitBounds(rect, immediately || reduced);
  }

  function addLineOverlays(v, s) {
    v.clearOverlays();
    if (s.kind !== "text" || !s.lines) return;
    var item = v.world.getItemAt(0);
    if (!item) return;
    var sx = item.source.width / (s.canvas.width || item.source.width);
    var sy = item.source.height / (s.canvas.height || item.source.height);
    s.lines.forEach(function (line) {
      if (!line.box || line.n < s.highlight[0] || line.n > s.highlight[1]) return;
      var el = document.createElement("div");
      el.className = "story-line-overlay";
      v.addOverlay(el, item.imageToViewportRectangle(line.box[0] * sx, line.box[1] * sy, line.box[2] * sx, line.box[3] * sy));
    });
  }

  function textRegion(s) {
    // a passage without a region is framed by its highlighted lines' boxes
    if (s.region || !s.lines) return s.region;
    var boxes = s.lines.filter(function (l) { return l.box && l.n >= s.highlight[0] && l.n <= s.highlight[1]; })
      .map(function (l) { return l.box; });
    if (!boxes.length) return null;
    var x0 = Math.min.apply(null, boxes.map(function (b) { return b[0]; }));
    var y0 = Math.min.apply(null, boxes.map(function (b) { return b[1]; }));
    var x1 = Math.max.apply(null, boxes.map(function (b) { return b[0] + b[2]; }));
    var y1 = Math.max.apply(null, boxes.map(function (b) { return b[1] + b[3]; }));
    var pad = Math.max(x1 - x0, y1 - y0) * 0.05;
    return [x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad];
  }

  function show(id, canvas, region, s) {
    var v = viewer(id);
    if (!v || !canvas || !canvas.info) return;
    var key = canvas.info;
    var done = function (immediately) {
      if (s) addLineOverlays(v, s);
      flyTo(v, region, canvas, immediately);
      pending[id] = false;
    };
    canvasOf[id] = canvas;
    if (opened[id] === key && v.world.getItemAt(0) && !pending[id]) { done(false); return; }
    pending[id] = true;
    if (opened[id] === key) {  // still opening: fly when it is open
      v.addOnceHandler("open", function () { if (canvasOf[id] === canvas) done(true); });
      return;
    }
    opened[id] = key;
    v.addOnceHandler("open", function () {
      if (opened[id] !== key) return;
      v.viewport.goHome(true);
      if (reduced) { done(true); return; }
      window.setTimeout(function () { if (opened[id] === key && canvasOf[id] === canvas) done(false); }, 60);
    });
    v.open(local(key));  // the tile source is made only now: lazy, step by step
  }

  // ------------------------------------------------------------------ transcription panel
  function showLines(s) {
    var panel = root.querySelector(".stage-lines");
    var list = panel.querySelector("ol");
    panel.scrollTop = 0;
    list.textContent = "";
    if (s.kind !== "text" || !s.lines || !s.lines.length) return;
    panel.setAttribute("data-direction", s.direction || "vertical-rl");
    var first = null;
    s.lines.forEach(function (line) {
      var li = document.createElement("li");
      li.setAttribute("data-line", String(line.n));
      li.value = line.n;
      li.lang = "lzh";
      li.textContent = line.text;
      if (line.n >= s.highlight[0] && line.n <= s.highlight[1]) {
        li.className = "is-highlighted";
        if (!first) first = li;
      }
      list.appendChild(li);
    });
    // bring the passage into the panel's view by scrolling the panel alone: scrollIntoView would also
    // move the page and cut short the scroll that brought the reader here
    if (first) {
      var pr = panel.getBoundingClientRect(), fr = first.getBoundingClientRect();
      panel.scrollTop += fr.top - pr.top - 8;
      if (s.direction === "vertical-rl") panel.scrollLeft += fr.right - pr.right + 8;
      else panel.scrollLeft += fr.left - pr.left - 8;
    }
  }

  // ------------------------------------------------------------------ map
  function ensureMap() {
    if (map || typeof L === "undefined") return map;
    var el = root.querySelector("#story-map");
    map = L.map(el, { attributionControl: true, zoomSnap: 0.25, zoomAnimation: !reduced, fadeAnimation: !reduced,
                      markerZoomAnimation: !reduced });
    map.setView([35, 60], 2);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    mapLayer = L.layerGroup().addTo(map);
    var atlas = root.getAttribute("data-atlas");
    mapReady = (atlas && typeof topojson !== "undefined" ? fetch(atlas).then(function (r) { return r.json(); })
      .then(function (topo) {
        var key = Object.keys(topo.objects)[0];
        L.geoJSON(topojson.feature(topo, topo.objects[key]), {
          interactive: false, style: { color: "#9c8f74", weight: 0.6, fillColor: "#ece4d2", fillOpacity: 1 }
        }).addTo(map).bringToBack();
      }).catch(function () { /* markers still show without the basemap */ }) : Promise.resolve());
    return map;
  }

  function showMap(s) {
    var el = root.querySelector("#story-map");
    if (!ensureMap()) return;
    map.invalidateSize(false);
    mapLayer.clearLayers();
    var bounds = [];
    var nMarkers = 0, nLines = 0;
    (s.dispersal || []).forEach(function (line) {
      L.polyline(line.coords, { className: "story-dispersal-line", color: "#b03a2e", opacity: 0.85,
                                weight: 1.5 + Math.log(1 + (line.count || 0)) * 1.5, interactive: false }).addTo(mapLayer);
      bounds.push(line.coords[0], line.coords[1]);
      nLines += 1;
      if (line.holder && line.holder.lat !== null && line.holder.lat !== undefined) {
        L.circleMarker([line.holder.lat, line.holder.lon], {
          className: "story-marker story-marker-holder", radius: 6, color: "#fff", weight: 1.5,
          fillColor: "#1f4e5f", fillOpacity: 0.95
        }).bindTooltip(document.createTextNode(line.to).textContent).addTo(mapLayer);
      }
    });
    (s.places || []).forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], {
        className: "story-marker story-marker-place", radius: 8, color: "#fff", weight: 2,
        fillColor: "#8a2d12", fillOpacity: 0.95
      }).addTo(mapLayer);
      var label = document.createElement("span");
      label.textContent = p.name;
      marker.bindTooltip(label, { permanent: true, direction: "top", className: "story-place-label" });
      bounds.push([p.lat, p.lon]);
      nMarkers += 1;
    });
    var options = { padding: [40, 40], maxZoom: 6, animate: !reduced, duration: reduced ? 0 : 1.5 };
    if (bounds.length > 1) {
      if (reduced) map.fitBounds(bounds, options); else map.flyToBounds(bounds, options);
    } else if (bounds.length === 1) {
      if (reduced) map.setView(bounds[0], 5, { animate: false }); else map.flyTo(bounds[0], 5, { duration: 1.5 });
    }
    el.setAttribute("data-markers", String(nMarkers));
    el.setAttribute("data-lines", String(nLines));
    el.setAttribute("data-ready", "1");
  }

  // ------------------------------------------------------------------ timeline
  function showTimeline(s) {
    var box = root.querySelector(".story-timeline");
    box.textContent = "";
    var t = s.timeline;
    if (!t) return;
    var pct = function (x) { return (Math.max(0, Math.min(1, x)) * 100).toFixed(3) + "%"; };
    var year = function (y) { return y < 0 ? (-y) + " BCE" : String(y); };
    var bands = document.createElement("div");
    bands.className = "tl-bands";
    t.bands.forEach(function (b) {
      var band = document.createElement("div");
      band.className = "tl-band";
      band.style.left = pct(b.x);
      band.style.width = pct(b.w);
      band.textContent = b.label;
      band.title = b.label + " " + year(b.start) + "–" + year(b.end);
      bands.appendChild(band);
    });
    var range = document.createElement("div");
    range.className = "tl-range" + (reduced ? "" : " tl-animate");
    range.style.left = pct(t.x);
    range.style.width = pct(Math.max(t.w, 0.01));
    var axis = document.createElement("div");
    axis.className = "tl-axis";
    [[t.from, 0], [t.start, t.x], [t.end, t.x + t.w], [t.to, 1]].forEach(function (tick, i) {
      if (i === 2 && t.end === t.start) return;
      var label = document.createElement("span");
      label.className = "tl-tick" + (i === 1 || i === 2 ? " tl-tick-key" : "");
      label.style.left = pct(tick[1]);
      label.textContent = year(tick[0]);
      axis.appendChild(label);
    });
    var caption = document.createElement("p");
    caption.className = "tl-caption";
    caption.textContent = (t.label ? t.label + " · " : "") + year(t.start) + (t.end !== t.start ? "–" + year(t.end) : "");
    box.setAttribute("aria-label", caption.textContent);
    box.appendChild(bands);
    box.appendChild(range);
    box.appendChild(axis);
    box.appendChild(caption);
    box.setAttribute("data-start", String(t.start));
    box.setAttribute("data-end", String(t.end));
  }

  // ------------------------------------------------------------------ audio
  function setAudio(s) {
    while (audio.firstChild) audio.removeChild(audio.firstChild);
    if (!s.audio) {
      audio.pause();
      audio.removeAttribute("src");
      audioBox.classList.remove("is-shown");
      return;
    }
    audioBox.classList.add("is-shown");
    audio.src = s.audio;
    var lang = document.documentElement.lang || "en";
    (s.captions || []).forEach(function (c) {
      var track = document.createElement("track");
      track.kind = "captions";
      track.src = c.url;
      track.srclang = c.lang;
      track.label = c.lang;
      if (c.lang.toLowerCase() === lang.toLowerCase()) track.default = true;
      audio.appendChild(track);
    });
    audio.load();
  }

  // ------------------------------------------------------------------ credit
  function setCredit(s) {
    credit.textContent = "";
    [s.canvas, s.canvas2].forEach(function (c) {
      if (!c || !c.credit) return;
      var line = document.createElement("span");
      line.className = "credit-line";
      var link = document.createElement("a");
      link.href = c.credit.item_url;
      link.textContent = c.credit.shelfmark + (c.label ? " · " + c.label : "");
      line.appendChild(link);
      line.appendChild(document.createTextNode(" — " + c.credit.holder + " · "));
      var rights = document.createElement("a");
      rights.href = /^https?:\/\//.test(c.credit.rights) ? c.credit.rights : "#";
      rights.rel = "license";
      rights.textContent = c.credit.rights_label;
      line.appendChild(rights);
      credit.appendChild(line);
    });
  }

  // ------------------------------------------------------------------ stepping
  function paneFor(kind) {
    if (kind === "text") return "stage-text";
    if (kind === "comparison") return "stage-compare";
    if (kind === "map") return "stage-map";
    if (kind === "timeline") return "stage-timeline";
    return "stage-image";
  }

  function render(s) {
    var kind = s.kind;
    // a media step shows its page if it has one, else its map or timeline
    if (kind === "media" && !s.canvas) kind = s.places && s.places.length ? "map" : (s.timeline ? "timeline" : "media");
    if ((kind === "image" || kind === "text") && !s.canvas) kind = s.places && s.places.length ? "map" : "none";
    var pane = paneFor(kind);
    Array.prototype.forEach.call(stage.querySelectorAll(".stage-pane"), function (el) {
      el.classList.toggle("is-shown", el.classList.contains(pane) && kind !== "none");
    });
    stage.setAttribute("data-kind", kind);
    if (pane === "stage-image" && s.canvas) {
      show("story-osd-main", s.canvas, s.region, null);
    } else if (pane === "stage-text" && s.canvas) {
      showLines(s);
      show("story-osd-text", s.canvas, textRegion(s), s);
    } else if (pane === "stage-compare") {
      show("story-osd-a", s.canvas, s.region, null);
      show("story-osd-b", s.canvas2, s.region2, null);
    } else if (pane === "stage-map") {
      showMap(s);
    } else if (pane === "stage-timeline") {
      showTimeline(s);
    }
    setCredit(s);
    setAudio(s);
  }

  function updateChrome(n) {
    stepEls.forEach(function (el, i) {
      if (i === n - 1) el.setAttribute("aria-current", "step"); else el.removeAttribute("aria-current");
      el.classList.toggle("is-active", i === n - 1);
    });
    progress.setAttribute("aria-valuenow", String(n));
    var text = fmt(root.getAttribute("data-label-step"), { n: n, total: total });
    progress.setAttribute("aria-valuetext", text);
    progressBar.style.width = (100 * n / total).toFixed(2) + "%";
    counter.textContent = text;
    root.querySelector("[data-action='prev']").disabled = n <= 1;
    root.querySelector("[data-action='next']").disabled = n >= total;
    if (history.replaceState) {
      var params = new URLSearchParams(location.search);
      params.delete("iiif-content");
      params.delete("step");
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + "#step-" + n);
    }
    // the language switch comes back to this step
    Array.prototype.forEach.call(document.querySelectorAll(".lang-switch input[name='next'], .story-lang input[name='next']"),
      function (next) { next.value = location.pathname + "#step-" + n; });
  }

  function activate(n, how) {
    n = Math.max(1, Math.min(total, n));
    if (n === current) return;
    current = n;
    updateChrome(n);
    var s = stepDoc(n);
    if (s) render(s);
    root.setAttribute("data-step", String(n));
    if (!seen[n]) { seen[n] = true; beacon("story_step", n); }
    if (n === total && !seen.done) { seen.done = true; beacon("story_done", n); }
    if (playing) schedule();
    if (how !== "scroll") status.textContent = counter.textContent;
  }

  // After a programmatic scroll: if the reader did not scroll meanwhile, the target stays current and
  // is brought to the trigger line at once should the smooth scroll have been cut short; if they did,
  // the step across the trigger line becomes current.
  function releaseScroll() {
    var target = pendingTarget;
    pendingTarget = 0;
    var middle = window.innerHeight * trigger;
    if (target && !userMoved) {
      var t = stepEls[target - 1].getBoundingClientRect();
      if (t.top > middle || t.bottom < middle) {
        pendingTarget = target;
        pendingTimer = window.setTimeout(function () { pendingTarget = 0; }, 300);
        place(stepEls[target - 1], "auto");
      }
      return;
    }
    for (var i = 0; i < stepEls.length; i++) {
      var r = stepEls[i].getBoundingClientRect();
      if (r.top <= middle && r.bottom >= middle) { activate(i + 1, "scroll"); return; }
    }
  }

  function place(el, behavior) {
    window.scrollTo({ top: placedTop(el), behavior: behavior });
  }

  // where the window stands once ``el`` is placed: centred, or under the stage on a phone (the page's
  // ends bound it)
  function placedTop(el) {
    var r = el.getBoundingClientRect();
    var top = narrow ? r.top + window.scrollY - window.innerHeight * (trigger - 0.1)
      : r.top + window.scrollY + r.height / 2 - window.innerHeight / 2;
    var most = document.documentElement.scrollHeight - window.innerHeight;
    return Math.max(0, Math.min(most, top));
  }

  // A jump lasts until the window stops (scrollend), not until its step reaches the trigger line: the
  // steps the view is still passing do not become current, and moving() stays true meanwhile.
  function scrollToStep(n, instant) {
    var el = stepEls[n - 1];
    if (!el) return;
    pendingTarget = n;
    window.clearTimeout(pendingTimer);
    // already in place: no scroll, so no scrollend to wait for
    var still = Math.abs(placedTop(el) - window.scrollY) < 2;
    pendingTimer = window.setTimeout(releaseScroll, still ? 50 : (reduced || instant ? 400 : 4000));
    userMoved = false;
    if (!still) place(el, reduced || instant ? "auto" : "smooth");
  }

  function go(n, how) {
    n = Math.max(1, Math.min(total, n));
    scrollToStep(n, how === "deeplink");
    activate(n, how || "button");
    if (how === "key" || how === "button") {
      stepEls[n - 1].focus({ preventScroll: true });
    }
  }

  // Scrollama-style: a step becomes current when it crosses a line across the middle of the window.
  function observe() {
    if (!("IntersectionObserver" in window)) return;
    window.addEventListener("scrollend", function () {
      if (!pendingTarget) return;
      window.clearTimeout(pendingTimer);
      pendingTimer = window.setTimeout(releaseScroll, 100);
    });
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var n = parseInt(entry.target.getAttribute("data-n"), 10);
        // during a jump only its target may become current; the jump ends at scrollend (releaseScroll)
        if (pendingTarget && n !== pendingTarget) return;
        activate(n, "scroll");
      });
    }, { rootMargin: "-" + Math.round(trigger * 100 - 5) + "% 0px -" + Math.round(95 - trigger * 100) + "% 0px",
         threshold: 0 });
    stepEls.forEach(function (el) { io.observe(el); });
  }

  // ------------------------------------------------------------------ autoplay
  function schedule() {
    window.clearTimeout(timer);
    var s = stepDoc(current);
    if (!playing || !s) return;
    if (s.audio) {
      var p = audio.play();
      if (p && p.catch) p.catch(function () { timer = window.setTimeout(advance, s.reading_ms * api.readingScale); });
    } else {
      timer = window.setTimeout(advance, s.reading_ms * api.readingScale);
    }
  }

  function advance() {
    if (!playing) return;
    if (current >= total) { setPlaying(false); return; }
    go(current + 1, "autoplay");
  }

  function setPlaying(on) {
    playing = on;
    playButton.setAttribute("aria-pressed", on ? "true" : "false");
    playButton.textContent = root.getAttribute(on ? "data-label-pause" : "data-label-play");
    root.setAttribute("data-playing", on ? "1" : "0");
    if (on) {
      if (current >= total) go(1, "autoplay");
      schedule();
    } else {
      window.clearTimeout(timer);
      if (!audio.paused) audio.pause();
    }
  }

  audio.addEventListener("ended", function () { if (playing) advance(); });

  // ------------------------------------------------------------------ deep links
  function decodeContentState(value) {
    try {
      var b64 = value.replace(/-/g, "+").replace(/_/g, "/");
      while (b64.length % 4) b64 += "=";
      var state = JSON.parse(decodeURIComponent(atob(b64)));
      var target = state.target || state;
      if (Array.isArray(target)) target = target[0];
      var id = typeof target === "string" ? target : (target.id || target["@id"] || "");
      if (target.source) id = (target.source.id || target.source) + (target.selector && target.selector.value ? "#" + target.selector.value : "");
      return id;
    } catch (e) {
      return "";
    }
  }

  function startStep() {
    var m = /^#step-(\d+)$/.exec(location.hash);
    if (m) return parseInt(m[1], 10);
    var params = new URLSearchParams(location.search);
    var cs = params.get("iiif-content");
    if (cs && doc) {
      var id = decodeContentState(cs);
      var canvasId = id.split("#")[0];
      var best = 0;
      doc.steps.forEach(function (s) {
        if (!s.canvas || best) return;
        var own = s.canvas.id + (s.region ? "#xywh=" + s.region.map(Math.round).join(",") : "");
        if (own === id) best = s.n;
      });
      if (!best) doc.steps.forEach(function (s) { if (!best && s.canvas && s.canvas.id === canvasId) best = s.n; });
      if (best) return best;
    }
    var step = parseInt(params.get("step") || "", 10);
    return step > 0 ? step : 1;
  }

  function fillLinks() {
    doc.steps.forEach(function (s) {
      var el = stepEls[s.n - 1];
      if (!el || !s.content_state) return;
      var link = el.querySelector(".step-cs");
      link.href = location.pathname + "?iiif-content=" + s.content_state;
      link.hidden = false;
    });
  }

  // ------------------------------------------------------------------ controls
  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable], .openseadragon-container, .leaflet-container, audio, dialog");
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "prev") go(current - 1, "button");
    else if (action === "next") go(current + 1, "button");
    else if (action === "play") setPlaying(!playing);
    else if (action === "embed") openEmbed();
    else if (action === "copy") copyEmbed();
    else if (action === "close") root.querySelector(".story-embed-dialog").close();
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target) || !doc) return;
    var n = null;
    if (event.key === "ArrowDown" || event.key === "ArrowRight" || event.key === "PageDown") n = current + 1;
    else if (event.key === "ArrowUp" || event.key === "ArrowLeft" || event.key === "PageUp") n = current - 1;
    else if (event.key === "Home") n = 1;
    else if (event.key === "End") n = total;
    if (n === null) return;
    event.preventDefault();
    go(n, "key");
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".step-link") : null;
    if (!link) return;
    event.preventDefault();
    var n = parseInt(link.getAttribute("href").slice(6), 10);
    go(n, "button");
  });

  function snippet() {
    var url = root.getAttribute("data-embed-url");
    var title = root.getAttribute("data-label-iframe");
    var esc = function (t) { return String(t).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;"); };
    return '<iframe src="' + esc(url) + '" title="' + esc(title) + '" width="800" height="600" ' +
      'style="border:0;max-width:100%" allow="autoplay; fullscreen" loading="lazy"></iframe>';
  }

  function openEmbed() {
    var dialog = root.querySelector(".story-embed-dialog");
    var area = dialog.querySelector("textarea");
    area.value = snippet();
    dialog.showModal();
    area.focus();
    area.select();
  }

  function copyEmbed() {
    var dialog = root.querySelector(".story-embed-dialog");
    var done = function () { dialog.querySelector(".embed-copied").textContent = root.getAttribute("data-label-copied"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(snippet()).then(done, function () { dialog.querySelector("textarea").select(); });
    } else {
      dialog.querySelector("textarea").select();
    }
  }

  // ------------------------------------------------------------------ test and integration hooks
  var api = {
    readingScale: 1,
    current: function () { return current; },
    total: function () { return total; },
    playing: function () { return playing; },
    reduced: function () { return reduced; },
    go: function (n) { go(n, "button"); },
    moving: function () { return pendingTarget !== 0; },
    animations: function () { return animations; },
    openedImages: function () { return Object.keys(opened).map(function (k) { return opened[k]; }); },
    viewerBounds: function (which) {
      // the current view of a viewer ("main", "a", "b") in its canvas's pixels
      var id = which === "a" ? "story-osd-a" : which === "b" ? "story-osd-b" :
        (stage.getAttribute("data-kind") === "text" ? "story-osd-text" : "story-osd-main");
      var v = viewers[id];
      var item = v && v.world.getItemAt(0);
      if (!item) return null;
      var canvas = canvasOf[id] || {};
      var sx = (canvas.width || item.source.width) / item.source.width;
      var sy = (canvas.height || item.source.height) / item.source.height;
      var r = item.viewportToImageRectangle(v.viewport.getBounds(true));
      var animating = viewMoving(v);
      var size = v.viewport.getContainerSize();
      var sized = Math.abs(size.x - v.container.clientWidth) < 1 && Math.abs(size.y - v.container.clientHeight) < 1 && size.x > 0;
      return { x: r.x * sx, y: r.y * sy, width: r.width * sx, height: r.height * sy, info: opened[id], step: current,
               animating: animating, settled: !pending[id] && !animating && sized, loaded: item.getFullyLoaded() };
    }
  };
  window.mogaoStory = api;

  function start() {
    fetch(root.getAttribute("data-src"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        doc = data;
        fillLinks();
        var n = Math.max(1, Math.min(total, startStep()));
        if (n > 1) scrollToStep(n, true);
        activate(n, "deeplink");
        observe();
        root.setAttribute("data-ready", "1");
      })
      .catch(function () {
        root.setAttribute("data-state", "error");
        status.textContent = root.getAttribute("data-label-error");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
