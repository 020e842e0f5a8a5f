// DOM helpers for the moderator page. Every piece of text goes in as a text node: nothing a
// commenter wrote is ever parsed as markup.

// Creates <tag> with attributes (null/undefined/false skipped, true = empty attribute, on* =
// listeners) and children (strings become text nodes, arrays are flattened).
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// The same for SVG elements (the stats chart).
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

// `text` as a fragment where every occurrence of each needle is wrapped in <mark> (with the
// rule's name as its title). Overlapping matches merge. Needles are plain strings, not patterns.
export function highlighted(text, needles) {
  const ranges = [];
  for (const { needle, label } of needles) {
    if (!needle) continue;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
      ranges.push({ start: at, end: at + needle.length, label });
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) {
      last.end = Math.max(last.end, r.end);
      if (!last.label.includes(r.label)) last.label += `, ${r.label}`;
    } else {
      merged.push({ ...r });
    }
  }
  const fragment = document.createDocumentFragment();
  let pos = 0;
  for (const r of merged) {
    if (r.start > pos) fragment.append(text.slice(pos, r.start));
    fragment.append(el('mark', { title: r.label }, text.slice(r.start, r.end)));
    pos = r.end;
  }
  if (pos < text.length) fragment.append(text.slice(pos));
  return fragment;
}

const dateTime = new Intl.DateTimeFormat('nb-NO', { dateStyle: 'medium', timeStyle: 'short' });

// <time> for an ISO time stamp, in the reader's local time.
export function timeElement(iso) {
  const date = new Date(iso);
  return el('time', { datetime: iso }, Number.isNaN(date.getTime()) ? iso : dateTime.format(date));
}

// Says `text` to screen readers through the page's polite live region.
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  // A fresh text node in a later task, so the same message twice is announced twice.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}
