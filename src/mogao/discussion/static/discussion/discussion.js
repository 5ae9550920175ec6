/* Comments (#15): glosses on hover, focus and tap; pinyin toggle; htmx error swaps; translate link.
 * Chinese characters ask the reading room's /reading/gloss (pinyin and CC-CEDICT definitions of the
 * word covering the character); English and French words ask /comments/gloss (Chinese words from
 * the reverse dictionary). Everything is written with textContent: no markup from the server. */
(function () {
  "use strict";
  if (window.mogaoComments) { return; }
  var cache = {};
  var current = null;
  var PINYIN = "mogao.comments.pinyin";

  function sectionOf(el) { return el && el.closest ? el.closest(".comments") : null; }
  function glossable(el) { return el && el.closest ? el.closest(".comments .zc, .comments .zw") : null; }

  function urlFor(sec, el) {
    if (el.classList.contains("zc")) {
      var line = el.closest(".zline");
      return sec.dataset.glossUrl + "?text=" + encodeURIComponent(line.dataset.text) + "&at=" + el.dataset.i;
    }
    var body = el.closest(".comment-body");
    var lang = (body && body.getAttribute("lang") || "en").slice(0, 2) === "fr" ? "fr" : "en";
    return sec.dataset.wordsUrl + "?word=" + encodeURIComponent(el.dataset.word) + "&lang=" + lang;
  }

  function add(parent, tag, text, cls, lang) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    if (lang) { node.lang = lang; }
    parent.appendChild(node);
    return node;
  }

  function render(sec, el, data) {
    var box = sec.querySelector(".comment-gloss");
    box.textContent = "";
    var head = add(box, "p", "", "gloss-head");
    if (el.classList.contains("zc")) {
      add(head, "strong", data.word, "", "zh-Hant");
      add(head, "span", " " + data.pinyin, "gloss-pinyin", "zh-Latn-pinyin");
      if (!data.entries.length) { add(box, "p", sec.dataset.labelNodef); }
      var list = add(box, "ul", "", "", "en");
      data.entries.forEach(function (e) { add(list, "li", e.pinyin + ": " + e.definitions.join("; ")); });
    } else {
      add(head, "strong", data.word, "", data.lang);
      if (!data.glosses.length) { add(box, "p", sec.dataset.labelNoword); }
      var words = add(box, "ul");
      data.glosses.forEach(function (g) {
        var li = add(words, "li");
        add(li, "span", g.chinese, "gloss-zh", "zh-Hant");
        if (g.simplified && g.simplified !== g.chinese) { add(li, "span", " / " + g.simplified, "gloss-zh", "zh-Hans"); }
        add(li, "span", " " + g.pinyin, "gloss-pinyin", "zh-Latn-pinyin");
        if (g.definitions.length) { add(li, "span", " — " + g.definitions.join("; "), "", "en"); }
      });
    }
    box.hidden = false;
    var r = el.getBoundingClientRect();
    var host = sec.getBoundingClientRect();
    box.style.left = Math.max(0, r.left - host.left) + "px";
    box.style.top = (r.bottom - host.top + 6) + "px";
  }

  function show(el) {
    var sec = sectionOf(el);
    if (!sec) { return; }
    current = el;
    var url = urlFor(sec, el);
    if (cache[url]) { render(sec, el, cache[url]); return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { cache[url] = data; if (current === el) { render(sec, el, data); } } })
      .catch(function () {});
  }

  function hide(sec) {
    current = null;
    var box = sec && sec.querySelector(".comment-gloss");
    if (box) { box.hidden = true; }
  }

  /* One Tab stop per comment body (roving tabindex); arrows move between glossable words. */
  function prepare(root) {
    (root || document).querySelectorAll(".comments .comment-body").forEach(function (body) {
      var items = body.querySelectorAll(".zc, .zw");
      if (items.length && !body.querySelector('[tabindex="0"]')) { items[0].setAttribute("tabindex", "0"); }
    });
    (root || document).querySelectorAll(".comments").forEach(function (sec) {
      var on = false;
      try { on = window.localStorage.getItem(PINYIN) === "1"; } catch (e) { /* private mode */ }
      sec.classList.toggle("show-pinyin", on);
      var box = sec.querySelector(".comments-pinyin-toggle");
      if (box) { box.checked = on; }
    });
  }

  document.addEventListener("mouseover", function (e) { var el = glossable(e.target); if (el && el !== current) { show(el); } });
  document.addEventListener("focusin", function (e) { var el = glossable(e.target); if (el) { show(el); } });
  document.addEventListener("click", function (e) {
    var el = glossable(e.target);
    if (el) { el.focus(); show(el); return; }
    var t = e.target.closest ? e.target.closest(".comment-translate") : null;
    if (t) { translate(t); return; }
    document.querySelectorAll(".comments").forEach(function (sec) { if (!sec.contains(e.target)) { hide(sec); } });
  });
  document.addEventListener("keydown", function (e) {
    var el = glossable(e.target);
    if (e.key === "Escape") { hide(sectionOf(e.target)); return; }
    if (!el) { return; }
    var items = Array.prototype.slice.call(el.closest(".comment-body").querySelectorAll(".zc, .zw"));
    var i = items.indexOf(el), next = null;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { next = items[i + 1]; }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { next = items[i - 1]; }
    else if (e.key === "Home") { next = items[0]; } else if (e.key === "End") { next = items[items.length - 1]; }
    if (next) {
      e.preventDefault();
      el.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    }
  });
  document.addEventListener("change", function (e) {
    if (!e.target.classList || !e.target.classList.contains("comments-pinyin-toggle")) { return; }
    try { window.localStorage.setItem(PINYIN, e.target.checked ? "1" : "0"); } catch (err) { /* private mode */ }
    sectionOf(e.target).classList.toggle("show-pinyin", e.target.checked);
  });

  function translate(button) {
    var sec = sectionOf(button);
    fetch(button.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var p = document.createElement("p");
        p.className = "comment-translation";
        p.lang = data.language;
        p.textContent = data.text;
        var by = document.createElement("span");
        by.className = "muted";
        by.textContent = " (" + sec.dataset.labelBy + " " + data.provider + ")";
        p.appendChild(by);
        button.replaceWith(p);
      })
      .catch(function () {});
  }

  /* Refusals (400 bad input, 403, 429 rate limit) come back as the section with the message: show them. */
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if ((status === 400 || status === 403 || status === 429) && sectionOf(e.detail.elt)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var sec = e.detail.target && e.detail.target.id ? document.getElementById(e.detail.target.id) : null;
    prepare(document);
    if (!sec || !sec.classList.contains("comments")) { return; }
    var focus = sec.querySelector('[aria-invalid="true"]') || sec.querySelector(".comments-status");
    if (focus) { focus.focus(); }
  });

  window.mogaoComments = { show: show, prepare: prepare };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  } else { prepare(document); }
}());
