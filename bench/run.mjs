#!/usr/bin/env node
// npm run bench: times Ballast (WASM through the npm package, and native) against the
// libraries a user would pick instead, on identical inputs in one run, checks every
// library's weights against a KKT-certified reference, prints the tables and writes
// docs/performance.md. Nothing in docs/performance.md is written by hand.
//
//   node bench/run.mjs [--quick] [--only=name,name] [--no-write]
//     --quick     smaller budgets (a smoke run; its numbers are not written to docs)
//     --only      run only adapters whose name contains one of the given strings
//     --no-write  print only; leave docs/performance.md alone (with BALLAST_BENCH_REPORT=<file>,
//                 the report goes to that file instead)
//   BALLAST_NATIVE_BENCH=path overrides where the native timing program is looked for.
//
// Method (also stated in the generated document):
//   - Problems (bench/problems.mjs): long-only, fully invested minimum variance at
//     N = 20, 100, 500 and a 50-point efficient frontier at N = 100, each from the sample
//     covariance of T = 1000 simulated daily returns of a seeded factor model.
//   - Each library is timed as a user calls it: building its input format from the shared
//     covariance (nested arrays; Float64Array for one Ballast variant), the solve and
//     reading the weights out. Loading/initializing a module happens once and is timed
//     separately.
//   - In-process libraries: untimed warm-up calls for WARMUP_MS (the first call's result is
//     the one checked for accuracy), then timed calls until at least MIN_REPS and the time budget are reached
//     (capped at MAX_REPS); the median is reported. Calls slower than SLOW_MS: the first
//     call is timed too and the median of SLOW_RUNS calls is reported.
//   - Native: bench/native_bench.cpp runs the same loop around ballast::api::dispatch().
//   - Accuracy: max |w - w_ref| against the KKT-certified reference (bench/problems.mjs).
//   - Options (bench/options.mjs): prices + Greeks of a seeded 1,000,000-option Black-Scholes
//     book and implied vols of a 100,000-option one, timed per call and reported per option;
//     slow npm packages run on a subsample and are scaled per option. Prices are checked
//     against an independent reference (Cody's erfc); implied vols against the true vol the
//     premium was computed from, where vega pins the vol (bench/options.mjs says exactly).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BOOK_SPEC, IV_CONDITION_LIMIT, gridSection, gridTargets, ivError, maxPriceError, optionProblems, runAccuracyGrid } from './options.mjs';
import { benchProblems, dot, halfVariance, kktReference } from './problems.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const WRITE = !args.includes('--no-write') && !QUICK;
const ONLY = (args.find((a) => a.startsWith('--only=')) ?? '').slice(7).split(',').filter(Boolean);

const MIN_REPS = QUICK ? 2 : 5;
const MAX_REPS = QUICK ? 20 : 500;
const BUDGET_MS = QUICK ? 200 : 1500;          // per library and problem
const BALLAST_BUDGET_MS = QUICK ? 200 : 2500;  // Ballast's own numbers get a little longer
const SLOW_MS = 1000;
// Untimed warm-up per library and problem. V8 runs a WASM function in its baseline tier
// (Liftoff) until the optimized tier (TurboFan), compiled on a background thread, replaces it;
// on 2 cores that took 1-2 s of calling, so with 300 ms (or 200 calls, 20 ms at N = 20) the
// first cells were timed in the baseline tier: Ballast WASM at N = 20 took 0.12-0.14 ms then and
// 0.05 ms once tiered up. The call cap only guards against a library with a trivial call.
const WARMUP_MS = QUICK ? 50 : 2000;
const WARMUP_MAX_CALLS = 100_000;
const SLOW_RUNS = QUICK ? 1 : 3;

// The issue's targets.
const TARGETS = {
  peerSpeedup: 10,      // Ballast WASM >= 10x faster than the fastest peer (N = 100, 500, frontier)
  wasmOverNative: 1.6,  // WASM time within 1.6x of native
  weightError: 1e-8,    // weights within 1e-8 of a tight reference
};

const PEER_MODULES = ['quadprog', 'highs-lp', 'highs-model', 'portfolio-allocation', 'cvxopt'];

// Options: the issue's sizes and targets.
const OPTION_SIZES = QUICK ? { n: 100_000, nIv: 10_000 } : { n: 1_000_000, nIv: 100_000 };
const OPTION_TARGETS = {
  wasmOverNative: 1.25,  // WASM time within 1.25x of native
  handWrittenSpeedup: 2, // Ballast WASM >= 2x faster per option than the hand-written JS
  npmSpeedup: 500,       // Ballast WASM >= 500x faster per option than the npm packages
  errorRatio: 1000,      // Ballast's errors >= 1000x smaller than the npm packages' (same options)
};
const OPTION_MODULES = ['options-ballast-wasm', 'options-handwritten', 'options-npm', 'options-quantlib'];

// ---- machine ------------------------------------------------------------------------------

function machineInfo() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch { /* not Linux */ }
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync('nproc').toString().trim()) || nproc;
  } catch { /* no coreutils */ }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* not a git checkout */ }
  return {
    cpu,
    nproc,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    commit,
  };
}

// ---- adapters -----------------------------------------------------------------------------

async function importAdapters(modules) {
  const list = [];
  for (const name of modules) {
    const mod = (await import(`./peers/${name}.mjs`)).default;
    list.push(...(Array.isArray(mod) ? mod : [mod]));
  }
  return list;
}

async function loadAdapters(modules) {
  const list = await importAdapters(modules);
  const selected = ONLY.length ? list.filter((a) => ONLY.some((o) => a.name.toLowerCase().includes(o.toLowerCase()))) : list;
  const loaded = [];
  for (const adapter of selected) {
    const t0 = performance.now();
    try {
      const ctx = await adapter.load();
      const loadMs = performance.now() - t0;
      loaded.push({ adapter, ctx, loadMs, version: ctx.version ?? '' });
      console.log(`[bench] loaded ${adapter.name} ${ctx.version ?? ''} in ${loadMs.toFixed(1)} ms`);
    } catch (error) {
      console.log(`[bench] ${adapter.name}: ${error.message}`);
      loaded.push({ adapter, ctx: null, unavailable: error.message });
    }
  }
  return loaded;
}

// ---- timing -------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Minor page faults of this process so far: one per fresh 4 KB page first touched, which is
// what writing new output arrays costs beyond the arithmetic.
const minorPageFaults = () => process.resourceUsage().minorPageFault;

function timeInProcess(fn, budgetMs) {
  let faults = minorPageFaults();
  let t0 = performance.now();
  const result = fn();
  const firstMs = performance.now() - t0;
  const times = [];
  if (firstMs > SLOW_MS) {
    times.push(firstMs);
    while (times.length < SLOW_RUNS) {
      t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    faults = minorPageFaults() - faults;
  } else {
    // Untimed warm-up so JIT and WASM tier-up (V8 compiles both lazily) are done before timing.
    let warm = firstMs;
    for (let k = 0; k < WARMUP_MAX_CALLS && warm < WARMUP_MS; k++) {
      t0 = performance.now();
      fn();
      warm += performance.now() - t0;
    }
    let spent = 0;
    faults = minorPageFaults();
    while (times.length < MAX_REPS && (times.length < MIN_REPS || spent < budgetMs)) {
      t0 = performance.now();
      fn();
      const dt = performance.now() - t0;
      times.push(dt);
      spent += dt;
    }
    faults = minorPageFaults() - faults;
  }
  return { result, firstMs, medianMs: median(times), minMs: Math.min(...times), reps: times.length,
    pageFaultsPerCall: faults / times.length };
}

function runCell(entry, p) {
  const { adapter, ctx } = entry;
  const isBallast = Boolean(adapter.ballast);
  const budget = isBallast ? BALLAST_BUDGET_MS : BUDGET_MS;
  try {
    if (adapter.external) {
      const out = adapter.runExternal(ctx, p, { minReps: MIN_REPS, maxReps: MAX_REPS, budgetSeconds: budget / 1000 });
      const weights = p.kind === 'frontier' ? out.result : out.result;
      return { weights, medianMs: median(out.times), minMs: Math.min(...out.times), reps: out.times.length, firstMs: out.times[0] };
    }
    const fn = p.kind === 'frontier' ? () => adapter.frontier(ctx, p) : () => adapter.minVariance(ctx, p);
    const t = timeInProcess(fn, budget);
    return { weights: t.result, medianMs: t.medianMs, minMs: t.minMs, reps: t.reps, firstMs: t.firstMs };
  } catch (error) {
    return { error: error.message };
  }
}

// ---- native -------------------------------------------------------------------------------

function findNativeBench() {
  if (process.env.BALLAST_NATIVE_BENCH) return resolve(process.env.BALLAST_NATIVE_BENCH);
  const candidates = [
    'build/native/bench/ballast-native-bench',
    'build/native/ballast-native-bench',
    'build/native/bindings/native/ballast-native-bench',
  ].map((p) => resolve(repoRoot, p));
  return candidates.find((p) => existsSync(p)) ?? null;
}

function nativeRequest(p) {
  const req = {
    assets: p.assets,
    covariance: { rows: p.n, cols: p.n, data: { $blob: 0 } },
    expectedReturns: { $blob: 1 },  // as the WASM wrapper sends a vector of finite numbers
    constraints: { bounds: [0, 1] },
  };
  if (p.kind === 'frontier') req.points = p.points;
  else req.objective = { type: 'min-variance' };
  return req;
}

function runNative(problems) {
  const binary = findNativeBench();
  if (!binary) {
    return { unavailable: 'build/native/bench/ballast-native-bench not found (add bench/CMakeLists.txt to the native build and run npm run build)' };
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'ballast-bench-'));
  try {
    const lines = [];
    for (const p of problems) {
      const json = join(dir, `${p.id}.json`);
      const blob = join(dir, `${p.id}.bin`);
      const muBlob = join(dir, `${p.id}.mu.bin`);
      writeFileSync(json, JSON.stringify(nativeRequest(p)));
      const bytes = new Uint8Array(p.covariance.buffer, p.covariance.byteOffset, p.covariance.byteLength);
      writeFileSync(blob, bytes);  // little-endian on every platform Node runs this bench on
      const mu = Float64Array.from(p.expectedReturns);
      writeFileSync(muBlob, new Uint8Array(mu.buffer, mu.byteOffset, mu.byteLength));
      const method = p.kind === 'frontier' ? 'frontier' : 'optimize';
      lines.push(`${p.id} ${method} ${json} ${blob},${muBlob} ${MIN_REPS} ${MAX_REPS} ${BALLAST_BUDGET_MS}`);
    }
    const manifest = join(dir, 'manifest.txt');
    writeFileSync(manifest, `${lines.join('\n')}\n`);
    const out = execFileSync(binary, [manifest], { maxBuffer: 1 << 28 }).toString();
    const cells = {};
    for (const line of out.trim().split('\n')) {
      const r = JSON.parse(line);
      const p = problems.find((q) => q.id === r.id);
      if (!r.envelope.ok) {
        cells[r.id] = { error: `${r.envelope.error.code}: ${r.envelope.error.message}` };
        continue;
      }
      const weights = p.kind === 'frontier' ? r.envelope.result.points.map((pt) => pt.weights) : r.envelope.result.weights;
      cells[r.id] = { weights, medianMs: r.medianMs, minMs: r.minMs, reps: r.reps };
    }
    const shown = process.env.BALLAST_NATIVE_BENCH ? `${binary.split('/').pop()} from BALLAST_NATIVE_BENCH` : relative(repoRoot, binary);
    return { binary: shown, cells };
  } catch (error) {
    return { unavailable: `native bench failed: ${error.message.split('\n')[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- accuracy -----------------------------------------------------------------------------

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Reference weights per problem: one vector, or one per frontier point. */
function references(p, cells) {
  const candidates = cells.filter((c) => c && c.weights).map((c) => c.weights);
  if (p.kind !== 'frontier') {
    const ref = kktReference(p, candidates);
    return { ...ref, points: null };
  }
  const gmv = kktReference(p, candidates.map((f) => f[0]));
  if (!gmv.certified) return { certified: false };
  const mu = p.expectedReturns;
  let best = 0;
  for (let i = 1; i < p.n; i++) if (mu[i] > mu[best]) best = i;
  const rMin = dot(mu, gmv.weights);
  const rMax = mu[best];
  const points = [gmv];
  for (let k = 1; k < p.points - 1; k++) {
    const target = rMin + ((rMax - rMin) * k) / (p.points - 1);
    points.push({ target, ...kktReference(p, candidates.map((f) => f[k]), target) });
  }
  const top = new Float64Array(p.n);
  top[best] = 1;
  points.push({ certified: true, weights: top, pivots: 0, spread: 0, primal: 0, target: rMax });
  const certified = points.every((pt) => pt.certified);
  return {
    certified,
    points,
    pivots: Math.max(...points.map((pt) => pt.pivots ?? 0)),
    spread: Math.max(...points.map((pt) => pt.spread ?? 0)),
    primal: Math.max(...points.map((pt) => pt.primal ?? 0)),
  };
}

function weightError(p, ref, weights) {
  if (!ref.certified || !weights) return null;
  if (p.kind !== 'frontier') return maxAbsDiff(weights, ref.weights);
  if (weights.length !== p.points) return Infinity;
  let e = 0;
  weights.forEach((w, k) => { e = Math.max(e, maxAbsDiff(w, ref.points[k].weights)); });
  return e;
}

/** Frontier only: how far a library's points sit from the reference target returns, as a fraction of the return range. */
function gridMismatch(p, ref, weights) {
  if (p.kind !== 'frontier' || !ref.certified || !weights || weights.length !== p.points) return null;
  const t = ref.points.map((pt) => dot(p.expectedReturns, pt.weights));
  const range = t[t.length - 1] - t[0];
  let m = 0;
  weights.forEach((w, k) => { m = Math.max(m, Math.abs(dot(p.expectedReturns, w) - t[k]) / range); });
  return m;
}

function objectiveGap(p, ref, weights) {
  if (!ref.certified || !weights || p.kind === 'frontier') return null;
  const f0 = halfVariance(p, ref.weights);
  return (halfVariance(p, weights) - f0) / f0;
}

// ---- options ------------------------------------------------------------------------------

/** How many options of problem p an adapter prices: the whole book, or its subsample. */
function optionCount(adapter, p) {
  const sample = adapter.sample?.[p.kind];
  if (!sample) return p.n;
  return Math.min(p.n, QUICK ? Math.ceil(sample / 10) : sample);
}

function runOptionCell(entry, p) {
  const { adapter, ctx } = entry;
  const count = optionCount(adapter, p);
  const budget = adapter.ballast ? BALLAST_BUDGET_MS : BUDGET_MS;
  try {
    if (adapter.external) {
      const out = adapter.runExternal(ctx, p, count, { minReps: SLOW_RUNS, maxReps: MAX_REPS, budgetSeconds: budget / 1000 });
      return { values: out.result, count, medianMs: median(out.times), minMs: Math.min(...out.times), reps: out.times.length };
    }
    const fn = p.kind === 'greeks' ? () => adapter.greeks(ctx, p.book, count) : () => adapter.impliedVol(ctx, p.book, count);
    const t = timeInProcess(fn, budget);
    return { values: t.result, count, medianMs: t.medianMs, minMs: t.minMs, reps: t.reps, pageFaultsPerCall: t.pageFaultsPerCall };
  } catch (error) {
    return { error: error.message };
  }
}

/**
 * Ballast native on one option problem: the engine's columnar function into caller-owned
 * arrays (compared with WASM), and dispatch() with its JSON result (shown for information).
 */
function runNativeOptions(p) {
  const binary = findNativeBench();
  if (!binary) {
    return { unavailable: 'build/native/bench/ballast-native-bench not found (add bench/CMakeLists.txt to the native build and run npm run build)' };
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'ballast-bench-'));
  try {
    const second = p.kind === 'greeks' ? 'vol' : 'price';
    const keys = ['kind', 'spot', 'strike', 'expiryYears', second, 'rate'];
    const files = keys.map((k) => {
      const file = join(dir, `${k}.bin`);
      const col = p.book[k] instanceof Float64Array ? p.book[k] : Float64Array.from(p.book[k]);
      writeFileSync(file, new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
      return file;
    });
    const request = { model: 'black-scholes' };
    keys.forEach((k, i) => { request[k === 'spot' ? 'underlying' : k] = { $blob: i }; });
    const json = join(dir, 'request.json');
    writeFileSync(json, JSON.stringify(request));
    const method = p.kind === 'greeks' ? 'greeksColumns' : 'impliedVolColumns';
    const out = join(dir, 'out.bin');
    const manifest = join(dir, 'manifest.txt');
    writeFileSync(manifest, [
      `${p.id} ${method} ${json} ${files.join(',')} ${MIN_REPS} ${MAX_REPS} ${BALLAST_BUDGET_MS} ${out}`,
      `${p.id} ${method}:reuse ${json} ${files.join(',')} ${MIN_REPS} ${MAX_REPS} ${BUDGET_MS}`,
      // dispatch() builds and prints a JSON number per output element: slow for a big book,
      // so it gets one timed call when a call takes longer than the budget.
      `${p.id} dispatch:${method} ${json} ${files.join(',')} 1 ${MAX_REPS} ${QUICK ? 200 : 1000}`,
    ].join('\n') + '\n');
    const lines = execFileSync(binary, [manifest], { maxBuffer: 1 << 24 }).toString().trim().split('\n').map((l) => JSON.parse(l));
    const cell = (r, values) => (r.envelope.ok
      ? { values, count: p.n, medianMs: r.medianMs, minMs: r.minMs, reps: r.reps, pageFaultsPerCall: r.pageFaultsPerCall }
      : { error: `${r.envelope.error.code}: ${r.envelope.error.message}` });
    const engine = lines.find((r) => r.method === method);
    const reuse = lines.find((r) => r.method === `${method}:reuse`);
    const dispatch = lines.find((r) => r.method === `dispatch:${method}`);
    const values = engine.envelope.ok ? new Float64Array(Uint8Array.from(readFileSync(out)).buffer) : null;
    const shown = process.env.BALLAST_NATIVE_BENCH ? `${binary.split('/').pop()} from BALLAST_NATIVE_BENCH` : relative(repoRoot, binary);
    return { binary: shown, engine: cell(engine, values), reuse: cell(reuse, null), dispatch: cell(dispatch, null) };
  } catch (error) {
    return { unavailable: `native bench failed: ${error.message.split('\n')[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nsPerOption = (c) => (c && c.medianMs != null ? (c.medianMs * 1e6) / c.count : null);

/** Accuracy of one cell: greeks -> max abs price error; implied vol -> max relative vol error. */
function optionAccuracy(p, values, count) {
  if (!values) return null;
  if (p.kind === 'greeks') return { error: maxPriceError(p, values, count) };
  return ivError(p, values, count);
}

async function runOptions(machine) {
  const t0 = performance.now();
  const problems = optionProblems(OPTION_SIZES);
  console.log(`[bench] generated the option books (${OPTION_SIZES.n} + ${OPTION_SIZES.nIv} options) in ${(performance.now() - t0).toFixed(0)} ms`);
  const entries = await loadAdapters(OPTION_MODULES);
  let native = {};
  const byProblem = {};
  const wasmValues = {};
  for (const p of problems) {
    const rows = [];
    const log = (name, c) => console.log(`[bench] ${p.id.padEnd(16)} ${name.padEnd(32)} ${c.error ? `error: ${c.error}` : `${fmtMs(c.medianMs).padStart(9)} ms (${c.reps} runs, ${c.count} options, ${nsPerOption(c).toFixed(0)} ns/option)`}`);
    const relevant = entries.filter((e) => !e.adapter.problems || e.adapter.problems.includes(p.kind));
    const order = [...relevant.filter((e) => e.adapter.ballast), 'native', ...relevant.filter((e) => !e.adapter.ballast)];
    for (const e of order) {
      if (e === 'native') {
        const n = runNativeOptions(p);
        if (n.unavailable) {
          if (!native.unavailable) console.log(`[bench] Ballast native: ${n.unavailable}`);
          native = { ...native, unavailable: n.unavailable };
          continue;
        }
        native = { ...native, binary: n.binary };
        log('Ballast native', n.engine);
        log('Ballast native (reused outputs)', n.reuse);
        log('Ballast native dispatch()', n.dispatch);
        const fn = p.kind === 'greeks' ? 'derivatives::greeks_columns' : 'derivatives::implied_vol_columns';
        rows.push({ name: 'Ballast native', version: machine.commit, ballast: 'native', cell: n.engine,
          note: n.engine.error ? `failed: ${n.engine.error}` : `${n.binary}: ${fn} over the book into new output arrays per call, as the WASM wrapper returns new typed arrays (request parse and validation included)` });
        rows.push({ name: 'Ballast native (reused outputs)', version: machine.commit, ballast: 'native-reuse', cell: n.reuse,
          note: n.reuse.error ? `failed: ${n.reuse.error}` : `the same, output arrays allocated once and reused across calls, as a C++ caller may keep them; compared with Ballast WASM writing into the caller's arrays` });
        rows.push({ name: 'Ballast native dispatch()', version: machine.commit, ballast: 'native-dispatch', cell: n.dispatch,
          note: n.dispatch.error ? `failed: ${n.dispatch.error}` : `${n.binary}: dispatch("${p.kind === 'greeks' ? 'greeksColumns' : 'impliedVolColumns'}") with {"$blob": k} columns; its result is JSON text, one number per output element (for information; not in the ratios)` });
        continue;
      }
      if (!e.ctx) continue;
      const c = runOptionCell(e, p);
      log(e.adapter.name, c);
      if (e.adapter.ballast === 'wasm' && !c.error) wasmValues[p.id] = c.values;
      rows.push({ name: e.adapter.name, version: e.version, ballast: e.adapter.ballast, handWritten: e.adapter.handWritten, npm: e.adapter.npm, cell: c,
        sampled: c.count != null && c.count < p.n, note: c.error ? `failed: ${c.error}` : (e.adapter.notes?.[p.kind] ?? e.adapter.note) });
    }
    const wasm = rows.find((r) => r.ballast === 'wasm' && !r.cell.error);
    const wasmReuse = rows.find((r) => r.ballast === 'wasm-reuse' && !r.cell.error);
    for (const r of rows) {
      r.ns = r.cell.error ? null : nsPerOption(r.cell);
      r.accuracy = r.cell.error ? null : optionAccuracy(p, r.cell.values, r.cell.count);
      // Like for like: peers that write into the caller's arrays against Ballast doing the same.
      const base = r.handWritten === 'reuse' ? wasmReuse : wasm;
      if (!r.ballast && base && r.ns != null) r.ratio = r.ns / base.ns;
      if (r.ballast === 'native' && wasm && r.ns != null) r.wasmOverNative = wasm.ns / r.ns;
      if (r.ballast === 'native-reuse' && wasmReuse && r.ns != null) r.wasmOverNative = wasmReuse.ns / r.ns;
      if (r.sampled) {
        // Ballast's error on the same options, for the like-for-like comparison.
        const ballastSame = rows.filter((b) => (b.ballast === 'wasm' || b.ballast === 'native') && !b.cell.error)
          .map((b) => optionAccuracy(p, b.cell.values, r.cell.count));
        r.ballastSameError = ballastSame.length ? Math.max(...ballastSame.map((a) => a.error)) : null;
      }
    }
    for (const r of rows) delete r.cell.values;  // free the big arrays
    byProblem[p.id] = rows;
  }
  // Accuracy of every figure over the whole reachable domain, against mpmath (bench/options.mjs).
  const grid = await runAccuracyGrid(entries);
  return { problems, entries, native, byProblem, grid };
}

function optionTargets(opt) {
  const targets = [];
  for (const p of opt.problems) {
    const rows = opt.byProblem[p.id];
    const what = p.kind === 'greeks' ? `Prices + Greeks (${p.n.toLocaleString('en-US')} options)` : `Implied vol (${p.n.toLocaleString('en-US')} options)`;
    const w = rows.find((r) => r.ballast === 'wasm' && r.ns != null);
    const nat = rows.find((r) => r.ballast === 'native' && r.ns != null);
    const wr = rows.find((r) => r.ballast === 'wasm-reuse' && r.ns != null);
    const reuse = rows.find((r) => r.ballast === 'native-reuse' && r.ns != null);
    // Each comparison pairs rows that treat their outputs alike: new arrays per call, or the
    // caller's arrays kept across calls.
    const pairs = (a, b, label) => (a && b ? `${fmtX(a.ns / b.ns)} ${label} (${fmtNs(a.ns)} vs ${fmtNs(b.ns)} ns/option)` : null);
    const nativePairs = [pairs(w, nat, 'with new output arrays per call'), pairs(wr, reuse, "into the caller's arrays")].filter(Boolean);
    targets.push({
      target: `${what}: Ballast WASM within ${OPTION_TARGETS.wasmOverNative}x of native, per option`,
      measured: nativePairs.length ? nativePairs.join('; ') : 'not measured',
      ok: w && nat ? w.ns / nat.ns <= OPTION_TARGETS.wasmOverNative && (!wr || !reuse || wr.ns / reuse.ns <= OPTION_TARGETS.wasmOverNative) : null,
    });
    const h = rows.find((r) => r.handWritten === true && r.ns != null);
    const hr = rows.find((r) => r.handWritten === 'reuse' && r.ns != null);
    const handPairs = [pairs(h, w, 'with new output arrays per call'), pairs(hr, wr, "into the caller's arrays")].filter(Boolean);
    const handOk = [[h, w], [hr, wr]].filter(([a, b]) => a && b).map(([a, b]) => a.ns / b.ns >= OPTION_TARGETS.handWrittenSpeedup);
    targets.push({
      target: `${what}: Ballast WASM >= ${OPTION_TARGETS.handWrittenSpeedup}x faster per option than the hand-written JS`,
      measured: handPairs.length
        ? `${handPairs.join('; ')}${h?.accuracy?.missing ? `; the hand-written solver finds no vol for ${h.accuracy.missing} of ${h.accuracy.scored} scored options` : ''}`
        : 'not measured',
      ok: handOk.length ? handOk.every(Boolean) : null,
    });
    const npm = rows.filter((r) => r.npm && r.ns != null);
    const fastest = npm.reduce((a, b) => (a && a.ns <= b.ns ? a : b), null);
    targets.push({
      target: `${what}: Ballast WASM >= ${OPTION_TARGETS.npmSpeedup}x faster per option than the npm packages`,
      measured: w && fastest
        ? `${fmtX(fastest.ns / w.ns)} (${fastest.name}: ${fmtNs(fastest.ns)} ns/option, timed on ${fastest.cell.count.toLocaleString('en-US')} options; Ballast WASM ${fmtNs(w.ns)})${wr ? `; ${fmtX(fastest.ns / wr.ns)} against Ballast WASM into the caller's arrays (${fmtNs(wr.ns)})` : ''}`
        : 'not measured',
      ok: w && fastest ? fastest.ns / w.ns >= OPTION_TARGETS.npmSpeedup : null,
    });
    // Errors: measured on the accuracy grid (bench/options.mjs), every figure, relative.
    if (opt.grid) targets.push(...gridTargets(opt.grid, p.kind, OPTION_TARGETS.errorRatio));
  }
  return targets;
}

// ---- report -------------------------------------------------------------------------------

const fmtMs = (ms) => (ms == null ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const fmtX = (x) => (x == null || !Number.isFinite(x) ? '–' : x >= 100 ? `${x.toFixed(0)}x` : x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`);
const fmtErr = (e) => (e == null ? '–' : Number.isFinite(e) ? e.toExponential(1) : 'wrong shape');
const fmtFaults = (f) => (f == null ? '–' : Math.round(f).toLocaleString('en-US'));
const fmtNs = (ns) => (ns == null ? '–' : ns >= 1000 ? Math.round(ns).toLocaleString('en-US') : ns >= 100 ? ns.toFixed(0) : ns.toFixed(1));
const passFail = (ok) => (ok == null ? 'not measured' : ok ? 'met' : 'NOT met');

// Above this 1-minute load average per core the medians are not a measurement of the code: a
// process gets a fraction of a core, and longer calls are preempted more often than short ones,
// so ratios between libraries drift too (seen here: load 19 on 2 cores made highs 10x and
// quadprog 12x slower than on an idle machine, but Ballast's short calls far less).
const LOADED_PER_CORE = 1.5;
const loadPerCore = (loadAverage, nproc) => Number(String(loadAverage).split(' ')[0]) / nproc;
const statusText = (ok, loaded) => (loaded && ok != null ? `${passFail(ok)} (loaded machine: not a reliable measurement)` : passFail(ok));

function problemTitle(p) {
  return p.kind === 'frontier'
    ? `Efficient frontier, ${p.points} points, N = ${p.n} (T = ${p.t})`
    : `Minimum variance, long-only, fully invested, N = ${p.n} (T = ${p.t})`;
}

function buildReport({ machine, problems, entries, native, results, refs, options }) {
  const ballastVersion = entries.find((e) => e.adapter.ballast && e.ctx)?.version ?? 'not loaded';
  const lines = [];
  const L = (s = '') => lines.push(s);
  L('# Performance');
  L();
  L('<!-- Written by bench/run.mjs (npm run bench). Do not edit by hand: re-run the bench. -->');
  L();
  L(`Measured ${machine.date.slice(0, 10)} (${machine.date}) on ${machine.cpu}, ${machine.nproc} cores (nproc), ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node} (V8 ${machine.v8}). Ballast ${ballastVersion}, commit ${machine.commit}. Load average at the start (1, 5, 15 min): ${machine.loadAverage}; other work on the machine shows up as noise in the medians.`);
  L();
  const endLoad = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const loaded = Math.max(loadPerCore(machine.loadAverage, machine.nproc), loadPerCore(endLoad, machine.nproc)) > LOADED_PER_CORE;
  if (loaded) {
    L(`**Not a reliable run.** The load average was ${machine.loadAverage} at the start and ${endLoad} at the end, on ${machine.nproc} cores (above ${LOADED_PER_CORE} per core): every library got a fraction of a core, long calls were preempted more than short ones, so both the medians and the ratios between libraries are distorted. The statuses below say so; re-run \`npm run bench\` on an idle machine before quoting them.`);
    L();
  }
  L('## Targets');
  L();
  L('| target (from the issue) | measured | status |');
  L('|---|---|---|');
  for (const t of results.targets) L(`| ${t.target} | ${t.measured} | ${statusText(t.ok, loaded)} |`);
  L();
  for (const p of problems) {
    const row = results.byProblem[p.id];
    const ref = refs[p.id];
    L(`## ${problemTitle(p)}`);
    L();
    L('| library | version | median ms | runs | peer time / Ballast WASM time | max abs(w - w_ref) | notes |');
    L('|---|---|---:|---:|---:|---:|---|');
    for (const r of row) {
      L(`| ${r.name} | ${r.version} | ${fmtMs(r.medianMs)} | ${r.reps ?? '–'} | ${r.ballast ? (r.ballast === 'native' ? `native: WASM / native = ${fmtX(r.wasmOverNative)}` : '') : fmtX(r.ratio)} | ${fmtErr(r.error)} | ${r.note ?? ''} |`);
    }
    L();
    L(`Reference: ${ref.certified ? `KKT-certified (${p.kind === 'frontier' ? `${p.points} points; ` : ''}pivots needed from the first library's active set: ${ref.pivots}; largest disagreement between certified starts: ${fmtErr(ref.spread)}; primal residual ${fmtErr(ref.primal)})` : 'no candidate could be certified; errors not reported'}.`);
    L();
  }
  if (options) optionSections(L, options);
  if (options?.grid) gridSection(L, options.grid);
  L('## Load and initialization (once per process, not in the times above)');
  L();
  L('| library | load + init ms |');
  L('|---|---:|');
  const seen = new Set();
  for (const e of [...entries, ...(options?.entries ?? [])]) {
    if (!e.ctx || seen.has(e.adapter.package)) continue;
    seen.add(e.adapter.package);
    L(`| ${e.adapter.package} | ${fmtMs(e.loadMs)} |`);
  }
  L();
  const skipped = [...entries, ...(options?.entries ?? [])].filter((e) => !e.ctx);
  if (skipped.length || native.unavailable || options?.native.unavailable) {
    L('## Not measured in this run');
    L();
    for (const e of skipped) L(`- ${e.adapter.name}: ${e.unavailable}`);
    if (native.unavailable) L(`- Ballast native: ${native.unavailable}`);
    else if (options?.native.unavailable) L(`- Ballast native (options): ${options.native.unavailable}`);
    L();
  }
  L('## Method');
  L();
  L('- Inputs: the same covariance and expected returns go to every library in one run. The covariance is the annualized sample covariance of T = 1000 simulated daily returns from a seeded factor model (a market factor, 4 sector factors and idiosyncratic noise, all Student-t with 5 degrees of freedom; `bench/problems.mjs`). The expected returns are the sample means. Minimum variance: minimize w\'Σw subject to sum(w) = 1 and 0 <= w <= 1. Frontier: from the minimum-variance portfolio to the maximum-return portfolio at evenly spaced target returns.');
  L('- What is timed: a library as a user calls it. That includes converting the shared inputs into its format (nested arrays for the JS peers, an LP string for `highs (LP text)`, typed arrays for `highs (model arrays)`), the solve, and reading the weights. Module loading and initialization happen once and are listed separately. `Ballast WASM` is the npm package\'s `optimize`/`frontier`, with nested arrays packed by its wrapper. `Ballast WASM (Float64Array)` passes `{ data: Float64Array, rows, cols }`. `Ballast native` is `bench/native_bench.cpp` calling `ballast::api::dispatch()` with the same JSON and the covariance and expected returns as blobs, which is what the WASM wrapper sends, so WASM / native compares the Float64Array variant with native.');
  L(`- Repetitions: untimed warm-up calls for ${WARMUP_MS} ms (at most ${WARMUP_MAX_CALLS}) so that V8 has tiered up the JS and WASM code; the first call's weights are the ones checked. Then timed calls until at least ${MIN_REPS} calls and ${BUDGET_MS} ms have been spent (${BALLAST_BUDGET_MS} ms for Ballast), capped at ${MAX_REPS}. The table gives the median. Calls slower than ${SLOW_MS} ms: the median of ${SLOW_RUNS} calls, the first included. \`Ballast native\` makes one untimed warm-up call (native code needs no tier-up), then follows the same rule; it runs right after the WASM cells of the same problem so that the two are measured close together in time.`);
  L('- Peers without a frontier function (quadprog, highs) build it as their users would. They solve min variance, take the maximum-return portfolio as all weight on the highest-return asset, and solve 48 QPs with mu\'w >= target in between. portfolio-allocation uses its own `meanVarianceEfficientFrontierPortfolios` with `discretizationType: \'return\'`. Every library runs with its default tolerances.');
  L('- Reference: the unique optimum, found by the bench\'s own code in `kktReference`, `bench/problems.mjs`, and used by no library. For a free set F, it solves the KKT system S_FF w_F = A_F\'y, A_F w = b by Cholesky and a Schur complement, plus one step of iterative refinement in double precision. It certifies the point when w_F > 0 and every bound multiplier is >= 0. Covariance is positive definite, so the KKT point is the optimum, whoever proposed F. Every library\'s output is used as a starting guess, as is the full set, and block pivoting repairs wrong guesses. All certified starts must agree; the largest disagreement is printed. The frontier reference solves at targets evenly spaced between the reference minimum-variance return and the maximum expected return. The accuracy column is the max over assets (and points) of abs(w - w_ref).');
  L('- Ratios: `peer time / Ballast WASM time` divides each peer\'s median by the `Ballast WASM` (nested arrays) median. The targets compare against the fastest peer.');
  if (options) optionMethod(L, options);
  L();
  return `${lines.join('\n')}\n`;
}

function optionTitle(p) {
  return p.kind === 'greeks'
    ? `Options: prices and Greeks of ${p.n.toLocaleString('en-US')} Black-Scholes options`
    : `Options: implied vols of ${p.n.toLocaleString('en-US')} Black-Scholes options`;
}

/**
 * What new output arrays cost beyond the arithmetic, from the rows that differ only in that:
 * the extra time per call over the extra page faults per call (one per fresh 4 KB page).
 */
function outputFaultCost(rows) {
  const pair = (fresh, kept, label) => {
    const a = rows.find((r) => r.ballast === fresh && r.ns != null);
    const b = rows.find((r) => r.ballast === kept && r.ns != null);
    const faults = a && b && a.cell.pageFaultsPerCall != null && b.cell.pageFaultsPerCall != null
      ? a.cell.pageFaultsPerCall - b.cell.pageFaultsPerCall : null;
    if (!(faults > 100)) return null;
    const ms = a.cell.medianMs - b.cell.medianMs;
    return `${label} took ${fmtFaults(faults)} more page faults per call with new output arrays than into kept arrays, and ${fmtMs(ms)} ms more per call: ${(ms * 1000 / faults).toFixed(1)} µs per fault`;
  };
  const parts = [pair('wasm', 'wasm-reuse', 'Ballast WASM'), pair('native', 'native-reuse', 'Ballast native')].filter(Boolean);
  if (!parts.length) return null;
  return `New output arrays: the rows with and without them run the same arithmetic, so their difference is the cost of fresh memory. ${parts.join('; ')} on this machine (each fault is the first write to a fresh 4 KB page of an output column; the page faults per call column counts them with getrusage / process.resourceUsage over the timed calls).`;
}

function optionSections(L, options) {
  for (const p of options.problems) {
    const rows = options.byProblem[p.id];
    const greeks = p.kind === 'greeks';
    L(`## ${optionTitle(p)}`);
    L();
    L(`| library | version | options per call | median ms per call | runs | ns per option | page faults per call | time per option / Ballast WASM | ${greeks ? 'max abs(price - ref)' : 'max abs(vol - true) / true, scored options'} |${greeks ? '' : ' max error / premium rounding | no vol (scored options) |'} notes |`);
    L(`|---|---|---:|---:|---:|---:|---:|---:|---:|${greeks ? '' : '---:|---:|'}---|`);
    for (const r of rows) {
      const c = r.cell;
      const ratio = r.ballast === 'native' || r.ballast === 'native-reuse' ? `native: WASM / native = ${fmtX(r.wasmOverNative)}` : r.ballast ? '' : fmtX(r.ratio);
      let note = r.note ?? '';
      if (r.sampled) note += `. Timed on the first ${c.count.toLocaleString('en-US')} options of the book (one call prices them all) and scaled per option; Ballast's error on the same options: ${fmtErr(r.ballastSameError)}`;
      const acc = r.accuracy;
      const err = acc ? (greeks ? fmtErr(acc.error) : fmtErr(acc.missing ? acc.finiteError : acc.error)) : '–';
      const missing = acc && !greeks ? `${acc.missing} of ${acc.scored}` : '–';
      const over = acc && !greeks ? acc.overCondition.toFixed(1) : '–';
      L(`| ${r.name} | ${r.version} | ${c.error ? '–' : c.count.toLocaleString('en-US')} | ${fmtMs(c.medianMs)} | ${c.reps ?? '–'} | ${fmtNs(r.ns)} | ${fmtFaults(c.pageFaultsPerCall)} | ${ratio} | ${err}${!greeks && acc?.missing ? ' (where it found one)' : ''} |${greeks ? '' : ` ${over} | ${missing} |`} ${note} |`);
    }
    L();
    const faultCost = outputFaultCost(rows);
    if (faultCost) { L(faultCost); L(); }
    if (greeks) {
      L(`Reference (informational; the error target is scored on the mpmath grid below): Black-Scholes with Cody's erfc-based normal CDF in JS, which Ballast's C++ evaluates too, the out-of-the-money side direct and the other by put-call parity with K e^{-rT} - S as (K - S) + K expm1(-rT) (\`bench/options.mjs\`). Its own double-precision rounding, bounded by 4 * 2^-52 times the sum of the terms it adds, is at most ${fmtErr(p.priceFloor)} on this book; price errors near that size are rounding, not method.`);
    } else {
      L(`Reference: the true vol each premium was computed from (the reference price at that vol). Scored: the ${p.scoredCount.toLocaleString('en-US')} of ${p.n.toLocaleString('en-US')} options where vega is not negligible against the premium's last digit, i.e. rounding the premium (and the reference's terms) to double precision moves the vol by at most ${IV_CONDITION_LIMIT} relative (eps * terms / (vega * vol) <= ${IV_CONDITION_LIMIT}; the largest among the scored is ${fmtErr(p.ivFloor)}). The others (deep in or out of the money, short expiry) are timed but not scored: a wide range of vols reproduces their premium. \`max error / premium rounding\` is the largest ratio, over the scored options, of a library's vol error to that option's eps * terms / (vega * vol), about what one rounding of the premium does to the vol: near 1 is as accurate as a double-precision premium allows. \`no vol\` counts scored options for which a library returned no vol (NaN); those are left out of its max error.`);
    }
    L();
  }
}

function optionMethod(L, options) {
  const [g, iv] = options.problems;
  L(`- Options, inputs: a seeded random book of ${g.n.toLocaleString('en-US')} European options (${BOOK_SPEC}) for prices and Greeks, and a second one of ${iv.n.toLocaleString('en-US')} for implied vols, whose premiums are the reference prices at each option's vol (so the true vol is known). Every library gets the same columns.`);
  L('- Options, what is timed: one call pricing the whole book (or a subsample), as a user calls it, including building its outputs. `Ballast WASM (columns)`: the package\'s `greeksColumns` / `impliedVolColumns` on typed arrays (kind a Uint8Array), returning new typed arrays; its Greeks are nine columns (price, delta, gamma, vega, theta, rho, vanna, volga, charm). `Ballast native`: `bench/native_bench.cpp` running the same engine function as the WASM path, `derivatives::greeks_columns` / `implied_vol_columns` after `api::read_columns_request` on a `{"$blob": k}` request, into new output arrays per call as the WASM wrapper does; WASM / native compares those two. `Ballast native (reused outputs)` writes into arrays allocated once instead (a C++ caller may keep them); WASM / native compares it with `Ballast WASM (columns, caller\'s arrays)`, the package\'s `greeksColumns(columns, out)` / `impliedVolColumns(columns, out)` writing into arrays the caller keeps across calls, and `hand-written JS (caller\'s arrays)` is the same loop as the hand-written row writing into kept arrays: each speed ratio pairs rows that treat their outputs alike. `Ballast native dispatch()` is the JSON entry point (`ballast-native`, the CLI) on the same request; its result is text, one number per output element, and it is shown for information only. `hand-written JS`: `bench/peers/options-handwritten.mjs`, closed form with the Hart/West normal CDF for price, delta, gamma, vega, theta and rho (six columns) and a Newton implied-vol solver. npm `black-scholes` + `greeks`: one call per figure and option (price, delta, gamma, vega, theta, rho); `implied-volatility`: one call per option.');
  L(`- Options, subsamples: the npm packages (and QuantLib when installed) price the first options of the same book, because a million calls of theirs take minutes (their normal CDF sums a 100-term series; \`implied-volatility\` always runs its 100 bisection steps). Their per-option time is the call's median divided by the options in it, and their errors are compared with Ballast's on the same options. Repetitions as above: ${WARMUP_MS} ms of untimed warm-up, then at least ${MIN_REPS} timed calls and ${BUDGET_MS} ms (${BALLAST_BUDGET_MS} ms for Ballast); calls over ${SLOW_MS} ms: the median of ${SLOW_RUNS}, the first included.`);
  L('- Options, accuracy on the timed books (informational): the greatest absolute price error over the priced options, against the Cody reference above; implied vols: the greatest relative error against the true vol, over the scored options (see each table). Near a spot of 100 every library is at double rounding in absolute terms, so these columns cannot tell the libraries apart.');
  L('- Options, accuracy (the error target): every figure, relative, over the accuracy grid of the section above, against mpmath; the npm `greeks` package\'s vega (per vol point) is multiplied by 100 and its theta and rho are requested per year and per 1.00 of rate (its `scale` argument set to 1), so every library is compared in Ballast\'s units.');
}

// ---- main ---------------------------------------------------------------------------------

async function main() {
  const machine = machineInfo();
  console.log(`[bench] ${machine.cpu}, ${machine.nproc} cores, Node ${machine.node}${QUICK ? ' (quick run: numbers not written)' : ''}`);
  const t0 = performance.now();
  const problems = benchProblems();
  console.log(`[bench] generated ${problems.length} problems in ${(performance.now() - t0).toFixed(0)} ms`);
  const entries = await loadAdapters(['ballast-wasm', ...PEER_MODULES]);

  const cells = {};  // cells[problemId][adapterName]
  const log = (p, name, c) => console.log(`[bench] ${p.id.padEnd(16)} ${name.padEnd(28)} ${c.error ? `error: ${c.error}` : `${fmtMs(c.medianMs).padStart(9)} ms (${c.reps} runs)`}`);
  let native = { cells: {} };
  for (const p of problems) {
    cells[p.id] = {};
    const ballastFirst = [...entries.filter((e) => e.adapter.ballast), 'native', ...entries.filter((e) => !e.adapter.ballast)];
    for (const e of ballastFirst) {
      if (e === 'native') {
        // Right after the WASM cells, so WASM / native compares neighbouring moments of a
        // machine that may be busy with other work.
        const n = runNative([p]);
        if (n.unavailable) {
          if (!native.unavailable) console.log(`[bench] Ballast native: ${n.unavailable}`);
          native = { ...native, unavailable: n.unavailable };
        } else {
          native = { ...native, binary: n.binary };
          cells[p.id]['Ballast native'] = n.cells[p.id];
          log(p, 'Ballast native', n.cells[p.id]);
        }
        continue;
      }
      if (!e.ctx) continue;
      const c = runCell(e, p);
      cells[p.id][e.adapter.name] = c;
      log(p, e.adapter.name, c);
    }
  }

  const refs = {};
  const results = { byProblem: {}, targets: [] };
  for (const p of problems) {
    const row = Object.values(cells[p.id]);
    refs[p.id] = references(p, row);
    const wasm = cells[p.id]['Ballast WASM'];
    const wasmTyped = cells[p.id]['Ballast WASM (Float64Array)'];
    const nat = cells[p.id]['Ballast native'];
    const list = [];
    const add = (name, version, c, extra) => {
      if (!c) return;
      const grid = c.error ? null : gridMismatch(p, refs[p.id], c.weights);
      if (grid != null && grid > 1e-6) {
        extra.note = `${extra.note ?? ''} (its points are not at the reference's evenly spaced target returns: off by up to ${(grid * 100).toPrecision(2)}% of the return range, so the weight error mixes definition and accuracy)`;
      }
      list.push({
        name,
        version,
        medianMs: c.error ? null : c.medianMs,
        reps: c.error ? null : c.reps,
        error: c.error ? null : weightError(p, refs[p.id], c.weights),
        gap: c.error ? null : objectiveGap(p, refs[p.id], c.weights),
        note: c.error ? `failed: ${c.error}` : undefined,
        ...extra,
      });
    };
    for (const e of entries) {
      if (!e.ctx) continue;
      const c = cells[p.id][e.adapter.name];
      const ratio = !e.adapter.ballast && wasm && !wasm.error && c && !c.error ? c.medianMs / wasm.medianMs : null;
      add(e.adapter.name, e.version, c, { ratio, ballast: e.adapter.ballast, note: c?.error ? `failed: ${c.error}` : e.adapter.note });
    }
    if (nat) {
      const wasmOverNative = wasmTyped && !wasmTyped.error && !nat.error ? wasmTyped.medianMs / nat.medianMs : null;
      add('Ballast native', machine.commit, nat, { ballast: 'native', wasmOverNative, note: nat.error ? `failed: ${nat.error}` : `${native.binary}, dispatch() in a loop` });
    }
    results.byProblem[p.id] = list;
  }

  // Targets.
  const peersOf = (id) => results.byProblem[id].filter((r) => !r.ballast && r.medianMs != null);
  const wasmOf = (id) => results.byProblem[id].find((r) => r.name === 'Ballast WASM' && r.medianMs != null);
  for (const p of problems) {
    if (p.kind === 'min-variance' && p.n < 100) continue;
    const peers = peersOf(p.id);
    const w = wasmOf(p.id);
    const fastest = peers.reduce((a, b) => (a && a.medianMs <= b.medianMs ? a : b), null);
    const what = p.kind === 'frontier' ? `${p.points}-point frontier (N = ${p.n})` : `min variance N = ${p.n}`;
    results.targets.push({
      target: `${what}: Ballast WASM >= ${TARGETS.peerSpeedup}x faster than the fastest peer`,
      measured: w && fastest ? `${fmtX(fastest.medianMs / w.medianMs)} (fastest peer: ${fastest.name}, ${fmtMs(fastest.medianMs)} ms; Ballast WASM ${fmtMs(w.medianMs)} ms)` : 'not measured',
      ok: w && fastest ? fastest.medianMs / w.medianMs >= TARGETS.peerSpeedup : null,
    });
  }
  const nativeRatios = problems
    .map((p) => results.byProblem[p.id].find((r) => r.ballast === 'native')?.wasmOverNative)
    .filter((x) => x != null);
  results.targets.push({
    target: `WASM within ${TARGETS.wasmOverNative}x of native (every problem, Float64Array input)`,
    measured: nativeRatios.length ? `${nativeRatios.map(fmtX).join(', ')} (${problems.map((p) => p.id).join(', ')})` : 'not measured',
    ok: nativeRatios.length ? Math.max(...nativeRatios) <= TARGETS.wasmOverNative : null,
  });
  const ballastErrors = problems.flatMap((p) => results.byProblem[p.id].filter((r) => r.ballast && r.error != null).map((r) => r.error));
  results.targets.push({
    target: `Ballast weights within ${TARGETS.weightError} of the KKT-certified reference (every problem, WASM and native)`,
    measured: ballastErrors.length ? `max ${fmtErr(Math.max(...ballastErrors))}` : 'not measured',
    ok: ballastErrors.length ? Math.max(...ballastErrors) <= TARGETS.weightError : null,
  });

  // Console summary.
  for (const p of problems) {
    console.log(`\n${problemTitle(p)}`);
    for (const r of results.byProblem[p.id]) {
      const ratio = r.ballast === 'native' ? `WASM/native ${fmtX(r.wasmOverNative)}` : r.ballast ? '' : `x${fmtX(r.ratio)}`;
      console.log(`  ${r.name.padEnd(28)} ${fmtMs(r.medianMs).padStart(9)} ms  ${ratio.padEnd(18)} err ${fmtErr(r.error)}${r.note?.startsWith('failed') ? `  ${r.note}` : ''}`);
    }
  }
  // Options.
  const options = await runOptions(machine);
  results.targets.push(...optionTargets(options));
  for (const p of options.problems) {
    console.log(`\n${optionTitle(p)}`);
    for (const r of options.byProblem[p.id]) {
      const ratio = r.ballast === 'native' ? `WASM/native ${fmtX(r.wasmOverNative)}` : r.ballast ? '' : `x${fmtX(r.ratio)}`;
      const acc = r.accuracy ? `err ${fmtErr(r.accuracy.missing ? r.accuracy.finiteError : r.accuracy.error)}${r.accuracy.missing ? ` (no vol: ${r.accuracy.missing} of ${r.accuracy.scored})` : ''}${r.accuracy.overCondition != null ? `, ${r.accuracy.overCondition.toFixed(1)}x premium rounding` : ''}` : '';
      console.log(`  ${r.name.padEnd(32)} ${fmtNs(r.ns).padStart(10)} ns/option  ${ratio.padEnd(18)} ${acc}${r.note?.startsWith('failed') ? `  ${r.note}` : ''}`);
    }
  }
  console.log('\nTargets');
  const consoleLoaded = Math.max(loadPerCore(machine.loadAverage, machine.nproc), loadPerCore(os.loadavg()[0], machine.nproc)) > LOADED_PER_CORE;
  if (consoleLoaded) console.log(`  (the machine is loaded, load average ${os.loadavg()[0].toFixed(2)} on ${machine.nproc} cores: these statuses are not a reliable measurement)`);
  for (const t of results.targets) console.log(`  [${statusText(t.ok, consoleLoaded)}] ${t.target}: ${t.measured}`);

  if (WRITE) {
    const out = resolve(repoRoot, 'docs', 'performance.md');
    writeFileSync(out, buildReport({ machine, problems, entries, native, results, refs, options }));
    console.log(`\n[bench] wrote ${out}`);
  } else if (process.env.BALLAST_BENCH_REPORT) {
    // A trial run's report, to read before a real run writes docs/performance.md.
    writeFileSync(process.env.BALLAST_BENCH_REPORT, buildReport({ machine, problems, entries, native, results, refs, options }));
    console.log(`\n[bench] wrote ${process.env.BALLAST_BENCH_REPORT}`);
  }
  console.log(`[bench] total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
