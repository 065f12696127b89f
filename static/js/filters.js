// Progressive enhancement for the filter form; the form works the same without it.
// With no category chosen, the page lists every subcategory grouped by category
// (<optgroup label="Housing">); once a category is chosen, only its subcategories.
// Here, changing the category hides the subcategories that no longer belong to it, and
// choosing a grouped subcategory selects its category, since names repeat ("Other").
(function () {
  "use strict";
  var category = document.getElementById("id_category");
  var subcategory = document.getElementById("id_subcategory");
  if (!category || !subcategory) return;
  var servedFor = category.value;

  function categoryName() {
    var option = category.options[category.selectedIndex];
    return option && option.value ? option.text : "";
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
      if (category.options[i].text === group.label) {
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
