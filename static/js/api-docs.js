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

  // Swagger UI's own layout puts the endpoints in a <main> of its own, inside the
  // page's <main> (two main landmarks, one nested), and its title in a heading that
  // the endpoints' h3 headings do not follow. This one draws the same parts in a <div>,
  // under an h2 after the page's h1; the page's own text says what the title did.
  function ArchiveLayoutPlugin(system) {
    var h = system.React.createElement;
    function ArchiveLayout(props) {
      var get = props.getComponent;
      var Row = get("Row");
      var Col = get("Col");
      var status = props.specSelectors.loadingStatus();
      if (status !== "success" && !props.specSelectors.specStr()) {
        var said = status === "loading" ? "Loading the API’s description…"
          : "The API’s description could not be loaded: the OpenAPI 3 schema linked above has it.";
        return h("div", { className: "swagger-ui" }, h("p", { className: "api-docs__status" }, said));
      }
      function full(child) {
        return h(Row, null, h(Col, { mobile: 12, desktop: 12 }, child));
      }
      return h(
        "div",
        { className: "swagger-ui" },
        h(get("SvgAssets")),
        h(get("errors", true)),
        h("h2", { className: "api-docs__title" }, "Endpoints"),
        h("div", { id: "operations" }, full(h(get("operations", true))), full(h(get("Models", true))))
      );
    }
    return { components: { ArchiveLayout: ArchiveLayout } };
  }

  window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    domNode: element,
    // Off: its links sit inside each endpoint's button, nesting one control in another.
    deepLinking: false,
    // No request for a validator badge to a service elsewhere.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    plugins: [ArchiveLayoutPlugin],
    layout: "ArchiveLayout",
  });
})();
