// The search page: Pagefind's index, in bundles (the newest first, the others merged into it),
// searched as the reader types. Results show title, date, topic and excerpt; topic and tag filters
// narrow them; sorting is by relevance or by date. `?q=word` opens with the results for `word`.
const root = document.getElementById("search");
const form = root.querySelector(".search-form");
const input = root.querySelector("#search-q");
const sortBox = root.querySelector("#search-sort");
const status = root.querySelector(".search-status");
const list = root.querySelector(".search-results");
const more = root.querySelector(".search-more");
const filterBox = root.querySelector(".search-filters");
const bundles = root.dataset.bundles.split(" ").filter(Boolean);
const PAGE = 20;
const chosen = { topic: new Set(), tag: new Set() };
let pagefind = null;
let shown = [];
let serial = 0;

function say(text) { status.textContent = text; }

async function load() {
  if (pagefind || !bundles.length) return pagefind;
  say(root.dataset.loading);
  const module = await import(bundles[0] + "pagefind.js");
  const baseUrl = root.dataset.base;  // the pages' paths are already the site's URLs
  await module.options({ basePath: bundles[0], baseUrl, excerptLength: 24 });
  for (const bundle of bundles.slice(1)) await module.mergeIndex(bundle, { baseUrl });
  await module.init();
  await module.filters();  // loads the filters, so that each search counts its results per filter
  pagefind = module;
  return pagefind;
}

function filterOptions() {
  const filters = {};
  for (const [name, values] of Object.entries(chosen)) {
    if (values.size) filters[name] = { any: [...values] };
  }
  return filters;
}

// An excerpt is Pagefind's text with the matches in <mark>: keep only the text and the marks.
function excerpt(html) {
  const p = document.createElement("p");
  p.className = "search-excerpt";
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(document.createTextNode(node.textContent));
    }
  }
  return p;
}

function result(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const title = document.createElement("h2");
  title.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  title.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.topic, data.meta.date].filter(Boolean).join(" · ");
  item.append(title, meta, excerpt(data.excerpt));
  return item;
}

async function showMore(ticket) {
  const next = shown.splice(0, PAGE);
  const datas = await Promise.all(next.map((r) => r.data()));
  if (ticket !== serial) return;
  list.append(...datas.map(result));
  more.hidden = shown.length === 0;
}

function drawFilters(counts) {
  filterBox.hidden = false;
  for (const fieldset of filterBox.querySelectorAll("fieldset")) {
    const name = fieldset.dataset.filter;
    const values = Object.entries(counts[name] || {})
      .filter(([value, n]) => n > 0 || chosen[name].has(value))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    fieldset.querySelectorAll("div").forEach((d) => d.remove());
    fieldset.hidden = values.length === 0;
    values.forEach(([value, n], i) => {
      const row = document.createElement("div");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `filter-${name}-${i}`;
      box.value = value;
      box.checked = chosen[name].has(value);
      box.addEventListener("change", () => {
        if (box.checked) chosen[name].add(value); else chosen[name].delete(value);
        run();
      });
      const label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = `${value} (${n})`;
      row.append(box, label);
      fieldset.append(row);
    });
  }
}

function remember(term) {
  const url = new URL(location.href);
  if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
  if (sortBox.value) url.searchParams.set("sort", sortBox.value); else url.searchParams.delete("sort");
  history.replaceState(null, "", url);
}

async function run() {
  const ticket = ++serial;
  const term = input.value.trim();
  remember(term);
  list.replaceChildren();
  more.hidden = true;
  if (!term) {
    say("");
    filterBox.hidden = true;
    return;
  }
  let found;
  try {
    const index = await load();
    if (!index) { say(root.dataset.resultsNone); return; }
    const options = { filters: filterOptions() };
    if (sortBox.value) options.sort = { date: sortBox.value };
    found = await index.search(term, options);
  } catch (error) {
    say(root.dataset.failed);
    throw error;
  }
  if (ticket !== serial || found === null) return;
  const n = found.results.length;
  say(n === 0 ? root.dataset.resultsNone : n === 1 ? root.dataset.resultsOne
    : root.dataset.resultsMany.replace("{n}", n.toLocaleString(document.documentElement.lang || undefined)));
  drawFilters(found.filters);
  shown = found.results.slice();
  await showMore(ticket);
}

let typing = 0;
input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(run, 200); });
sortBox.addEventListener("change", run);
form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(typing); run(); });
more.addEventListener("click", () => showMore(serial));

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
sortBox.value = ["asc", "desc"].includes(params.get("sort")) ? params.get("sort") : "";
if (input.value) run();
