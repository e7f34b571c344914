// ballast: the ESM loader and the thin wrapper around the WASM engine.
//
// One request object in, one result object out (docs/api.md). The wrapper does three things:
// loads the module (Node, bundlers, plain browsers), moves matrix inputs into Float64Array
// blobs so big inputs skip JSON (and NaN/Infinity survive for the engine to name), and turns
// the engine's error envelope into a thrown BallastError. Everything else, validation
// included, is the engine's job.

import createBallastModule from '../../dist/wasm/ballast.mjs';
import { BallastError } from './errors.js';

export { BallastError };

// Where the .wasm sits relative to this file, in the source tree and in the npm package.
// Written as `new URL(literal, import.meta.url)` so bundlers (Vite, webpack) copy the asset.
const wasmUrl = new URL('../../dist/wasm/ballast.wasm', import.meta.url);

// Request keys that hold a matrix and may travel as a blob.
const MATRIX_KEYS = ['prices', 'returns', 'covariance'];
// Per-asset vectors that travel out of band as well (packVector).
const VECTOR_KEYS = ['expectedReturns'];

let instance = null;

/**
 * Load the engine once; later calls return the same promise (options of later calls are
 * ignored). A failed load is forgotten, so init() may be retried.
 * @param {{ wasmBinary?: ArrayBuffer | Uint8Array, locateFile?: (path: string, prefix: string) => string }} [options]
 */
export function init(options = {}) {
  if (instance === null) {
    instance = load(options).catch((error) => {
      instance = null;
      throw error;
    });
  }
  return instance;
}

async function load({ wasmBinary, locateFile } = {}) {
  const moduleArgs = {};
  if (wasmBinary) {
    moduleArgs.wasmBinary = wasmBinary;
  } else if (locateFile) {
    moduleArgs.locateFile = locateFile;
  } else if (isNode()) {
    // Emscripten 3.1.6's web loader would fetch() a file path, which Node cannot do: read the
    // bytes here instead (notes/toolchain.md, quirk 3). The specifier is a variable so that
    // bundlers targeting browsers leave this branch alone.
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule);
    moduleArgs.wasmBinary = await readFile(wasmUrl);
  } else {
    moduleArgs.locateFile = (path, prefix) => (path.endsWith('.wasm') ? wasmUrl.href : prefix + path);
  }
  const module = await createBallastModule(moduleArgs);
  return wrap(module);
}

function isNode() {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
}

function wrap(module) {
  const run = (method) => (request) => call(module, method, request);
  return Object.freeze({
    version: module.version(),
    optimize: run('optimize'),
    frontier: run('frontier'),
    estimate: run('estimate'),
    report: run('report'),
    greeks: run('greeks'),
    impliedVol: (request) => impliedVol(module, request),
    greeksColumns: (columns, out) => callColumns(module, 'greeksColumns', columns, out),
    impliedVolColumns: (columns, out) => callColumns(module, 'impliedVolColumns', columns, out),
    // DeFi positions: one exposure model for any mix of positions, and strategy builders.
    analyze: run('analyze'),
    strategy: run('strategy'),
    // The names of impliedVolColumns() status codes, by code, from the engine's own table.
    impliedVolStatuses: Object.freeze(module.impliedVolStatusNames()),
    // Smiles, surfaces, books (with scenario grids) and hedges: plain JSON requests.
    smile: run('smile'),
    surface: run('surface'),
    book: run('book'),
    hedge: run('hedge'),
    heapBytesInUse: () => module.heapBytesInUse(),
  });
}

function call(module, method, request) {
  const { json, blobs } = encodeRequest(request);
  const envelope = guarded(method, () => module.call(method, json, blobs));
  const { ok, result, error } = JSON.parse(envelope);
  if (ok) return result;
  throw new BallastError(error.code, error.message, error.field);
}

// Runs one engine call. An abort (an engine bug, or out of memory) leaves a module that cannot
// be trusted any more: the next init() then loads a fresh one. (A new Error, so that Node does
// not print the minified loader's one long source line with the stack.)
function guarded(method, run) {
  try {
    return run();
  } catch (error) {
    instance = null;
    throw new Error(`ballast: the engine failed in ${method} (${error?.message ?? error}); call init() again for a fresh engine`, {
      cause: error,
    });
  }
}

// The columnar fast paths: the typed arrays go to the engine as they are (no JSON), and the
// engine writes its results into new typed arrays, or into the caller's `out` arrays (see
// bindings/wasm/marshal.hpp).
function callColumns(module, method, columns, out) {
  const { ok, result, error } = guarded(method, () => module[method](columns, out));
  if (ok) return result;
  throw new BallastError(error.code, error.message, error.field);
}

// impliedVol({ options: [...] }) -> { results: [...] }; impliedVol(oneOption) -> one result,
// with error fields named from the option itself ('strike', not 'options[0].strike').
function impliedVol(module, request) {
  const single = request !== null && typeof request === 'object' && !Array.isArray(request) &&
    !ArrayBuffer.isView(request) && !('options' in request);
  if (!single) return call(module, 'impliedVol', request);
  try {
    return call(module, 'impliedVol', { options: [request] }).results[0];
  } catch (error) {
    if (error instanceof BallastError && /^options\[0\](\.|$)/.test(error.field)) {
      const field = error.field.replace(/^options\[0\]\.?/, '');
      throw new BallastError(error.code, error.message.replaceAll(error.field, field || 'the request'), field);
    }
    throw error;
  }
}

// ---- request encoding ---------------------------------------------------------------------

/**
 * Split a request into JSON text and Float64Array blobs. A matrix that is a rectangular
 * array of number rows, or `{ data, rows, cols }` with data a Float64Array or an array of
 * numbers, becomes `{ rows, cols, data: { $blob: k } }` with its numbers in blobs[k];
 * anything else stays in the JSON as written, so the engine can name the exact element
 * that is wrong.
 */
function encodeRequest(request) {
  if (request === null || typeof request !== 'object' || Array.isArray(request) || ArrayBuffer.isView(request)) {
    throw new BallastError('invalid-type', `the request must be an object, not ${describe(request)}`, '');
  }
  const blobs = [];
  const packed = { ...request };
  for (const key of MATRIX_KEYS) {
    if (key in packed) packed[key] = packMatrix(packed[key], blobs) ?? packed[key];
  }
  for (const key of VECTOR_KEYS) {
    if (key in packed) packed[key] = packVector(packed[key], blobs) ?? packed[key];
  }
  const json = stringifyPlain(packed) ?? JSON.stringify(toJsonValue(packed, '', []));
  return { json, blobs };
}

function packMatrix(value, blobs) {
  if (value === null || typeof value !== 'object') return null;

  if (!Array.isArray(value)) {
    // { data, rows, cols }: a Float64Array goes as it is (the module copies it once, straight
    // into its heap); a flat array of numbers is copied into one.
    const data = asFloat64Array(value.data) ?? numbersToFloat64Array(value.data);
    if (data === null) return null;
    blobs.push(data);
    return { ...value, data: { $blob: blobs.length - 1 } };
  }

  const rows = value.length;
  const first = value[0];
  const cols = Array.isArray(first) || ArrayBuffer.isView(first) ? first.length : 0;
  if (rows === 0 || cols === 0) return null;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = value[i];
    if (!(Array.isArray(row) || row instanceof Float64Array) || row.length !== cols) return null;
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number') return null;
      data[i * cols + j] = x;
    }
  }
  blobs.push(data);
  return { rows, cols, data: { $blob: blobs.length - 1 } };
}

/**
 * A per-asset vector of finite numbers (an array or a Float64Array) becomes `{ $blob: k }`:
 * its numbers cross as binary, not as decimal text the engine would have to parse (in WASM,
 * parsing a number from text costs about 1.6 us). Anything else (empty, a non-number, NaN or
 * Infinity) stays as written, so the usual checks name the element at fault.
 */
function packVector(value, blobs) {
  const typed = asFloat64Array(value);
  if (typed === null && !Array.isArray(value)) return null;
  const n = value.length;
  if (n === 0) return null;
  for (let i = 0; i < n; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return null;
  }
  blobs.push(typed ?? Float64Array.from(value));
  return { $blob: blobs.length - 1 };
}

function numbersToFloat64Array(value) {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) return null;
  return Float64Array.from(value);
}

function asFloat64Array(value) {
  if (value instanceof Float64Array) return value;
  // A Float64Array from another realm (iframe, vm context): copy it into this one.
  if (Object.prototype.toString.call(value) === '[object Float64Array]') return new Float64Array(value);
  return null;
}

// Thrown by stringifyPlain's replacer to leave the fast path.
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * The fast path: the request as JSON in one native JSON.stringify, or null when it holds
 * something JSON cannot say as written (NaN, Infinity, a BigInt, a typed array, a cycle).
 * Those go through toJsonValue, which names the field at fault; building a path string for
 * every element of every request would cost more than the engine call on small problems.
 */
function stringifyPlain(request) {
  try {
    return JSON.stringify(request, (key, value) => {
      const bad = typeof value === 'number' ? !Number.isFinite(value) : typeof value === 'bigint' || ArrayBuffer.isView(value);
      if (bad) throw NOT_PLAIN;
      return value;
    });
  } catch (error) {
    if (error === NOT_PLAIN || error instanceof TypeError) return null;  // TypeError: a cycle
    throw error;
  }
}

/**
 * A JSON-safe copy of the non-blob part of a request. JSON has no NaN or Infinity
 * (JSON.stringify would silently write null), so a non-finite number here is reported now,
 * with the same field path the engine would use. Typed arrays become plain arrays.
 */
function toJsonValue(value, path, ancestors) {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) {
        throw new BallastError('non-finite', `${fieldName(path)} is ${value}; a finite number is required`, path);
      }
      return value;
    case 'bigint':
      throw new BallastError('invalid-type', `${fieldName(path)} is a BigInt; use a number`, path);
    case 'object':
      break;
    default:
      return value;  // strings and booleans; undefined and functions are dropped as JSON.stringify does
  }
  if (value === null) return null;
  if (ancestors.includes(value)) {
    throw new BallastError('invalid-value', `${fieldName(path)} refers to itself`, path);
  }
  ancestors.push(value);
  let out;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    out = Array.from(value, (item, i) => toJsonValue(item, `${path}[${i}]`, ancestors) ?? null);
  } else if (typeof value.toJSON === 'function') {
    out = toJsonValue(value.toJSON(), path, ancestors);
  } else {
    out = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = toJsonValue(item, path === '' ? key : `${path}.${key}`, ancestors);
      if (converted !== undefined && typeof converted !== 'function') out[key] = converted;
    }
  }
  ancestors.pop();
  return out;
}

function fieldName(path) {
  return path === '' ? 'the request' : path;
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return 'a typed array';
  return `a ${typeof value}`;
}
