/* klaster — small enhancements; every page works without this file. */
(function () {
  "use strict";
  // A destructive action asks first.  Without this script its POST answers with a page of
  // confirmation (web_confirm_page); here the question is asked in place and, when accepted,
  // the form goes with confirm=1, straight to the action.  Filters apply only with their
  // button (WCAG 3.2.2): no select submits its form on change.
  document.querySelectorAll("button[data-confirm]").forEach(function (btn) {
    btn.addEventListener("click", function (ev) {
      var form = btn.form, yes;
      if (!form) return;
      if (!window.confirm(btn.getAttribute("data-confirm"))) {
        ev.preventDefault();
        return;
      }
      if (!form.querySelector("input[name=confirm]")) {
        yes = document.createElement("input");
        yes.type = "hidden";
        yes.name = "confirm";
        yes.value = "1";
        form.appendChild(yes);
      }
    });
  });
})();
