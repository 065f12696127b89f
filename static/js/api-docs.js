// Starts Swagger UI on the API documentation page (templates/api/docs.html) from a
// static file, as the Content-Security-Policy allows no inline script. The page reads
// without it: its text links the schema.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    domNode: element,
    deepLinking: true,
    // Try it out sends real GET requests to this site's API.
    tryItOutEnabled: false,
    // No request for a validator badge to a service elsewhere.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
