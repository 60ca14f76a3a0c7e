/* Progressive enhancement only: every page reads and works without it.
   - renders $...$ / $$...$$ / \(...\) / \[...\] math with KaTeX (vendored) in elements marked .math-text
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

  function renderMath(root) {
    if (typeof window.renderMathInElement !== "function") return;
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = scope.querySelectorAll(".math-text");
    if (scope.classList && scope.classList.contains("math-text")) nodes = [scope].concat(Array.prototype.slice.call(nodes));
    Array.prototype.forEach.call(nodes, function (el) {
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
    var box = document.getElementById("site-search");
    if (box) { evt.preventDefault(); box.focus(); box.select(); }
  });
})();
