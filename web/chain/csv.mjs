import { ChainError } from './errors.mjs';
import { safeText } from './text.mjs';

// Imports a price history in the common export layout: a date column, then one column
// per asset, one row per day. Strict: every refused cell names its row and column.
const DATE_HEADERS = new Set(['date', 'day', 'time', 'timestamp', 'datetime']);
const MAX_BYTES = 50 * 1024 * 1024;
const err = (message, field) => new ChainError('csv-invalid', message, { field });

export function splitRecords(text, sep) {
  const rows = [];
  let row = [], cell = '', quoted = false, line = 1, rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; cell += ch; }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === '"') throw err(`A quote in the middle of a cell (line ${line}).`, `line ${line}`);
    else if (ch === sep) { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push({ cells: row, line: rowLine }); row = []; cell = ''; line++; rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw err('A quoted cell is never closed.', `line ${rowLine}`);
  if (cell !== '' || row.length) { row.push(cell); rows.push({ cells: row, line: rowLine }); }
  return rows.filter((r) => !(r.cells.length === 1 && r.cells[0].trim() === ''));
}

function parseDate(s, field) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (!m) throw err(`"${safeText(s, 40)}" is not an ISO date (YYYY-MM-DD).`, field);
  const [, y, mo, d] = m.map(Number);
  const dayMs = Date.UTC(y, mo - 1, d);
  const back = new Date(dayMs);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw err(`"${safeText(s, 40)}" is not a real calendar date.`, field);
  if (m[4] === undefined) return back.toISOString().slice(0, 10);
  const full = new Date(s.replace(' ', 'T') + (m[7] ? '' : 'Z'));   // a time without zone is UTC
  if (Number.isNaN(full.getTime())) throw err(`"${safeText(s, 40)}" is not a valid ISO timestamp.`, field);
  return full.toISOString().slice(0, 10);
}

function parsePrice(raw, field) {
  const s = raw.trim();
  if (s === '') return null;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw err(`"${safeText(s, 40)}" is not a number.`, field);
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw err(`A price must be a positive finite number, got "${safeText(s, 40)}".`, field);
  return v;
}

export function parsePriceCsv(text) {
  if (typeof text !== 'string') throw err('The CSV must be text.', 'file');
  if (text.length > MAX_BYTES) throw err('The CSV is larger than 50 MB.', 'file');
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows = splitRecords(body, sep);
  if (rows.length < 2) throw err('The CSV needs a header row and at least one data row.', 'file');
  const header = rows[0].cells.map((h) => h.trim());
  if (!DATE_HEADERS.has(header[0].toLowerCase())) throw err(`The first column must be "date", found "${safeText(header[0], 40)}".`, 'header[0]');
  if (header.length < 2) throw err('The CSV has no asset columns.', 'header');
  const assets = header.slice(1).map((h, i) => {
    const name = safeText(h, 32);
    if (!name) throw err(`Asset column ${i + 2} has no name.`, `header[${i + 1}]`);
    return name;
  });
  const dup = assets.find((a, i) => assets.indexOf(a) !== i);
  if (dup) throw err(`The asset column "${dup}" appears twice.`, 'header');
  const dates = [], prices = [];
  for (let r = 1; r < rows.length; r++) {
    const { cells, line } = rows[r];
    const row = `row ${line}`;
    if (cells.length !== header.length) throw err(`${row} has ${cells.length} cells, the header has ${header.length}.`, row);
    const date = parseDate(cells[0].trim(), `${row}, column ${header[0]}`);
    if (dates.length && date <= dates[dates.length - 1])
      throw err(`${row}: ${date} is not after ${dates[dates.length - 1]} (dates must increase, one row per day).`, `${row}, column ${header[0]}`);
    dates.push(date);
    prices.push(assets.map((a, j) => parsePrice(cells[j + 1], `${row}, column ${a}`)));
  }
  return { dates, assets, prices };
}
