/* klaster — small enhancements; every page works without this file. */
(function () {
  "use strict";
  // Filters apply as soon as a select is changed with the mouse or a touch.  Changed from the
  // keyboard (arrow keys change a closed select at once) they wait for the Show button or Enter,
  // so that a long list can be browsed without reloading the page at every step (WCAG 3.2.2).
  document.querySelectorAll("form.filters select").forEach(function (sel) {
    var byKey = false;
    sel.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { sel.form.submit(); return; }
      byKey = true;
    });
    sel.addEventListener("pointerdown", function () { byKey = false; });
    sel.addEventListener("change", function () { if (!byKey) sel.form.submit(); });
  });
})();
