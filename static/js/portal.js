// The portal's own script: progressive enhancements only; every page works without it.
(function () {
  "use strict";

  // A table wider than its .table-responsive box scrolls sideways: keyboard users must be
  // able to reach it (WCAG 2.1.1), so the box joins the tab order, as a group named after
  // the table's caption (or the heading of its section); a group, not a region, so as not
  // to add a landmark named like its section's. A box that does not scroll stays out of
  // the tab order. Checked on load and whenever the box changes size.
  var captions = 0;

  function labelOf(box) {
    var caption = box.querySelector("caption");
    if (caption) {
      if (!caption.id) {
        captions += 1;
        caption.id = "scrollable-caption-" + captions;
      }
      return caption.id;
    }
    var section = box.closest("[aria-labelledby]");
    return section ? section.getAttribute("aria-labelledby") : null;
  }

  function markScrollable(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      var label = labelOf(box);
      if (label) {
        box.setAttribute("role", "group");
        box.setAttribute("aria-labelledby", label);
      }
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
    }
  }

  function watchScrollableTables(root) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll(".table-responsive"));
    if (root.matches && root.matches(".table-responsive")) {
      boxes.push(root);
    }
    var observer = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
      // The box, or its table (whose width changes when the box's does not).
      entries.forEach(function (entry) { markScrollable(entry.target.closest(".table-responsive")); });
    }) : null;
    boxes.forEach(function (box) {
      markScrollable(box);
      if (observer) {
        observer.observe(box);
        var table = box.querySelector("table");
        if (table) {
          observer.observe(table);
        }
      }
    });
  }

  watchScrollableTables(document);
  // Content swapped in by htmx (the consortium step, say) may bring tables of its own.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    watchScrollableTables(event.target);
  });
})();
