// The native build and the comparison that the WASM-vs-native tests share. The native binary
// is build/native/bindings/native/ballast-native (npm run build), or $BALLAST_NATIVE.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const nativeCli = process.env.BALLAST_NATIVE ?? `${root}build/native/bindings/native/ballast-native`;
export const TOLERANCE = 1e-12;
// Keys whose values legitimately differ between two runs.
const TIMING_KEYS = new Set(['solveMs']);
// KKT residuals at a solution measure rounding error (1e-16 to 1e-10 here), so the two builds
// agree on their size, not their digits: both must be below RESIDUAL_CEILING, or agree. A
// hedge's `residual` (book + hedge Greek, USD) is the same kind of number when neutralized:
// rounding of figures near 1e5.
const RESIDUAL_KEYS = new Set(['primalResidual', 'dualResidual', 'residual']);
const RESIDUAL_CEILING = 1e-8;

// Every number agrees to TOLERANCE, absolute below 1 and relative above.
export function assertClose(wasm, native, path = 'result') {
  if (typeof wasm === 'number' && typeof native === 'number') {
    const scale = Math.max(1, Math.abs(wasm), Math.abs(native));
    assert.ok(Math.abs(wasm - native) <= TOLERANCE * scale, `${path}: wasm ${wasm} vs native ${native}`);
    return;
  }
  if (wasm === null || native === null || typeof wasm !== 'object' || typeof native !== 'object') {
    assert.deepEqual(wasm, native, `${path} differs`);
    return;
  }
  assert.equal(Array.isArray(wasm), Array.isArray(native), `${path}: array vs object`);
  assert.deepEqual(Object.keys(wasm).sort(), Object.keys(native).sort(), `${path}: different keys`);
  for (const key of Object.keys(wasm)) {
    if (TIMING_KEYS.has(key)) continue;
    if (RESIDUAL_KEYS.has(key) && Math.max(Math.abs(wasm[key]), Math.abs(native[key])) <= RESIDUAL_CEILING) continue;
    assertClose(wasm[key], native[key], Array.isArray(wasm) ? `${path}[${key}]` : `${path}.${key}`);
  }
}

// JSON for the native CLI: typed-array views become nested rows.
function toNativeJson(request) {
  return JSON.stringify(request, (key, value) =>
    value && value.data instanceof Float64Array
      ? Array.from({ length: value.rows }, (_, i) => Array.from(value.data.subarray(i * value.cols, (i + 1) * value.cols)))
      : value,
  );
}

export function runNative(method, request) {
  const run = spawnSync(nativeCli, [method, '-'], { input: toNativeJson(request), encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.error, undefined, `ballast-native did not run: ${run.error?.message}`);
  const envelope = JSON.parse(run.stdout);
  assert.equal(envelope.ok, true, `native refused the request: ${run.stdout}`);
  assert.equal(run.status, 0);
  return envelope.result;
}
