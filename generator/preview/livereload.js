// digest preview: reloads this page when a rebuild changes it, swaps stylesheets
// in place when only CSS changed, and shows build errors. Injected by
// `digest serve` only; never part of `digest build` output.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? me.getAttribute("data-version") : "";
  var here = location.pathname;

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var stamp = Date.now().toString(36);
    links.forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || paths.indexOf(url.pathname) < 0) return;
      // Load the new sheet beside the old one, then drop the old: no flash, scroll kept.
      var fresh = link.cloneNode();
      url.searchParams.set("digest-reload", stamp);
      fresh.href = url.pathname + url.search;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { fresh.remove(); });
      link.after(fresh);
    });
  }

  function connect() {
    var source = new EventSource("/__digest/events?path=" + encodeURIComponent(here));
    source.addEventListener("hello", function (e) {
      // After a reconnect (server restarted, or events missed), catch up at once.
      var state = JSON.parse(e.data);
      if (state.version !== version) location.reload();
    });
    source.addEventListener("change", function (e) {
      var msg = JSON.parse(e.data);
      if (msg.version !== version && !msg.css_only) { location.reload(); return; }
      if (msg.css.length) swapStylesheets(msg.css);
    });
    source.onerror = function () {
      // EventSource retries by itself; make sure it does even after a hard close.
      if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(connect, 1000); }
    };
  }
  connect();
})();
