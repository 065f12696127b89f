// Starts Swagger UI on the API documentation page (templates/api/docs.html) from a
// static file, as the Content-Security-Policy allows no inline script. The page reads
// without it: its text links the schema.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }

  // Swagger UI draws a parameter's choices as a <select> with no label, and example
  // bodies as scrolling boxes a keyboard cannot reach: name the one after its
  // parameter and make the other focusable, whenever Swagger UI draws them.
  function repair(root) {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      select.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
    root.querySelectorAll(".highlight-code > .microlight:not([tabindex])").forEach(function (box) {
      box.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function () {
    repair(element);
  }).observe(element, { childList: true, subtree: true });

  window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    domNode: element,
    // Off: its links sit inside each endpoint's button, nesting one control in another.
    deepLinking: false,
    // No request for a validator badge to a service elsewhere.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
