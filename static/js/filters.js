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
