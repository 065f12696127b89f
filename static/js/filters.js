// Progressive enhancement for the list page; everything works the same without it.

// "js" on <html>: the stylesheet hides what only a page without script needs (the
// Apply buttons of the order and page size, which this script submits on change).
document.documentElement.classList.add("js");

// The filters fold behind "Filter results" so that on a phone the results come first;
// on a screen wide enough for a column beside the results they start open. Only on
// load: a person who folds them again keeps them folded.
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 48em)").matches) panel.open = true;
})();

// With no category chosen, the page lists every subcategory grouped by category
// (<optgroup label="Housing">); once a category is chosen, only its subcategories.
// Here, changing the category hides the subcategories that no longer belong to it, and
// choosing a grouped subcategory selects its category, since names repeat ("Other").
// An option's count ("Housing (12)", "Housing (about 1,200)") is no part of its name.
(function () {
  "use strict";
  var category = document.getElementById("id_category");
  var subcategory = document.getElementById("id_subcategory");
  if (!category || !subcategory) return;
  var servedFor = category.value;

  function nameOf(option) {
    return option.text.replace(/ \((about )?[\d,]+\)$/, "");
  }

  function categoryName() {
    var option = category.options[category.selectedIndex];
    return option && option.value ? nameOf(option) : "";
  }

  function belongs(option) {
    if (!option.value) return true;
    var group = option.parentNode;
    if (group.tagName === "OPTGROUP") {
      return categoryName() === "" || group.label === categoryName();
    }
    return category.value === servedFor;
  }

  function update() {
    var options = subcategory.options;
    for (var i = 0; i < options.length; i++) {
      var hide = !belongs(options[i]);
      options[i].hidden = hide;
      options[i].disabled = hide;
    }
    var chosen = options[subcategory.selectedIndex];
    if (chosen && chosen.disabled) subcategory.value = "";
  }

  category.addEventListener("change", update);
  subcategory.addEventListener("change", function () {
    var chosen = subcategory.options[subcategory.selectedIndex];
    var group = chosen && chosen.parentNode;
    if (category.value || !group || group.tagName !== "OPTGROUP") return;
    for (var i = 0; i < category.options.length; i++) {
      if (nameOf(category.options[i]) === group.label) {
        category.selectedIndex = i;
        update();
        return;
      }
    }
  });
  update();
})();

// Leave empty fields out of the address on submit, so a shared or bookmarked link reads
// "?q=delay&outcome=upheld" rather than listing every empty filter. Without this script
// the empty parameters are sent and ignored, with the same results.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.filters, form.list-options");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (event) {
      var fields = event.target.elements;
      var emptied = [];
      for (var j = 0; j < fields.length; j++) {
        var field = fields[j];
        if (field.name && !field.disabled && field.value === "" && field.type !== "submit") {
          field.disabled = true;
          emptied.push(field);
        }
      }
      // Re-enable them when the page comes back from the history cache.
      window.addEventListener("pageshow", function () {
        for (var k = 0; k < emptied.length; k++) emptied[k].disabled = false;
      }, { once: true });
    });
  }
})();

// The order and the page size apply as soon as they are chosen: no second Apply button.
// Each select says so to assistive technology before it is used (WCAG 3.2.2), and the
// reloaded page puts the focus back on it, so a keyboard carries on where it was.
(function () {
  "use strict";
  var KEY = "list-focus";
  var selects = document.querySelectorAll("select[data-submit-on-change]");
  for (var i = 0; i < selects.length; i++) {
    var select = selects[i];
    var note = document.createElement("span");
    note.id = select.id + "-note";
    note.className = "visually-hidden";
    note.textContent = "The list changes as soon as you choose.";
    select.parentNode.appendChild(note);
    select.setAttribute("aria-describedby", note.id);
    select.addEventListener("change", function (event) {
      try {
        window.sessionStorage.setItem(KEY, event.target.id);
      } catch (error) {
        // No storage (a private window): the page still reloads, focus at its top.
      }
      event.target.form.requestSubmit();
    });
  }
  var focusId = null;
  try {
    focusId = window.sessionStorage.getItem(KEY);
    window.sessionStorage.removeItem(KEY);
  } catch (error) {
    return;
  }
  var target = focusId && document.getElementById(focusId);
  if (target) target.focus();
})();
