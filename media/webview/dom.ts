// Small DOM builders. Text always goes in through text nodes; the one place HTML is assigned
// is `setMarkdown`, whose input comes from the escaping markdown renderer and is checked again here.
import { renderMarkdown } from './markdown';

type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const c of children) if (c) el.append(c);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  for (const c of children) if (c) el.append(c);
  return el;
}

// What markdown-it (html:false) and highlight.js can produce; anything else means a bug, and is dropped.
const TAGS = new Set(['P', 'BR', 'HR', 'EM', 'STRONG', 'S', 'CODE', 'PRE', 'SPAN', 'A', 'BLOCKQUOTE', 'UL', 'OL', 'LI',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']);
const ATTRS = new Set(['class', 'href', 'title', 'rel', 'start']);

function clean(root: Element): void {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (!TAGS.has(el.tagName)) {
      el.replaceWith(document.createTextNode(el.textContent ?? ''));
      continue;
    }
    for (const a of Array.from(el.attributes)) {
      const bad = !ATTRS.has(a.name) || (a.name === 'href' && !/^(https?:|mailto:)/i.test(a.value));
      if (bad) el.removeAttribute(a.name);
    }
  }
}

/** Renders untrusted markdown into `el`. */
export function setMarkdown(el: HTMLElement, text: string): void {
  const t = document.createElement('template');
  t.innerHTML = renderMarkdown(text);
  const frag = t.content;
  const holder = document.createElement('div');
  holder.append(frag);
  clean(holder);
  el.replaceChildren(...Array.from(holder.childNodes));
}

export { formatAge, formatMs, formatTokens, formatUsd } from '../../src/core/format';
