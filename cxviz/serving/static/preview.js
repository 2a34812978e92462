// The live preview page. Everything a spec holds (names, titles, messages, source lines) reaches the
// page through textContent, never as markup; the diagram is cxviz's own SVG, parsed as SVG.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { specs: [], current: null, shown: null, drawn: null, version: null, rtl: false };
const KIND_NAMES = { journey: "journey map", empathy: "empathy map", persona: "persona", whys: "5 Whys",
                     userflow: "user flow" };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function quoted(name) {
  return name.split("/").map(encodeURIComponent).join("/");
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

async function fetchJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

// The kind and the title; the title isolated, since it may be written right to left.
function described(holder, spec) {
  const title = element("bdi", "", spec.title);
  title.dir = "auto";
  holder.replaceChildren(document.createTextNode(KIND_NAMES[spec.kind] || spec.kind));
  if (spec.title) holder.append(document.createTextNode(" · "), title);
  return holder;
}

// -- the list ------------------------------------------------------------------------

function countText(spec) {
  if (spec.state === "pending") return "…";
  if (spec.errors) return plural(spec.errors, "error");
  if (spec.warnings) return plural(spec.warnings, "warning");
  return "";
}

function showList(data) {
  state.specs = data.specs;
  $("serve-root").textContent = `${plural(data.specs.length, "spec")} in ${data.root}`;
  const list = $("serve-list");
  list.replaceChildren(...data.specs.map((spec) => {
    const link = element("a", `serve-${spec.state}`);
    link.href = `#${quoted(spec.name)}`;
    link.dataset.name = spec.name;
    link.title = spec.file;
    if (spec.name === state.current) link.setAttribute("aria-current", "page");
    link.append(element("span", "serve-dot"), element("span", "serve-file", spec.name),
                element("span", "serve-count", countText(spec)),
                described(element("span", "serve-sub"), spec));
    const item = element("li");
    item.append(link);
    return item;
  }));
  if (!data.specs.length) {
    list.append(element("li", "serve-muted", "No specs here yet: save a .yaml file with a kind: line."));
  }
}

// -- the spec shown ----------------------------------------------------------------------

function showProblems(spec) {
  const problems = spec.diagnostics;
  const panel = $("serve-problems");
  panel.hidden = problems.length === 0;
  if (!problems.length) return;
  const errors = problems.filter((p) => p.severity === "error").length;
  panel.classList.toggle("serve-only-warnings", errors === 0);
  let title = errors ? plural(errors, "error") : plural(problems.length, "warning");
  if (errors && problems.length > errors) title += `, ${plural(problems.length - errors, "warning")}`;
  if (errors) {
    title += spec.svg ? " — showing the last picture that rendered" : " — nothing could be drawn yet";
  }
  $("serve-problems-title").textContent = title;
  $("serve-problem-list").replaceChildren(...problems.map((problem) => {
    const item = element("li", `serve-${problem.severity}`);
    const headline = element("p", "serve-headline");
    const place = problem.line ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
    headline.append(element("span", "serve-severity", problem.severity), element("span", "serve-place", place),
                    document.createTextNode(": "));
    if (problem.field) headline.append(element("span", "serve-field", `${problem.field}: `));
    headline.append(document.createTextNode(problem.message));
    item.append(headline);
    if (problem.line && problem.source) {
      item.append(excerpt(element("pre", "serve-excerpt"), problem.line, problem.column, problem.source));
    }
    return item;
  }));
}

// The line of the file as a compiler shows it: its number, its text, a caret under the column.
function excerpt(block, line, column, source) {
  const gutter = `${String(line).padStart(5)} | `;
  const pad = " ".repeat(gutter.length - 2) + "| " + [...source].slice(0, Math.max(column - 1, 0))
    .map((c) => (c === "\t" ? "\t" : " ")).join("");
  block.replaceChildren(document.createTextNode(`${gutter}${source}\n${pad}`), element("span", "serve-caret", "^"));
  return block;
}

function statusOf(spec) {
  if (spec.state === "pending") return ["", "rendering…"];
  if (spec.state === "errors") return ["serve-errors", plural(spec.errors, "error")];
  if (spec.state === "warnings") return ["serve-warnings", plural(spec.warnings, "warning")];
  return ["serve-ok", `drawn ${new Date().toLocaleTimeString()}`];
}

function parseSvg(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.namespaceURI !== "http://www.w3.org/2000/svg" || parsed.querySelector("parsererror")) return null;
  // cxviz writes neither; the page's policy would stop them running, and they are dropped all the same.
  for (const unwanted of svg.querySelectorAll("script, foreignObject")) unwanted.remove();
  for (const node of [svg, ...svg.querySelectorAll("*")]) {
    for (const attribute of [...node.attributes]) {
      if (attribute.name.toLowerCase().startsWith("on")) node.removeAttribute(attribute.name);
    }
  }
  const imported = document.importNode(svg, true);
  // Fitted to the window, but never drawn larger than its own size.
  imported.style.maxWidth = svg.getAttribute("width") || "";
  imported.style.maxHeight = svg.getAttribute("height") || "";
  return imported;
}

function showSpec(spec) {
  state.shown = spec.version;
  $("serve-name").textContent = spec.file;
  described($("serve-title"), spec);
  document.title = `${spec.name} — cxviz serve`;
  const [badge, text] = statusOf(spec);
  $("serve-status").className = `serve-badge ${badge}`;
  $("serve-status").textContent = text;
  showProblems(spec);
  const stage = $("serve-stage");
  stage.classList.toggle("serve-stale", Boolean(spec.svg) && !spec.current);
  if (spec.svg && spec.svg !== state.drawn) {
    const svg = parseSvg(spec.svg);
    if (svg) {
      $("serve-diagram").replaceChildren(svg);
      state.drawn = spec.svg;
      hideWhere();
      state.rtl = Boolean(spec.rtl);
      fitWide();
    }
  } else if (!spec.svg) {
    $("serve-diagram").replaceChildren();
    state.drawn = null;
  }
  const empty = $("serve-empty");
  empty.hidden = Boolean(spec.svg);
  empty.textContent = spec.state === "pending" ? "Rendering…" : "No picture yet: fix the errors above and save.";
}

async function loadSpec(name) {
  try {
    const spec = await fetchJson(`/api/spec/${quoted(name)}`);
    if (name === state.current) showSpec(spec);
  } catch (error) {
    if (name !== state.current) return;
    $("serve-problems").hidden = true;
    $("serve-diagram").replaceChildren();
    state.drawn = null;
    $("serve-empty").hidden = false;
    $("serve-empty").textContent = `${name} is not a spec in this folder (any more).`;
  }
}

function choose(name) {
  if (name === state.current) return;
  state.current = name;
  state.shown = null;
  state.drawn = null;
  hideWhere();
  $("serve-diagram").replaceChildren();
  for (const link of document.querySelectorAll("#serve-list a")) {
    if (link.dataset.name === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (name !== null) loadSpec(name);
}

function chosenFromHash() {
  let hash = "";
  try {
    hash = decodeURIComponent(location.hash.slice(1));
  } catch (error) {
    // a hand-typed address that is not valid percent-encoding: show the first spec
  }
  if (hash && state.specs.some((spec) => spec.name === hash)) return hash;
  return state.specs.length ? state.specs[0].name : null;
}

async function refresh() {
  const data = await fetchJson("/api/specs");
  showList(data);
  const wanted = chosenFromHash();
  if (wanted !== state.current) {
    choose(wanted);
    return;
  }
  const spec = state.specs.find((entry) => entry.name === state.current);
  if (spec && spec.version !== state.shown) await loadSpec(spec.name);
}

// -- where a part of the diagram is written ---------------------------------------------------

function hideWhere() {
  $("serve-where").hidden = true;
  for (const picked of document.querySelectorAll(".serve-picked")) picked.classList.remove("serve-picked");
}

// Every shape of one element: its id, and the same id with -1, -2 … or -image.
function shapesOf(id) {
  const base = id.replace(/-(?:\d+|image)$/, "");
  return [...$("serve-diagram").querySelectorAll("[id]")].filter((shape) =>
    shape.id === base || (shape.id.startsWith(`${base}-`) && /^-(?:\d+|image)$/.test(shape.id.slice(base.length))));
}

async function showWhere(event) {
  const ids = [];
  let picked = null;
  for (let node = event.target; node && node !== $("serve-diagram"); node = node.parentNode) {
    if (node.id && node.localName === "g" && node.id !== "diagram") {
      ids.push(node.id);
      picked = picked || node;
    }
  }
  hideWhere();
  if (!ids.length || state.current === null) return;
  for (const shape of shapesOf(picked.id)) shape.classList.add("serve-picked");
  const query = ids.map((id) => `id=${encodeURIComponent(id)}`).join("&");
  const found = await fetchJson(`/api/where/${quoted(state.current)}?${query}`);
  $("serve-where").hidden = false;
  if (!found.found) {
    $("serve-where-place").textContent = "not in the spec";
    $("serve-where-path").textContent = `cxviz draws ${ids[0]} on its own`;
    $("serve-where-source").textContent = "";
    return;
  }
  $("serve-where-place").textContent = `${found.file}:${found.line}:${found.column}`;
  $("serve-where-path").textContent = found.path;
  // The value itself is marked rather than pointed at: a caret cannot follow right-to-left text.
  const characters = [...found.source];
  const before = characters.slice(0, Math.max(found.column - 1, 0)).join("");
  $("serve-where-source").replaceChildren(
    document.createTextNode(`${String(found.line).padStart(5)} | ${before}`),
    element("mark", "", characters.slice(Math.max(found.column - 1, 0)).join("")));
}

// -- start ------------------------------------------------------------------------------

function listen() {
  const live = $("serve-live");
  const events = new EventSource("/api/events");
  events.onopen = () => {
    live.className = "serve-live serve-on";
    live.textContent = "live: redraws on save";
  };
  events.onmessage = (message) => {
    if (message.data !== state.version) {
      state.version = message.data;
      refresh().catch(() => {});
    }
  };
  events.onerror = () => {
    live.className = "serve-live serve-off";
    live.textContent = "not connected: is cxviz serve still running?";
  };
}

// A drawing much wider than the window (a journey of hundreds of steps) fitted whole would be a strip
// of unreadable text: it is fitted to the window's height instead, and scrolls sideways.
const LEGIBLE_FIT = 0.5;

function fitWide() {
  const stage = $("serve-stage");
  const svg = $("serve-diagram").querySelector("svg");
  stage.classList.remove("serve-wide");
  if (!svg || !stage.classList.contains("serve-fit")) return;
  const box = svg.viewBox.baseVal;
  if (!box || !box.width || !box.height) return;
  const width = box.width * 4 / 3, height = box.height * 4 / 3;  // CSS pixels at actual size
  const whole = Math.min(stage.clientWidth / width, stage.clientHeight / height);
  if (whole >= LEGIBLE_FIT) return;
  stage.classList.add("serve-wide");
  svg.style.height = `${Math.min(stage.clientHeight, height)}px`;
  // Right to left, reading starts at the drawing's right end.
  stage.scrollLeft = state.rtl ? stage.scrollWidth : 0;
}

function toggleSize() {
  const button = $("serve-size");
  const fit = $("serve-stage").classList.toggle("serve-fit");
  button.textContent = fit ? "Actual size" : "Fit";
  button.setAttribute("aria-pressed", String(!fit));
  const svg = $("serve-diagram").querySelector("svg");
  if (svg) svg.style.height = "";
  fitWide();
}

window.addEventListener("hashchange", () => choose(chosenFromHash()));
document.addEventListener("DOMContentLoaded", () => {
  $("serve-diagram").addEventListener("click", (event) => showWhere(event).catch(() => {}));
  $("serve-size").addEventListener("click", toggleSize);
  window.addEventListener("resize", fitWide);
  refresh().catch(() => {});
  listen();
});
