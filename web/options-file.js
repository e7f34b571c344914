// An options book for the Greeks panel: a JSON file in the engine's `book` request schema
// (docs/api.md, "book(request)"), or a CSV of positions (columns in docs/web.md, "Options
// book file"). Pure parsing (tested in Node); the engine validates every value and names the
// field, which fieldOfPosition() maps back to the CSV's row and column.
import { splitRecords } from './chain/csv.mjs';
import { safeText } from './chain/text.mjs';

export class OptionsFileError extends Error {
  constructor(message, field) {
    super(field ? `${field}: ${message}` : message);
    this.field = field ?? '';
  }
}

/** The scenario grid the panel shows when the file brings none: spot ±30 %, vol ±20 points. */
export const DEFAULT_SCENARIOS = Object.freeze({
  spotShocks: [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3],
  volShocks: [-0.2, -0.1, 0, 0.1, 0.2],
  volShockMode: 'additive',
});

// CSV columns: the book schema's own keys, plus `label` (a name for the row) and `spot`
// (the underlying's spot, USD). Numbers are plain decimals; fractions are fractions.
export const CSV_COLUMNS = Object.freeze(['label', 'underlying', 'spot', 'instrument', 'quantity', 'kind', 'model', 'strike', 'expiryYears',
  'vol', 'forward', 'entryPrice', 'rate', 'dividendYield', 'settlement', 'fundingRatePerYear']);
const NUMBER_COLUMNS = new Set(['spot', 'quantity', 'strike', 'expiryYears', 'vol', 'forward', 'entryPrice', 'rate', 'dividendYield', 'fundingRatePerYear']);
const REQUIRED_COLUMNS = ['underlying', 'spot', 'instrument', 'quantity'];
const MAX_ROWS = 5000;

const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * File text -> { request: { underlyings, positions }, scenarios, labels, rows, format }.
 * `rows[i]` is the CSV line of position i (null for JSON); `labels[i]` its name (untrusted text).
 * Throws OptionsFileError naming the field (JSON: the request path; CSV: "row 3, strike").
 */
export function parseOptionsFile(text, name = 'file') {
  const trimmed = String(text).replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new OptionsFileError('is empty', name);
  return trimmed.startsWith('{') || trimmed.startsWith('[') || /\.json$/i.test(name) ? parseJson(trimmed, name) : parseCsv(trimmed);
}

function parseJson(text, name) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new OptionsFileError(`is not JSON (${error.message})`, name);
  }
  if (!isObject(doc)) throw new OptionsFileError('must be an object { underlyings, positions, scenarios? } (the book request)', name);
  // The engine checks every key and value (and names the field); here only what the page needs
  // to describe the rows.
  if (!Array.isArray(doc.positions)) throw new OptionsFileError('must be an array of positions', 'positions');
  if (doc.positions.length > MAX_ROWS) throw new OptionsFileError(`has more than ${MAX_ROWS} positions`, 'positions');
  const { scenarios, ...request } = doc;
  return { request, scenarios: scenarios ?? DEFAULT_SCENARIOS, labels: doc.positions.map(() => ''), rows: doc.positions.map(() => null), format: 'json' };
}

function parseCsv(text) {
  const sep = text.split(/\r?\n/, 1)[0].includes(';') && !text.split(/\r?\n/, 1)[0].includes(',') ? ';' : ',';
  let records;
  try {
    records = splitRecords(text, sep);
  } catch (error) {
    throw new OptionsFileError(error.message, error.field);
  }
  const header = records[0].cells.map((c) => c.trim());
  header.forEach((h, j) => {
    if (!CSV_COLUMNS.includes(h)) throw new OptionsFileError(`unknown column "${safeText(h, 40)}"; expected ${CSV_COLUMNS.join(', ')}`, `header, column ${j + 1}`);
    if (header.indexOf(h) !== j) throw new OptionsFileError(`column "${h}" appears twice`, `header, column ${j + 1}`);
  });
  for (const c of REQUIRED_COLUMNS) if (!header.includes(c)) throw new OptionsFileError(`a column "${c}" is required`, 'header');
  const body = records.slice(1);
  if (!body.length) throw new OptionsFileError('has no position rows', 'file');
  if (body.length > MAX_ROWS) throw new OptionsFileError(`has more than ${MAX_ROWS} rows`, 'file');

  const spots = new Map();   // underlying -> { spot, line }
  const positions = [];
  const labels = [];
  const rows = [];
  for (const { cells, line } of body) {
    if (cells.length > header.length) throw new OptionsFileError(`has ${cells.length} cells for ${header.length} columns`, `row ${line}`);
    const position = {};
    let spot = null;
    let label = '';
    header.forEach((h, j) => {
      const raw = (cells[j] ?? '').trim();
      if (raw === '') return;
      if (h === 'label') { label = raw.slice(0, 200); return; }
      if (NUMBER_COLUMNS.has(h)) {
        const x = Number(raw);
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) || !Number.isFinite(x)) throw new OptionsFileError(`"${safeText(raw, 40)}" is not a number`, `row ${line}, ${h}`);
        if (h === 'spot') spot = x;
        else position[h] = x;
        return;
      }
      position[h] = raw;
    });
    if (!position.underlying) throw new OptionsFileError('is required', `row ${line}, underlying`);
    if (spot === null) throw new OptionsFileError('is required (the underlying\'s spot, USD)', `row ${line}, spot`);
    const seen = spots.get(position.underlying);
    if (seen && seen.spot !== spot) throw new OptionsFileError(`${spot} differs from ${seen.spot} on row ${seen.line} for the same underlying`, `row ${line}, spot`);
    if (!seen) spots.set(position.underlying, { spot, line });
    positions.push(position);
    labels.push(label);
    rows.push(line);
  }
  const underlyings = [...spots].map(([underlying, { spot }]) => ({ name: underlying, spot }));
  return { request: { underlyings, positions }, scenarios: DEFAULT_SCENARIOS, labels, rows, format: 'csv' };
}

/**
 * An engine error's field, in the file's own terms: `positions[2].strike` -> "row 4, strike"
 * for a CSV; `underlyings[0].spot` -> the first row of that underlying.
 */
export function fileField(parsed, field) {
  if (!field || parsed.format !== 'csv') return field || '';
  const p = /^positions\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (p) return `row ${parsed.rows[Number(p[1])]}${p[2] ? `, ${p[2]}` : ''}`;
  const u = /^underlyings\[(\d+)\]\.?(.*)$/.exec(field);
  if (u) {
    const name = parsed.request.underlyings[Number(u[1])]?.name;
    const i = parsed.request.positions.findIndex((x) => x.underlying === name);
    return i >= 0 ? `row ${parsed.rows[i]}, ${u[2] === 'name' ? 'underlying' : u[2] || 'spot'}` : field;
  }
  return field;
}

/** A row's description for the table: "call 65,000, 0.25 y, black-scholes" (plain text). */
export function describePosition(p) {
  const n = (x) => (typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: 4 }) : String(x ?? ''));
  if (p.instrument === 'option') return `${p.kind} ${n(p.strike)}, ${n(p.expiryYears)} y, ${p.model}${p.model === 'black-scholes' ? '' : ` (forward ${n(p.forward)})`}, vol ${n(p.vol)}`;
  if (p.instrument === 'future') {
    return `${p.settlement === 'inverse' ? 'inverse future (USD face)' : 'future'} at ${n(p.forward)}${p.expiryYears !== undefined ? `, ${n(p.expiryYears)} y` : ''}`;
  }
  if (p.instrument === 'perp') {
    return `${p.settlement === 'inverse' ? 'inverse perp (USD face)' : 'perp'}${p.entryPrice !== undefined ? ` from ${n(p.entryPrice)}` : ''}` +
      `${p.fundingRatePerYear ? `, funding ${n(p.fundingRatePerYear * 100)}% a year` : ''}`;
  }
  return String(p.instrument ?? '');
}

/**
 * The simulated demo book on the demo's spots: BTC calls and puts (Black-Scholes), an ETH
 * inverse (coin-settled, Deribit-style) call and an ETH future, and a BTC perp short.
 * Round sizes and strikes relative to spot, so nobody mistakes it for a real book.
 */
export function demoOptionsBook({ BTC, ETH }) {
  const round = (x, step) => Math.round(x / step) * step;
  return {
    request: {
      underlyings: [{ name: 'BTC', spot: BTC }, { name: 'ETH', spot: ETH }],
      positions: [
        { underlying: 'BTC', instrument: 'option', kind: 'call', model: 'black-scholes', strike: round(1.1 * BTC, 1000), expiryYears: 0.25, vol: 0.6, quantity: 3 },
        { underlying: 'BTC', instrument: 'option', kind: 'put', model: 'black-scholes', strike: round(0.9 * BTC, 1000), expiryYears: 0.0833, vol: 0.65, quantity: -4 },
        { underlying: 'BTC', instrument: 'perp', quantity: -0.5 },
        { underlying: 'ETH', instrument: 'option', kind: 'call', model: 'inverse', forward: 1.01 * ETH, strike: round(1.2 * ETH, 50), expiryYears: 0.5, vol: 0.7, quantity: 20 },
        { underlying: 'ETH', instrument: 'future', forward: 1.02 * ETH, expiryYears: 0.25, quantity: -5 },
      ],
    },
    scenarios: DEFAULT_SCENARIOS,
    labels: ['BTC 3-month call (simulated)', 'BTC 1-month put, sold (simulated)', 'BTC perp short (simulated)', 'ETH 6-month inverse call (simulated)', 'ETH 3-month future, sold (simulated)'],
    rows: [null, null, null, null, null],
    format: 'demo',
  };
}
