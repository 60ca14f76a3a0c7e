/* Progressive enhancement only: every page reads and works without it.
   - renders $...$ / $$...$$ / \(...\) / \[...\] math with KaTeX (vendored) in elements marked .math-text; KaTeX
     (about 300 KB) is fetched only when such an element holds a math delimiter, also after an htmx swap
   - "/" focuses the search box
   - a thumbnail that fails to load gives way to its placeholder (category and id); other outside images go
   Loaded as a static file so the Content-Security-Policy can forbid inline scripts. */
(function () {
  "use strict";

  function dropBrokenImage(img) {
    if (!img || img.tagName !== "IMG" || !img.parentNode) return;
    if (img.parentNode.classList.contains("thumb")) {
      img.parentNode.classList.add("placeholder");
      img.parentNode.removeChild(img);
    } else if (img.classList.contains("paper-thumb") || img.classList.contains("org-avatar") || img.parentNode.classList.contains("org")) {
      img.parentNode.removeChild(img);  /* an image from another site that did not load: no broken-image icon */
    }
  }
  document.addEventListener("error", function (event) { dropBrokenImage(event.target); }, true);
  /* Images that failed before this script ran (it is deferred) fired their error event unheard. */
  Array.prototype.forEach.call(document.images, function (img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) dropBrokenImage(img);
  });

  var delimiters = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false }
  ];

  var assets = (document.currentScript && document.currentScript.dataset) || {};
  var mathDelimiter = /\$|\\\(|\\\[/;
  var waiting = null;

  function addScript(src, then) {
    var tag = document.createElement("script");
    tag.src = src;
    tag.onload = then;
    document.head.appendChild(tag);
  }

  function withKatex(then) {
    if (typeof window.renderMathInElement === "function") return then();
    if (waiting) return waiting.push(then);
    if (!assets.katexJs) return;
    waiting = [then];
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = assets.katexCss;
    document.head.appendChild(css);
    addScript(assets.katexJs, function () {
      addScript(assets.katexAutoRender, function () {
        var queued = waiting;
        waiting = null;
        queued.forEach(function (fn) { fn(); });
      });
    });
  }

  function renderMath(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll(".math-text"));
    if (scope.classList && scope.classList.contains("math-text")) nodes.unshift(scope);
    nodes = nodes.filter(function (el) { return el.dataset.mathRendered !== "1" && mathDelimiter.test(el.textContent); });
    if (nodes.length) withKatex(function () { typeset(nodes); });
  }

  function typeset(nodes) {
    nodes.forEach(function (el) {
      if (el.dataset.mathRendered === "1") return;
      try {
        window.renderMathInElement(el, {
          delimiters: delimiters,
          throwOnError: false,
          strict: "ignore",
          trust: false,
          ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option", "input"]
        });
      } catch (e) { /* leave the source text as it is */ }
      el.dataset.mathRendered = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { renderMath(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { renderMath(evt.target); });

  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "/" || evt.ctrlKey || evt.metaKey || evt.altKey) return;
    var tag = (evt.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || evt.target.isContentEditable) return;
    var box = document.getElementById("search-q") || document.getElementById("site-search");
    if (box) { evt.preventDefault(); box.focus(); box.select(); }
  });
})();
