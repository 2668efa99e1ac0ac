// Starts GOV.UK Frontend's components; kept out of the page so the CSP can forbid inline script.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}

// When htmx redraws the part of the page that holds the focus (a row saved in place), put the
// focus back on the same control in the new markup, so a keyboard user keeps their place
// instead of being sent back to the top of the page. htmx itself only does this for ids.
(function () {
  var pending = null;

  function selectorFor(element) {
    if (element.id) {
      return "#" + CSS.escape(element.id);
    }
    if (element.name) {
      var selector = element.tagName.toLowerCase() + '[name="' + CSS.escape(element.name) + '"]';
      return element.value ? selector + '[value="' + CSS.escape(element.value) + '"]' : selector;
    }
    return null;
  }

  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    pending = null;
    if (active && active !== document.body && target && target.contains(active)) {
      pending = {
        selector: selectorFor(active),
        targetId: target.id,
        index: Array.prototype.indexOf.call(target.querySelectorAll(FOCUSABLE), active)
      };
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) {
      return;
    }
    var place = pending;
    pending = null;
    if (document.activeElement && document.activeElement !== document.body) {
      return;
    }
    var again = place.selector ? document.querySelector(place.selector) : null;
    if (!again && place.targetId && place.index >= 0) {
      var redrawn = document.getElementById(place.targetId);
      again = redrawn ? redrawn.querySelectorAll(FOCUSABLE)[place.index] : null;
    }
    if (again) {
      again.focus();
    }
  });
})();

// Content htmx swaps in is new to GOV.UK Frontend: start its components (an error summary then
// takes the focus, as on a full page) and keep the tab title's "Error: " prefix in step with
// whether the page shows an error summary.
document.addEventListener("htmx:afterSettle", function (event) {
  if (window.GOVUKFrontend && event.detail.elt instanceof Element) {
    window.GOVUKFrontend.initAll({ scope: event.detail.elt, onError: function () {} });
  }
  var prefix = "Error: ";
  var showsErrors = document.querySelector(".govuk-error-summary") !== null;
  if (showsErrors && document.title.indexOf(prefix) !== 0) {
    document.title = prefix + document.title;
  } else if (!showsErrors && document.title.indexOf(prefix) === 0) {
    document.title = document.title.slice(prefix.length);
  }
});

// "Select every figure": a checkbox in a table's header ticks or clears each row's checkbox.
// Without JavaScript it stays hidden and each row is ticked by hand (or "Approve all" is used).
document.querySelectorAll("[data-select-all]").forEach(function (all) {
  var table = document.getElementById(all.getAttribute("data-select-all"));
  if (!table) {
    return;
  }
  var members = table.querySelectorAll("[data-select-all-member]");
  all.closest(".app-select-all").hidden = false;
  all.addEventListener("change", function () {
    members.forEach(function (box) { box.checked = all.checked; });
  });
  table.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-select-all-member")) {
      var ticked = Array.prototype.filter.call(members, function (box) { return box.checked; }).length;
      all.checked = ticked === members.length;
      all.indeterminate = ticked > 0 && ticked < members.length;
    }
  });
});
