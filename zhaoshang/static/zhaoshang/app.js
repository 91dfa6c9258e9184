/* Small behaviours the templates ask for by data attributes. The Content-Security-Policy allows no
   inline script and no onclick=…, so every page's script lives in static files like this one:
   - data-autosubmit on a select or input: changing it submits its form (the cockpit's year);
   - data-confirm="question" on a form: submitting asks first (deleting a record);
   - data-check-all="selector" on a checkbox: ticks or clears every enabled box the selector finds;
   - data-fill-empty="selector" data-fill-value="v" on a button: sets every empty, enabled field found to v;
   - data-history-back on a link: goes back one page (the 403 page's 返回). */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el instanceof Element && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit();
      else el.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const checkAll = target.closest("[data-check-all]");
    if (checkAll) {
      document.querySelectorAll(checkAll.dataset.checkAll).forEach(function (box) {
        if (!box.disabled && box !== checkAll) box.checked = checkAll.checked;
      });
    }
    const fill = target.closest("[data-fill-empty]");
    if (fill) {
      document.querySelectorAll(fill.dataset.fillEmpty).forEach(function (field) {
        if (!field.value && !field.disabled) field.value = fill.dataset.fillValue || "";
      });
    }
    const back = target.closest("[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
