// DOM helpers. Every piece of text goes in through textContent (or an attribute set with
// setAttribute), never through innerHTML: token names and symbols read from chain are
// untrusted, and so is anything imported from a file.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** $('id') -> the element with that id (throws if the page is missing it: a build bug). */
export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page element #${id} is missing`);
  return node;
}

/**
 * el('td', { class: 'num', 'data-x': 1 }, 'text', child, ...) -> HTMLElement.
 * Attributes are set with setAttribute; strings become text nodes.
 */
export function el(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** svg('rect', { x: 1, y: 2 }, ...) -> SVGElement (same rules as el). */
export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

function fill(node, attributes, children) {
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) throw new Error('el(): pass listeners with addEventListener, not attributes');
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---- number formats ------------------------------------------------------------------------

/** 0.1234 -> "12.3%"; rounds first so that -0.00004 does not print as "-0.0%". */
export function percent(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const scale = 10 ** digits;
  return `${(Math.round(100 * scale * x) / scale + 0).toFixed(digits)}%`;
}

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
export function usd(x) {
  return Number.isFinite(x) ? usdFormat.format(x) : '–';
}

/** Token amounts: up to 6 significant decimals, no exponent for ordinary sizes. */
export function amount(x) {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 6;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}
