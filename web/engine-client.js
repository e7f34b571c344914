// The page's side of the worker protocol (web/worker.js): one promise per request, progress
// callbacks, and a cancel that terminates the worker and starts a fresh one (a solve cannot be
// interrupted from outside, so cancelling means dropping the thread).
import { workerSource, wasmFile } from 'virtual:ballast-worker';

export function createEngine({ onState } = {}) {
  let worker = null;
  let loading = null;
  let nextId = 1;
  const pending = new Map();

  function start() {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    worker = new Worker(url);
    URL.revokeObjectURL(url);
    worker.onmessage = (event) => {
      const { id, progress, ok, result, error } = event.data;
      const entry = pending.get(id);
      if (!entry) return;
      if (progress) return entry.onProgress?.(progress);
      pending.delete(id);
      if (ok) entry.resolve(result);
      else entry.reject(Object.assign(new Error(error.message), error));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      const message = `the engine worker failed: ${event.message || 'unknown error'}`;
      for (const entry of pending.values()) entry.reject(Object.assign(new Error(message), { code: 'worker-failed' }));
      pending.clear();
    };
    loading = wasmSource().then((source) => send('load', source, {}, source.wasmBytes ? [source.wasmBytes.buffer] : []));
    onState?.('loading');
    loading.then(() => onState?.('ready'), () => onState?.('failed'));
    return loading;
  }

  function send(type, payload, { onProgress } = {}, transfer = []) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ id, type, payload }, transfer);
    });
  }

  async function call(type, payload, options) {
    if (!worker || !loading) start();
    await loading;
    return send(type, payload, options);
  }

  function cancel() {
    if (!worker) return;
    worker.terminate();
    worker = null;
    loading = null;
    for (const entry of pending.values()) entry.reject(Object.assign(new Error('cancelled'), { code: 'cancelled' }));
    pending.clear();
  }

  return { start: () => loading ?? start(), call, cancel, get loaded() { return loading; } };
}

// On http(s) the worker streams the .wasm file itself; a page opened from file:// cannot fetch,
// so the bytes come from a classic script (assets/ballast-wasm.js) loaded only in that case.
async function wasmSource() {
  if (location.protocol !== 'file:') return { wasmUrl: new URL(wasmFile, document.baseURI).href };
  const base64 = await loadInlineWasm();
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return { wasmBytes: bytes };
}

function loadInlineWasm() {
  if (globalThis.BALLAST_WASM_BASE64) return Promise.resolve(globalThis.BALLAST_WASM_BASE64);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = wasmFile.replace(/\.wasm$/, '.wasm.js');
    script.onload = () => resolve(globalThis.BALLAST_WASM_BASE64);
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    document.head.append(script);
  });
}
