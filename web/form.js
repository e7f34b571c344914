// The settings form: reading it into settings, writing defaults, the group-cap inputs, and
// putting each error next to the field at fault. An engine error names a request path
// (BallastError.field, e.g. 'constraints.groups[1].max'); fieldFor() maps it to an input.
import { $, el } from './dom.js';
import { CAP_KINDS, DEFAULT_SETTINGS, capInputId, groupsOf } from './portfolio.js';

// Form inputs: id, settings key, and how to read them. Percent inputs hold fractions x 100.
const INPUTS = [
  { id: 'objective', key: 'objective', type: 'text', label: 'Objective' },
  { id: 'risk-free', key: 'riskFreeRate', type: 'percent', label: 'Risk-free rate' },
  { id: 'risk-aversion', key: 'riskAversion', type: 'number', label: 'Risk aversion' },
  { id: 'target-return', key: 'targetReturn', type: 'percent', label: 'Target return' },
  { id: 'target-volatility', key: 'targetVolatility', type: 'percent', label: 'Target volatility' },
  { id: 'min-weight', key: 'minWeight', type: 'percent', label: 'Minimum weight' },
  { id: 'max-weight', key: 'maxWeight', type: 'percent', label: 'Maximum weight' },
  { id: 'leverage', key: 'grossLeverage', type: 'number', optional: true, label: 'Gross leverage cap' },
  { id: 'window', key: 'windowDays', type: 'number', label: 'History window' },
  { id: 'covariance', key: 'covariance', type: 'text', label: 'Covariance estimator' },
  { id: 'expected-returns', key: 'expectedReturns', type: 'text', label: 'Expected returns' },
  { id: 'half-life', key: 'halfLife', type: 'number', label: 'EWMA half-life' },
  { id: 'missing', key: 'missing', type: 'text', label: 'Missing prices' },
  { id: 'hf-floor', key: 'healthFactorFloor', type: 'number', optional: true, label: 'Health-factor floor' },
  { id: 'defi-shock', key: 'defiShock', type: 'percent', optional: true, label: 'Shock' },
  { id: 'max-leverage', key: 'maxLeverage', type: 'number', optional: true, label: 'Maximum leverage' },
];

// Request paths -> input ids (the longest matching prefix wins).
const PATHS = [
  ['objective.type', 'objective'], ['objective.riskFreeRate', 'risk-free'], ['objective.riskAversion', 'risk-aversion'],
  ['objective.targetReturn', 'target-return'], ['objective.targetVolatility', 'target-volatility'],
  ['constraints.grossLeverage', 'leverage'], ['estimator.halfLife', 'half-life'], ['estimator.covariance', 'covariance'],
  ['estimator.expectedReturns', 'expected-returns'], ['estimator.missing', 'missing'],
  ['constraints.defi.healthFactorFloor.shock', 'defi-shock'], ['constraints.defi.healthFactorFloor', 'hf-floor'],
  ['constraints.defi.maxLeverage', 'max-leverage'],
];

let capKeys = [];   // form keys of the cap inputs currently shown
let capLabels = {}; // key -> label

function fromInput(spec, raw) {
  if (spec.type === 'text') return { value: raw };
  if (raw.trim() === '') return spec.optional ? { value: null } : { error: 'Enter a number.' };
  const x = Number(raw);
  if (!Number.isFinite(x)) return { error: 'Enter a number.' };
  return { value: spec.type === 'percent' ? x / 100 : x };
}

function toInput(spec, value) {
  if (value === null || value === undefined) return '';
  if (spec.type === 'percent') return String(Math.round(value * 100 * 1e6) / 1e6);
  return String(value);
}

/** Reads the form: { settings } or { errors: [{ id, message }] } (plain input mistakes). */
export function readSettings() {
  const settings = { ...DEFAULT_SETTINGS, caps: {} };
  const errors = [];
  for (const spec of INPUTS) {
    const { value, error } = fromInput(spec, $(spec.id).value);
    if (error) errors.push({ id: spec.id, message: error });
    else settings[spec.key] = value;
  }
  for (const key of capKeys) {
    const raw = $(capInputId(key)).value;
    if (raw.trim() === '') continue;
    const x = Number(raw);
    if (!Number.isFinite(x)) errors.push({ id: capInputId(key), message: 'Enter a number, or leave it blank for no cap.' });
    else settings.caps[key] = x / 100;
  }
  return errors.length ? { errors } : { settings };
}

export function writeSettings(settings) {
  for (const spec of INPUTS) $(spec.id).value = toInput(spec, settings[spec.key]);
  showObjectiveFields();
}

/** Shows the DeFi limits only for a portfolio they apply to (an Aave debt against collateral). */
export function showDefiLimits(show) {
  $('defi-limits').hidden = !show;
}

/** Shows only the inputs the chosen objective uses. */
export function showObjectiveFields() {
  const objective = $('objective').value;
  for (const field of document.querySelectorAll('#settings-form .field[data-for]')) {
    field.hidden = !field.dataset.for.split(' ').includes(objective);
  }
}

/** One cap input per chain, protocol and category the portfolio has (only kinds with a value). */
export function renderCaps(lines, defaults = {}) {
  const box = $('caps-fields');
  box.replaceChildren();
  capKeys = [];
  capLabels = {};
  for (const kind of CAP_KINDS) {
    const groups = groupsOf(lines, kind);
    if (!groups.length) continue;
    box.append(el('h4', {}, kind.title));
    for (const group of groups) {
      const id = capInputId(group.key);
      capKeys.push(group.key);
      capLabels[group.key] = `${kind.kind[0].toUpperCase()}${kind.kind.slice(1)} cap for ${group.name}`;
      const value = defaults[group.key];
      box.append(el('div', { class: 'field' },
        el('label', { for: id }, `${group.name} (${group.members.length} holding${group.members.length === 1 ? '' : 's'})`),
        el('input', { id, type: 'number', step: '1', min: '0', inputmode: 'decimal', 'aria-describedby': `${id}-error`,
          value: value === undefined ? '' : String(Math.round(value * 1e8) / 1e6), 'data-cap': group.key }),
        el('p', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' })));
    }
  }
  $('caps').hidden = capKeys.length === 0;
}

/**
 * The input id for a request path, given groupFields (form key of each constraints.groups[k])
 * and linearFields (input id of each constraints.linear[k], the rows constraints.defi adds).
 */
export function fieldFor(path, groupFields = [], linearFields = []) {
  if (!path) return null;
  const linear = /^constraints\.linear\[(\d+)\]/.exec(path);
  if (linear) return linearFields[Number(linear[1])] ?? null;
  const cap = /^constraints\.defi\.(protocol|chain)Caps\.(.+)$/.exec(path);
  if (cap) return capInputId(`${cap[1]}:${cap[2]}`);
  const group = /^constraints\.groups\[(\d+)\]/.exec(path);
  if (group) {
    const key = groupFields[Number(group[1])];
    return key ? capInputId(key) : null;
  }
  const bound = /^constraints\.bounds(?:\[\d+\])?\[(0|1)\]$/.exec(path);
  if (bound) return bound[1] === '0' ? 'min-weight' : 'max-weight';
  if (path.startsWith('constraints.bounds')) return 'max-weight';
  const hit = PATHS.filter(([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))
    .sort((a, b) => b[0].length - a[0].length)[0];
  return hit ? hit[1] : null;
}

function labelOf(id) {
  const spec = INPUTS.find((s) => s.id === id);
  if (spec) return spec.label;
  const key = capKeys.find((k) => capInputId(k) === id);
  return key ? capLabels[key] : 'This value';
}

/** Plain words: the engine's message with its request path replaced by the field's label. */
export function plainMessage(message, path, id) {
  let text = String(message);
  const label = id ? labelOf(id) : null;
  if (path && label && text.includes(path)) text = text.split(path).join(`“${label}”`);
  text = text.replace(/constraints\.groups\[\d+\]\.(max|min)/g, 'a group cap').replace(/constraints\.linear\[\d+\]\.(max|min)/g, 'a DeFi limit');
  text = text.charAt(0).toUpperCase() + text.slice(1);
  // Say which field, when the engine's words do not (e.g. "Lower bound 0.3 is above upper bound 0.2").
  return label && !text.includes(label) ? `${label}: ${text}` : text;
}

export function clearFieldErrors() {
  for (const node of document.querySelectorAll('#settings-form .error')) node.textContent = '';
  for (const node of document.querySelectorAll('#settings-form [aria-invalid]')) node.removeAttribute('aria-invalid');
}

/**
 * Shows errors: [{ id (input id or null), message }]. Errors without an input go to the form's
 * own error line. Focus moves to the first field at fault, so keyboard users land on it.
 */
export function showFieldErrors(errors) {
  let first = null;
  const general = [];
  for (const { id, message } of errors) {
    const input = id ? document.getElementById(id) : null;
    if (!input) {
      general.push(message);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    const box = document.getElementById(`${id}-error`);
    box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
    input.closest('.field')?.removeAttribute('hidden');
    first ??= input;
  }
  $('form-error').textContent = general.join(' ');
  (first ?? null)?.focus();
}
