// Karuna's one script (progressive enhancement; every page works without it):
// a form holding unsaved input is never left by accident. Typing into a form on
// the page, or a form re-shown with errors after a failed save, makes the page
// "dirty"; then the language switch asks first (in the user's language, from the
// switch's data-unsaved-question attribute) and any other way out (a link, closing the tab)
// gets the browser's own "leave the page?" question. Saving the form clears it.
(function () {
  'use strict';
  var dirty = false;
  var forms = document.querySelectorAll('main form[method="post"]');
  Array.prototype.forEach.call(forms, function (form) {
    if (form.hasAttribute("data-unsaved") || form.querySelector('[aria-invalid="true"]')) {
      dirty = true;
    }
    var mark = function (e) {
      if (e.target && e.target.type !== 'hidden') {
        dirty = true;
      }
    };
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
    form.addEventListener('submit', function () {
      dirty = false;
    });
  });
  var sw = document.querySelector('form.lang-switch');
  if (sw) {
    sw.addEventListener('submit', function (e) {
      if (!dirty) {
        return;
      }
      var question = sw.getAttribute('data-unsaved-question') || '';
      if (window.confirm(question)) {
        dirty = false;
      } else {
        e.preventDefault();
      }
    });
  }
  window.addEventListener('beforeunload', function (e) {
    if (dirty) {
      e.preventDefault();
      e.returnValue = '';
    }
  });
})();
