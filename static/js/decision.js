// One decision: step through the highlighted search words without reloading (links and
// the n/p keys); copy the citation, the page's link or a paragraph's; print. Every part
// works without this file: the match links reload the page at ?match=N#match-N, the
// citation and the link are there to select, a paragraph's link goes to its anchor,
// and the browser prints with the print stylesheet.
(function () {
  "use strict";

  function setUpMatches() {
    var nav = document.querySelector(".matches[data-match-count]");
    var count = nav ? parseInt(nav.getAttribute("data-match-count"), 10) : 0;
    if (!count) return;
    var links = nav.querySelectorAll("[data-match-step]");
    var status = nav.querySelector(".matches__count");
    var total = nav.querySelector(".matches__total");
    var keys = nav.querySelector(".matches__keys");
    var current = null;
    var hashMatch = /^#match-(\d+)$/.exec(window.location.hash);
    if (hashMatch) current = parseInt(hashMatch[1], 10);
    var keysOn = keys ? keys.querySelector("input") : null;
    if (keys) {
      keys.hidden = false;
      keysOn.checked = readSetting() !== "off";
      keysOn.addEventListener("change", function () {
        saveSetting(keysOn.checked ? "on" : "off");
      });
    }

    function readSetting() {
      try {
        return window.localStorage.getItem("match-keys");
      } catch (error) {
        return null;
      }
    }

    function saveSetting(value) {
      try {
        window.localStorage.setItem("match-keys", value);
      } catch (error) {
        // Private browsing without storage: the choice lasts for this page only.
      }
    }

    function urlFor(number) {
      var url = new URL(window.location.href);
      url.searchParams.set("match", String(number));
      url.hash = "match-" + number;
      return url;
    }

    function show(number) {
      var mark = document.getElementById("match-" + number);
      if (!mark) return;
      var previous = document.querySelector("mark.is-current");
      if (previous) previous.classList.remove("is-current");
      mark.classList.add("is-current");
      current = number;
      window.history.replaceState(null, "", urlFor(number));
      mark.focus({ preventScroll: true });
      mark.scrollIntoView({ block: "center" });
      status.textContent = "";
      status.appendChild(total);
      var position = document.createElement("span");
      position.className = "matches__current";
      position.textContent = ": match " + number + " of " + count;
      status.appendChild(position);
      updateLinks();
    }

    function step(direction) {
      var start = current === null ? (direction > 0 ? 0 : count + 1) : current;
      var next = ((start - 1 + direction + count) % count) + 1;
      show(next);
    }

    function updateLinks() {
      links.forEach(function (link) {
        var direction = parseInt(link.getAttribute("data-match-step"), 10);
        var start = current === null ? (direction > 0 ? 0 : count + 1) : current;
        var target = ((start - 1 + direction + count) % count) + 1;
        link.href = urlFor(target).href;
      });
    }

    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        step(parseInt(link.getAttribute("data-match-step"), 10));
      });
    });

    document.addEventListener("keydown", function (event) {
      if (!keysOn || !keysOn.checked) return;
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      var target = event.target;
      if (target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
      if (event.key === "n") step(1);
      else if (event.key === "p") step(-1);
    });

    if (current !== null && document.getElementById("match-" + current)) {
      document.getElementById("match-" + current).classList.add("is-current");
    }
  }

  // Copy `text`; if the Clipboard API is refused or missing (no secure context), select
  // `source` (when given) and try the older execCommand. `done(copied)` says which.
  function copyText(text, source, done) {
    function fallback() {
      if (!source) {
        done(false);
        return;
      }
      if (source.select) {
        source.select();
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      done(copied);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        done(true);
      }, fallback);
    } else {
      fallback();
    }
  }

  // The buttons that copy the citation or the link: data-copy names the element whose
  // text (or value) is copied; the messages are in the button's data attributes.
  function setUpCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var actions = button.closest("[data-copy-actions]");
      var status = actions ? actions.querySelector("[role=status]") : null;
      if (!source || !actions) return;
      actions.hidden = false;
      var label = button.getAttribute("data-copy-label") || button.textContent;

      button.addEventListener("click", function () {
        var text = (source.value !== undefined ? source.value : source.textContent).trim();
        copyText(text, source, function (copied) {
          button.textContent = copied ? "Copied" : label;
          if (status) {
            status.textContent = button.getAttribute(copied ? "data-copied" : "data-copy-failed");
          }
          if (copied) {
            window.setTimeout(function () {
              button.textContent = label;
            }, 4000);
          }
        });
      });
    });
  }

  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  // A paragraph's link goes to its anchor as any link does (the address bar then holds
  // the paragraph's address); with this, the address is also copied, and said so.
  function setUpParagraphLinks() {
    var status = document.querySelector(".page-actions__status");
    var canonical = document.querySelector("link[rel=canonical]");
    var base = canonical ? canonical.href : window.location.href.split("#")[0];
    document.querySelectorAll("a[data-paragraph]").forEach(function (link) {
      link.addEventListener("click", function () {
        var number = link.getAttribute("data-paragraph");
        copyText(base + link.getAttribute("href"), null, function (copied) {
          if (!copied) return;
          link.setAttribute("data-copied", "");
          if (status) status.textContent = "The link to paragraph " + number + " is on your clipboard.";
          window.setTimeout(function () {
            link.removeAttribute("data-copied");
          }, 4000);
        });
      });
    });
  }

  setUpMatches();
  setUpCopy();
  setUpPrint();
  setUpParagraphLinks();
})();
