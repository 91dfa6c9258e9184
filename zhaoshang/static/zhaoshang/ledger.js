// The ledger list's 行业门类 归类 toolbar (templates/ledger/_reclassify.html). Handlers are delegated from
// the document, because htmx replaces the table (and the toolbar with it) on every filter, sort and page.
(function () {
  "use strict";

  // 全选本页: tick or untick every project on the page the user may edit.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.id !== "select-page") return;
    document.querySelectorAll('input[name="ids"][form="project-reclassify"]:not(:disabled)').forEach(function (c) {
      c.checked = box.checked;
    });
  });

  // "All projects matching the filter" may be thousands: ask once, with the count, before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "project-reclassify") return;
    if (form.elements.all_matching && form.elements.all_matching.checked && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
