/* klaster — small enhancements; every page works without this file. */
(function () {
  "use strict";
  // Filters apply as soon as a select changes (the Filter button stays for keyboard and no-JS users).
  document.querySelectorAll("form.filters select").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });
})();
