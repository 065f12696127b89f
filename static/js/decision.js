// One decision: step through the highlighted search words without reloading (links and
// the n/p keys), and copy the citation. Every part works without this file: the match
// links reload the page at ?match=N#match-N, and the citation is plain selectable text.
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

  function setUpCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var actions = button.closest(".cite__actions");
      var status = actions.querySelector(".cite__status");
      if (!source) return;
      actions.hidden = false;

      function selectText() {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }

      function done(copied) {
        button.textContent = copied ? "Copied" : "Copy citation";
        status.textContent = copied
          ? "The citation is on your clipboard."
          : "Copying did not work: the citation is selected, press Ctrl+C (or ⌘+C) to copy it.";
        if (copied) {
          window.setTimeout(function () {
            button.textContent = "Copy citation";
          }, 4000);
        }
      }

      function fallback() {
        selectText();
        var copied = false;
        try {
          copied = document.execCommand("copy");
        } catch (error) {
          copied = false;
        }
        done(copied);
      }

      button.addEventListener("click", function () {
        var text = source.textContent.trim();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () {
            done(true);
          }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  setUpMatches();
  setUpCopy();
})();
