// Shared pieces of every view: the colour-blind-safe palette, uPlot charts, and the tables of numbers beneath them.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

export { uPlot };

/** Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. Black first for "overall". */
export const PALETTE = ['#000000', '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];

export function colour(i) {
  return PALETTE[i % PALETTE.length];
}

/** The colour with an alpha, for confidence bands. */
export function translucent(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => {
    if (v === undefined || v === null || v === false) {
      return;
    }
    if (k === 'class') {
      node.className = v;
    } else if (k.startsWith('on')) {
      node.addEventListener(k.slice(2), v);
    } else {
      node.setAttribute(k, v === true ? '' : v);
    }
  });
  children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : c)));
  return node;
}

export function fixed(v, digits) {
  return v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toFixed(digits);
}

export function percent(v) {
  return v === undefined || v === null ? '–' : (100 * v).toFixed(1) + ' %';
}

/**
 * Rows a table shows at a time. The longest tables (a centre's cases in the safety view, a day of telemetry) run to
 * thousands of rows: laying those out took most of a second with 10,000 insertions, so they come in pages.
 */
export const PAGE_ROWS = 500;

function rowOf(columns, row) {
  return el('tr', {
    class: [row.smallCell ? 'mcs-small-cell' : '', row.rowClass || ''].join(' ').trim() || null,
    'data-key': row.key,
  }, columns.map((c, i) => {
    const text = c.format ? c.format(row[c.key], row) : row[c.key];
    return i === 0 ? el('th', { scope: 'row' }, text) : el('td', { 'data-col': c.key }, text);
  }));
}

/** Buttons to the first, previous, next and last page of a long table, and which rows are shown. */
function pager(caption, count, show) {
  const last = Math.floor((count - 1) / PAGE_ROWS);
  const status = el('span', { role: 'status' });
  const buttons = ['first', 'previous', 'next', 'last']
    .map((label) => el('button', { type: 'button', 'data-page': label }, label));
  let page = 0;
  const go = (p) => {
    page = Math.max(0, Math.min(last, p));
    show(page);
    status.textContent = 'rows ' + (page * PAGE_ROWS + 1) + '–' + Math.min(count, (page + 1) * PAGE_ROWS)
      + ' of ' + count;
    buttons.forEach((b, i) => { b.disabled = i < 2 ? page === 0 : page === last; });
  };
  buttons.forEach((b, i) => b.addEventListener('click', () => go([0, page - 1, page + 1, last][i])));
  go(0);
  return el('nav', { class: 'pager', 'aria-label': 'Pages of ' + caption }, buttons.slice(0, 2), status,
    buttons.slice(2));
}

/**
 * A table of numbers: columns [{label, key, format}], rows as objects; a row with smallCell is flagged
 * (class mcs-small-cell, the server's flag). Copyable as it is: plain text cells, a caption, a header row. More than
 * PAGE_ROWS rows come a page at a time, with buttons to move between pages.
 */
export function table(caption, columns, rows, options = {}) {
  const head = el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c.label))));
  const body = el('tbody');
  const node = el('table', { 'data-table': options.id || null }, el('caption', {}, caption), head, body);
  const show = (page) => {
    body.replaceChildren(...rows.slice(page * PAGE_ROWS, (page + 1) * PAGE_ROWS).map((row) => rowOf(columns, row)));
    const scroller = node.parentElement;
    if (scroller) {
      scroller.scrollTop = 0;
    }
  };
  let pages = null;
  if (rows.length > PAGE_ROWS) {
    pages = pager(caption, rows.length, show);
  } else {
    show(0);
  }
  const shown = options.scroll ? el('div', { class: 'table-scroll', tabindex: '0' }, node) : node;
  return pages ? el('div', { class: 'paged' }, shown, pages) : shown;
}

/** A uPlot chart in a container, sized to the page; returns the chart. */
export function chart(container, options, data) {
  const width = Math.max(360, Math.min(1000, (container.clientWidth || 900) - 10));
  const plot = el('div', { class: 'plot', role: 'img', 'aria-label': options.title || 'chart' });
  container.append(plot);
  return new uPlot({ width, height: 320, ...options }, data, plot);
}

/** Points only, no line (censoring marks, centres in a funnel). */
export function pointsOnly(stroke, size = 7) {
  return { stroke, fill: stroke, width: 0, paths: () => null, points: { show: true, size, stroke, fill: stroke } };
}

export function unavailable(container, message) {
  container.append(el('p', { class: 'unavailable' }, message));
}

/** A legend of coloured squares in palette order (the plots' own legends would list every band and mark). */
export function swatches(labels, offset = 0) {
  return el('ul', { class: 'legend' }, labels.map((label, i) => {
    const square = el('span', { 'aria-hidden': 'true' }, '■ ');
    square.style.color = colour(i + offset);
    return el('li', {}, square, label);
  }));
}
