// Warns before leaving a page whose form has unsaved edits [issue 9]. A form opts in with
// `data-warn-unsaved="<the translated question>"`; the template renders the question in the
// page's language. Leaving by a link of the page asks with confirm(); leaving otherwise
// (closing the tab, typing an address, going back) triggers the browser's own warning.
// Submitting the form itself is never stopped. No inline script: loaded as a file (CSP).
(function () {
  "use strict";

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-warn-unsaved]"));
  if (!forms.length) {
    return;
  }

  function state(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "submit" || field.type === "button" || field.name === "csrfmiddlewaretoken") {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        values.push(field.name + "=" + (field.checked ? field.value : ""));
      } else if (field.type === "file") {
        values.push(field.name + "=" + (field.files ? field.files.length : 0));
      } else if (field.tagName === "SELECT" && field.multiple) {
        values.push(field.name + "=" + Array.prototype.filter.call(field.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }).join(","));
      } else {
        values.push(field.name + "=" + field.value);
      }
    });
    return values.join("&");
  }

  var initial = forms.map(state);
  var submitting = false;
  var leaving = false;

  function changedForm() {
    for (var i = 0; i < forms.length; i += 1) {
      if (state(forms[i]) !== initial[i]) {
        return forms[i];
      }
    }
    return null;
  }

  forms.forEach(function (form) {
    form.addEventListener("submit", function () { submitting = true; });
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || leaving || !changedForm()) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest("a[href]");
    if (!link || link.target === "_blank" || link.hasAttribute("download")) {
      return;
    }
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || href.indexOf("javascript:") === 0) {
      return;
    }
    var form = changedForm();
    if (!form) {
      return;
    }
    if (window.confirm(form.getAttribute("data-warn-unsaved"))) {
      leaving = true;  // asked already: no second warning from beforeunload
    } else {
      event.preventDefault();
    }
  });
}());
