/* Mogao reading room: OpenSeadragon over the item's own IIIF manifest.
 *
 * Builds the tile sources and an accessible thumbnail strip from the manifest (right-to-left books
 * show their strip reversed, and arrow keys follow what the eye sees), and offers page navigation,
 * zoom, rotation, full screen and "download this view" (a IIIF region URL of the visible area).
 */
(function () {
  "use strict";

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function serviceOf(resource) {
    var body = resource.items[0].items[0].body;
    var service = (body.service || [])[0] || {};
    var id = service.id || service["@id"];
    var v2 = !service.id || String(service.type || service["@type"] || "").indexOf("ImageService2") === 0;
    return { id: id, v2: v2 };
  }

  function firstString(map) {
    if (!map) { return ""; }
    var lang = (document.documentElement.lang || "en");
    var keys = [lang, lang.split("-")[0], "en", "none"];
    for (var i = 0; i < keys.length; i++) { if (map[keys[i]] && map[keys[i]].length) { return map[keys[i]][0]; } }
    var all = Object.keys(map);
    return all.length ? map[all[0]][0] : "";
  }

  function Reader(section) {
    this.section = section;
    this.base = (section.dataset.baseUrl || "").replace(/\/$/, "");
    this.status = section.querySelector(".viewer-status");
    this.strip = section.querySelector(".thumbs");
    this.osdElement = section.querySelector(".osd");
    this.index = 0;
    this.rotation = 0;
    this.pages = [];
  }

  /* Ids are published under BASE_URL; a page served from another origin (a dev server, a mirror)
   * loads its own tiles from where it is. */
  Reader.prototype.local = function (url) {
    if (this.base && url && url.indexOf(this.base + "/") === 0) {
      return window.location.origin + url.slice(this.base.length);
    }
    return url;
  };

  Reader.prototype.start = function () {
    var self = this;
    fetch(this.section.dataset.manifest, { headers: { Accept: "application/ld+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (manifest) { self.build(manifest); })
      .catch(function () {
        self.section.dataset.state = "error";
        self.status.textContent = self.section.dataset.labelError;
      });
  };

  Reader.prototype.build = function (manifest) {
    var self = this;
    this.rtl = manifest.viewingDirection === "right-to-left";
    this.pages = manifest.items.map(function (canvas, i) {
      var service = serviceOf(canvas);
      var thumb = (canvas.thumbnail || [])[0];
      var match = /\/canvas\/(\d+)$/.exec(canvas.id);
      return {
        label: firstString(canvas.label) || String(i + 1),
        service: self.local(service.id),
        v2: service.v2,
        width: canvas.width,
        height: canvas.height,
        thumb: thumb ? self.local(thumb.id) : "",
        order: match ? match[1] : String(i + 1),
      };
    });
    if (this.rtl) {
      this.strip.setAttribute("dir", "rtl");
      this.section.classList.add("is-rtl");
      // Pages turn leftwards: "‹ Next page" comes first (in reading and tab order), then "Previous page ›".
      var prevButton = this.section.querySelector('[data-action="prev"]');
      var nextButton = this.section.querySelector('[data-action="next"]');
      var prevIcon = prevButton.querySelector(".dir-icon");
      var nextIcon = nextButton.querySelector(".dir-icon");
      prevIcon.textContent = "›";
      nextIcon.textContent = "‹";
      prevButton.appendChild(document.createTextNode(" "));
      prevButton.appendChild(prevIcon);
      nextButton.insertBefore(document.createTextNode(" "), nextButton.firstChild);
      nextButton.insertBefore(nextIcon, nextButton.firstChild);
      prevButton.parentNode.insertBefore(nextButton, prevButton);
    }
    this.viewer = window.OpenSeadragon({
      element: this.osdElement,
      prefixUrl: this.section.dataset.prefix,
      tileSources: this.pages[0].service + "/info.json",
      showNavigationControl: false,
      showNavigator: true,
      navigatorAutoFade: true,
      crossOriginPolicy: "Anonymous",
      // The 2D canvas drawer: it raises tile-drawn and lets the page read pixels back (WebGL does neither).
      drawer: "canvas",
      visibilityRatio: 0.5,
      preserveImageSizeOnResize: true,
    });
    this.viewer.addHandler("tile-drawn", function () { self.section.dataset.state = "drawn"; });
    this.viewer.addHandler("open", function () { self.viewer.viewport.setRotation(self.rotation); self.updateLinks(); });
    this.viewer.addHandler("animation-finish", function () { self.updateLinks(); });
    this.viewer.addHandler("open-failed", function () { self.status.textContent = self.section.dataset.labelError; });
    this.zoomed = {};
    this.viewer.addHandler("zoom", function (event) {  // a deep-zoom interaction, counted once per page (#18)
      var page = self.index + 1;
      if (self.zoomed[page] || !window.mogaoAudience || !self.viewer.world.getItemCount()) return;
      if (event.zoom > self.viewer.viewport.getHomeZoom() * 1.5) {
        self.zoomed[page] = true;
        window.mogaoAudience.send({ kind: "zoom", href: location.pathname, page: page });
      }
    });
    this.buildStrip();
    this.bindToolbar();
    this.show(0, false);
    window.mogaoViewers = (window.mogaoViewers || []).concat([this]);
  };

  Reader.prototype.buildStrip = function () {
    var self = this;
    this.pages.forEach(function (page, i) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "thumb";
      if (page.thumb) {
        var img = document.createElement("img");
        img.src = page.thumb;
        img.alt = "";
        img.loading = "lazy";
        img.crossOrigin = "anonymous";
        button.appendChild(img);
      }
      // The accessible name starts with hidden "Show page n:" and ends with the visible caption.
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = fmt(self.section.dataset.labelThumb, { n: i + 1 }) + ": ";
      button.appendChild(hidden);
      var caption = document.createElement("span");
      caption.textContent = page.label;
      button.appendChild(caption);
      button.addEventListener("click", function () { self.show(i, false); });
      button.addEventListener("keydown", function (event) { self.stripKey(event, i); });
      button.tabIndex = i === 0 ? 0 : -1;
      li.appendChild(button);
      self.strip.appendChild(li);
    });
  };

  /* Roving tab index: one Tab stop for the strip; arrows move the way the strip is drawn, so in a
   * right-to-left book ArrowLeft goes to the next page. */
  Reader.prototype.stripKey = function (event, i) {
    var step = 0;
    if (event.key === "ArrowRight") { step = this.rtl ? -1 : 1; }
    else if (event.key === "ArrowLeft") { step = this.rtl ? 1 : -1; }
    else if (event.key === "Home") { step = -i; }
    else if (event.key === "End") { step = this.pages.length - 1 - i; }
    else { return; }
    event.preventDefault();
    var target = Math.max(0, Math.min(this.pages.length - 1, i + step));
    this.show(target, true);
  };

  /* Bring a thumbnail into view by scrolling only the strip's own scrolling box (never the page,
   * which scrollIntoView would do: the item's title would leave the screen on load). Physical
   * offsets make it work in right-to-left strips too. */
  function revealInStrip(button) {
    var box = button.parentNode;
    while (box && box !== document.body) {
      var style = window.getComputedStyle(box);
      if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) { break; }
      box = box.parentNode;
    }
    if (!box || box === document.body) { return; }
    var outer = box.getBoundingClientRect();
    var inner = button.getBoundingClientRect();
    var dx = 0;
    var dy = 0;
    if (inner.left < outer.left || inner.right > outer.right) {
      dx = (inner.left + inner.width / 2) - (outer.left + outer.width / 2);
    }
    if (inner.top < outer.top || inner.bottom > outer.bottom) {
      dy = (inner.top + inner.height / 2) - (outer.top + outer.height / 2);
    }
    if (dx || dy) { box.scrollBy({ left: dx, top: dy }); }
  }

  Reader.prototype.show = function (i, focusThumb) {
    if (i < 0 || i >= this.pages.length) { return; }
    var changed = i !== this.index || !this.viewer.world.getItemCount();
    this.index = i;
    if (changed) { this.viewer.open(this.pages[i].service + "/info.json"); }
    var buttons = this.strip.querySelectorAll("button.thumb");
    for (var k = 0; k < buttons.length; k++) {
      var current = k === i;
      buttons[k].tabIndex = current ? 0 : -1;
      if (current) { buttons[k].setAttribute("aria-current", "page"); } else { buttons[k].removeAttribute("aria-current"); }
    }
    if (focusThumb && buttons[i]) { buttons[i].focus({ preventScroll: true }); }
    if (buttons[i]) { revealInStrip(buttons[i]); }
    this.section.querySelector('[data-action="prev"]').disabled = i === 0;
    this.section.querySelector('[data-action="next"]').disabled = i === this.pages.length - 1;
    this.status.textContent = fmt(this.section.dataset.labelPage, { n: i + 1, total: this.pages.length }) + " — " + this.pages[i].label;
    this.updateLinks();
  };

  Reader.prototype.bindToolbar = function () {
    var self = this;
    var actions = {
      prev: function () { self.show(self.index - 1, false); },
      next: function () { self.show(self.index + 1, false); },
      "zoom-in": function () { self.viewer.viewport.zoomBy(1.5); self.viewer.viewport.applyConstraints(); },
      "zoom-out": function () { self.viewer.viewport.zoomBy(1 / 1.5); self.viewer.viewport.applyConstraints(); },
      home: function () { self.viewer.viewport.goHome(); },
      "rotate-left": function () { self.rotate(-90); },
      "rotate-right": function () { self.rotate(90); },
      fullscreen: function () { self.fullscreen(); },
    };
    Object.keys(actions).forEach(function (name) {
      var el = self.section.querySelector('[data-action="' + name + '"]');
      if (el) { el.addEventListener("click", actions[name]); }
    });
    this.osdElement.addEventListener("keydown", function (event) {
      if (event.key === "PageDown") { event.preventDefault(); actions.next(); }
      if (event.key === "PageUp") { event.preventDefault(); actions.prev(); }
    });
  };

  Reader.prototype.rotate = function (delta) {
    this.rotation = (this.rotation + delta + 360) % 360;
    this.viewer.viewport.setRotation(this.rotation);
    this.updateLinks();
  };

  Reader.prototype.fullscreen = function () {
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    if (this.section.requestFullscreen) { this.section.requestFullscreen(); }
    else { this.viewer.setFullScreen(!this.viewer.isFullPage()); }
  };

  /* The visible part of the page as a IIIF region, so "download this view" gets exactly it. */
  Reader.prototype.regionUrl = function () {
    var page = this.pages[this.index];
    var region = "full";
    if (this.viewer && this.viewer.world.getItemCount()) {
      // getBounds is rotated with the view: its axis-aligned bounding box is what the reader sees.
      var viewport = this.viewer.viewport;
      var rect = viewport.viewportToImageRectangle(viewport.getBounds(true).getBoundingBox());
      var x = Math.max(0, Math.floor(rect.x));
      var y = Math.max(0, Math.floor(rect.y));
      var x2 = Math.min(page.width, Math.ceil(rect.x + rect.width));
      var y2 = Math.min(page.height, Math.ceil(rect.y + rect.height));
      if (x2 - x >= 1 && y2 - y >= 1 && !(x === 0 && y === 0 && x2 === page.width && y2 === page.height)) {
        region = [x, y, x2 - x, y2 - y].join(",");
      }
    }
    return page.service + "/" + region + "/" + (page.v2 ? "full" : "max") + "/" + this.rotation + "/default.jpg";
  };

  Reader.prototype.updateLinks = function () {
    var view = this.section.querySelector('[data-action="download-view"]');
    var page = this.section.querySelector('[data-action="download-page"]');
    if (view) { view.href = this.regionUrl(); }
    if (page && this.section.dataset.download) {
      page.href = this.section.dataset.download.replace(/\/0\/download$/, "/" + this.pages[this.index].order + "/download");
    }
  };

  function init() {
    if (!window.OpenSeadragon) { return; }
    var sections = document.querySelectorAll("[data-viewer]");
    for (var i = 0; i < sections.length; i++) { new Reader(sections[i]).start(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
