// digest preview: brings this page up to date when a rebuild changes it, swaps
// stylesheets in place when only CSS changed, and shows build errors. Injected
// by `digest serve` only; never part of `digest build` output.
//
// A changed page is fetched and its head and body put in place of this one's
// (no new document: no stylesheet, script or font to fetch again, no blank
// frame, the scroll position kept). Where that could differ from loading the
// page (a script that runs, a stylesheet or <style> changed, <noscript>, an
// error page or any answer but 200) the page is reloaded instead.
(function () {
  "use strict";
  var me = document.currentScript;
  var ours = me ? me.getAttribute("src") : "/__digest/livereload.js";
  var version = me ? me.getAttribute("data-version") : "";
  var here = location.pathname;
  var wanted = version;  // the version the last event named
  var fetching = false;

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var stamp = Date.now().toString(36);
    links.forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || paths.indexOf(url.pathname) < 0) return;
      // Load the new sheet beside the old one, then drop the old: no flash, scroll kept.
      var fresh = link.cloneNode();
      fresh.setAttribute("data-digest-href", link.getAttribute("data-digest-href") || link.getAttribute("href"));
      url.searchParams.set("digest-reload", stamp);
      fresh.href = url.pathname + url.search;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { fresh.remove(); });
      link.after(fresh);
    });
  }

  function isOurs(el) {
    return el.tagName === "SCRIPT" && el.getAttribute("src") === ours;
  }

  // A script that runs (not a data block such as JSON-LD), other than this one.
  function runs(el) {
    if (el.tagName !== "SCRIPT" || isOurs(el)) return false;
    var type = (el.getAttribute("type") || "").trim().toLowerCase();
    return type === "" || type === "module" || /(java|ecma)script/.test(type);
  }

  // Head elements a swap leaves in place (re-inserting them would load them again), which must then be
  // the same in the new page: stylesheets, <style>, <base>.
  function kept(node) {
    if (node.nodeType !== 1) return false;
    return node.tagName === "STYLE" || node.tagName === "BASE" ||
      (node.tagName === "LINK" && /(^|\s)stylesheet(\s|$)/i.test(node.getAttribute("rel") || ""));
  }

  function served(node) {  // a node as the server sent it (a swapped stylesheet's link has its href back)
    if (node.nodeType === 3) return node.nodeValue;
    if (node.nodeType !== 1) return "<!--" + node.nodeValue + "-->";
    if (!node.hasAttribute("data-digest-href")) return node.outerHTML;
    var copy = node.cloneNode();
    copy.setAttribute("href", copy.getAttribute("data-digest-href"));
    copy.removeAttribute("data-digest-href");
    return copy.outerHTML;
  }

  function nodes(parent, pick) {
    return Array.prototype.filter.call(parent.childNodes, pick);
  }

  function text(list) {
    return list.map(served).join("\u0000");
  }

  function swappable(doc) {
    if (!doc.head || !doc.body || document.querySelector("noscript") || doc.querySelector("noscript")) return false;
    if (Array.prototype.some.call(document.scripts, runs) || Array.prototype.some.call(doc.scripts, runs)) {
      return false;
    }
    return text(nodes(doc.head, kept)) === text(nodes(document.head, kept));
  }

  function attributes(from, to) {
    Array.prototype.slice.call(to.attributes).forEach(function (a) {
      if (!from.hasAttribute(a.name)) to.removeAttribute(a.name);
    });
    Array.prototype.forEach.call(from.attributes, function (a) {
      if (to.getAttribute(a.name) !== a.value) to.setAttribute(a.name, a.value);
    });
  }

  // Put the new page `doc` in place of this one, node for node as loading it would give.
  function swap(doc) {
    var others = function (node) { return !kept(node); };
    var head = document.head;
    if (text(nodes(doc.head, others)) !== text(nodes(head, others))) {
      nodes(head, others).forEach(function (node) { node.remove(); });
      var stay = nodes(head, kept);
      var at = 0;  // the new nodes go where they are in the new head, around the ones that stay
      Array.prototype.forEach.call(doc.head.childNodes, function (node) {
        if (kept(node)) { at += 1; return; }
        head.insertBefore(document.importNode(node, true), stay[at] || null);
      });
    }
    attributes(doc.documentElement, document.documentElement);
    // This script stays in the page, running: it takes the place of the new page's copy of it.
    var body = document.importNode(doc.body, true);
    var copy = Array.prototype.filter.call(body.querySelectorAll("script"), isOurs)[0];
    if (copy && me) {
      me.setAttribute("data-version", copy.getAttribute("data-version"));
      copy.replaceWith(me);
    }
    document.body.replaceWith(body);
  }

  // Bring the page to the version the last event named: fetched and swapped in, or reloaded.
  function update() {
    if (fetching || wanted === version) return;
    fetching = true;
    fetch(location.href, {cache: "no-store"}).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status !== 200 || response.redirected || type.indexOf("text/html") !== 0) throw new Error("reload");
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var tag = Array.prototype.filter.call(doc.scripts, isOurs)[0];
      if (!tag || !swappable(doc)) throw new Error("reload");
      version = tag.getAttribute("data-version");
      swap(doc);
      fetching = false;
      update();  // another rebuild may have come meanwhile
    }).catch(function () { location.reload(); });
  }

  function connect() {
    var source = new EventSource("/__digest/events?path=" + encodeURIComponent(here));
    source.addEventListener("hello", function (e) {
      // After a reconnect (server restarted, or events missed), catch up at once.
      wanted = JSON.parse(e.data).version;
      update();
    });
    source.addEventListener("change", function (e) {
      var msg = JSON.parse(e.data);
      if (msg.css.length) swapStylesheets(msg.css);
      wanted = msg.version;
      update();
    });
    source.onerror = function () {
      // EventSource retries by itself; make sure it does even after a hard close.
      if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(connect, 1000); }
    };
  }
  connect();
})();
