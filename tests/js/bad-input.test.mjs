// Invalid requests, through the package and through the CLI: each is a BallastError (CLI: a
// {"error":...} line and exit 2) with the expected code and field path. No crash, no hang,
// and the module keeps answering valid requests with finite numbers afterwards.
//
// A WASM call is synchronous, so a hang inside one could not be timed out from its own
// thread: the package calls run in a worker thread (this same file, see the end), which is
// terminated when a call takes longer than CALL_TIMEOUT_MS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const CALL_TIMEOUT_MS = 10_000;
if (isMainThread) {
  const cli = fileURLToPath(new URL('../../bindings/js/cli.js', import.meta.url));
  const ASSETS = ['BTC', 'ETH', 'SOL'];
  const prices = Array.from({ length: 40 }, (_, t) => ASSETS.map((_, i) => (i + 1) * 100 * (1 + 0.01 * Math.sin(t * (i + 2)))));
  const base = { assets: ASSETS, prices };

  const withPrice = (t, j, value) => prices.map((row, r) => (r === t ? row.map((p, c) => (c === j ? value : p)) : row));
  const view = (rows) => ({ data: new Float64Array(rows.flat()), rows: rows.length, cols: rows[0].length });
  const covariance = [
    [0.04, 0.01, 0.0],
    [0.01, 0.09, 0.02],
    [0.0, 0.02, 0.16],
  ];

  // [name, method, request, code, field]
  const cases = [
    // shapes
    ['prices with more columns than assets', 'optimize', { ...base, assets: ['BTC', 'ETH'] }, 'invalid-shape', 'prices'],
    ['a ragged price row', 'optimize', { ...base, prices: prices.map((r, t) => (t === 3 ? r.slice(0, 2) : r)) }, 'invalid-shape', 'prices[3]'],
    ['a price row that is not an array', 'estimate', { ...base, prices: prices.map((r, t) => (t === 2 ? 5 : r)) }, 'invalid-type', 'prices[2]'],
    ['a price that is a string', 'estimate', { ...base, prices: withPrice(4, 2, '101') }, 'invalid-type', 'prices[4][2]'],
    ['a Float64Array of the wrong length', 'optimize', { ...base, prices: { ...view(prices), rows: 41 } }, 'invalid-shape', 'prices.data'],
    ['a non-square covariance', 'optimize', { assets: ASSETS, covariance: covariance.slice(0, 2), expectedReturns: [0.1, 0.2, 0.3] }, 'invalid-shape', 'covariance'],
    ['expectedReturns of the wrong length', 'optimize', { assets: ASSETS, covariance, expectedReturns: [0.1, 0.2] }, 'invalid-shape', 'expectedReturns'],
    ['report weights of the wrong length', 'report', { ...base, weights: [0.5, 0.5] }, 'invalid-shape', 'weights'],
    ['only one price row (T < 2)', 'estimate', { ...base, prices: prices.slice(0, 1) }, 'invalid-shape', 'prices'],
    ['an empty asset list', 'optimize', { ...base, assets: [] }, 'invalid-shape', 'assets'],
    // non-finite numbers: in nested arrays, in typed arrays, and in JSON-only vectors
    ['NaN in nested prices', 'optimize', { ...base, prices: withPrice(3, 1, Number.NaN) }, 'non-finite', 'prices[3][1]'],
    ['Infinity in nested prices', 'estimate', { ...base, prices: withPrice(7, 0, Number.POSITIVE_INFINITY) }, 'non-finite', 'prices[7][0]'],
    ['NaN in a Float64Array', 'optimize', { ...base, prices: view(withPrice(12, 2, Number.NaN)) }, 'non-finite', 'prices[12][2]'],
    ['-Infinity in a Float64Array covariance', 'optimize', { assets: ASSETS, covariance: view(covariance.map((r, i) => (i === 1 ? [0.01, Number.NEGATIVE_INFINITY, 0.02] : r))), expectedReturns: [0.1, 0.2, 0.3] }, 'non-finite', 'covariance[1][1]'],
    ['NaN in a ragged history (stays in JSON)', 'estimate', { ...base, prices: withPrice(0, 0, null).map((r, t) => (t === 9 ? [r[0], Number.NaN, r[2]] : r)) }, 'non-finite', 'prices[9][1]'],
    ['NaN in expectedReturns', 'optimize', { assets: ASSETS, covariance, expectedReturns: [0.1, Number.NaN, 0.3] }, 'non-finite', 'expectedReturns[1]'],
    ['Infinity in a Float64Array expectedReturns', 'optimize', { assets: ASSETS, covariance, expectedReturns: new Float64Array([0.1, 0.2, Number.POSITIVE_INFINITY]) }, 'non-finite', 'expectedReturns[2]'],
    ['a Float64Array expectedReturns of the wrong length', 'optimize', { assets: ASSETS, covariance, expectedReturns: new Float64Array([0.1, 0.2]) }, 'invalid-shape', 'expectedReturns'],
    ['Infinity as a risk-free rate', 'optimize', { ...base, objective: { type: 'max-sharpe', riskFreeRate: Number.POSITIVE_INFINITY } }, 'non-finite', 'objective.riskFreeRate'],
    // values
    ['a negative price', 'optimize', { ...base, prices: withPrice(3, 1, -5) }, 'invalid-value', 'prices[3][1]'],
    ['a zero price', 'estimate', { ...base, prices: withPrice(5, 2, 0) }, 'invalid-value', 'prices[5][2]'],
    ['a bound with min above max', 'optimize', { ...base, constraints: { bounds: [[0, 1], [0, 1], [0.6, 0.2]] } }, 'invalid-value', 'constraints.bounds[2]'],
    ['a duplicate asset name', 'optimize', { ...base, assets: ['BTC', 'ETH', 'BTC'] }, 'invalid-value', 'assets[2]'],
    ['zero periods per year', 'estimate', { ...base, periodsPerYear: 0 }, 'invalid-value', 'periodsPerYear'],
    ['a frontier of one point', 'frontier', { ...base, points: 1 }, 'invalid-value', 'points'],
    ['two market inputs', 'estimate', { ...base, returns: prices }, 'invalid-value', ''],
    // keys and names
    ['an unknown top-level key', 'optimize', { ...base, weight: [1, 0, 0] }, 'unknown-key', 'weight'],
    ['an unknown nested key', 'optimize', { ...base, objective: { type: 'min-variance', target: 0.1 } }, 'unknown-key', 'objective.target'],
    ['an unknown objective type', 'optimize', { ...base, objective: { type: 'max-return' } }, 'unknown-value', 'objective.type'],
    ['an unknown covariance method', 'estimate', { ...base, estimator: { covariance: 'shrunk' } }, 'unknown-value', 'estimator.covariance'],
    ['a group naming an unknown asset', 'optimize', { ...base, constraints: { groups: [{ name: 'g', assets: ['BTC', 'DOGE'], max: 0.5 }] } }, 'unknown-value', 'constraints.groups[0].assets[1]'],
    ['betaTo naming an unknown asset', 'report', { ...base, weights: [0.2, 0.3, 0.5], betaTo: 'DOGE' }, 'unknown-value', 'betaTo'],
    ['no assets key', 'optimize', { prices }, 'missing-field', 'assets'],
    ['no market input', 'optimize', { assets: ASSETS }, 'missing-field', 'prices'],
    ['target-return without a target', 'optimize', { ...base, objective: { type: 'target-return' } }, 'missing-field', 'objective.targetReturn'],
    ['report without weights', 'report', base, 'missing-field', 'weights'],
    ['covariance without expectedReturns', 'optimize', { assets: ASSETS, covariance }, 'missing-field', 'expectedReturns'],
    // types
    ['assets that are not strings', 'optimize', { ...base, assets: ['BTC', 2, 'SOL'] }, 'invalid-type', 'assets[1]'],
    ['an objective that is a string', 'optimize', { ...base, objective: 'max-sharpe' }, 'invalid-type', 'objective'],
  ];

  // ---- the package, in a worker thread with a timeout per call ---------------------------------

  // Runs `ballast[method](request)` in the worker. Resolves { result } or { error } (a thrown
  // error's name, code, field and message, plus whether it was a BallastError).
  class Engine {
    #worker = null;
    #pending = new Map();
    #next = 0;

    #start() {
      this.#worker = new Worker(new URL(import.meta.url));
      this.#worker.on('message', ({ id, ...reply }) => {
        this.#pending.get(id)?.resolve(reply);
        this.#pending.delete(id);
      });
      this.#worker.on('error', (error) => {
        for (const { reject } of this.#pending.values()) reject(error);
        this.#pending.clear();
        this.#worker = null;
      });
    }

    call(method, request) {
      if (this.#worker === null) this.#start();
      const id = this.#next++;
      const worker = this.#worker;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#pending.delete(id);
          worker.terminate();
          if (this.#worker === worker) this.#worker = null;
          reject(new Error(`${method} did not return within ${CALL_TIMEOUT_MS} ms (hang)`));
        }, CALL_TIMEOUT_MS);
        const settle = (fn) => (value) => {
          clearTimeout(timer);
          fn(value);
        };
        this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
        worker.postMessage({ id, method, request });
      });
    }

    async close() {
      await this.#worker?.terminate();
    }
  }

  async function refusal(engine, method, request) {
    const reply = await engine.call(method, request);
    assert.ok(reply.error, `not refused: ${JSON.stringify(reply.result)?.slice(0, 300)}`);
    assert.ok(reply.error.isBallastError, `not a BallastError: ${reply.error.name}: ${reply.error.message}`);
    return reply.error;
  }

  let engine;
  let dir;
  before(() => {
    engine = new Engine();
    dir = mkdtempSync(join(tmpdir(), 'ballast-bad-input-'));
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Every number in a result is finite (JSON cannot carry NaN: the engine would write null).
  function assertFiniteNumbers(value, path = 'result') {
    if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} = ${value}`);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertFiniteNumbers(v, `${path}.${k}`);
  }

  // JSON as Python's json.dumps writes it: NaN, Infinity and -Infinity as bare tokens (the CLI
  // accepts them); typed-array views as { rows, cols, data: [...] }, a bare Float64Array as an array.
  function toCliJson(request) {
    const text = JSON.stringify(request, (key, value) => {
      if (typeof value === 'number' && !Number.isFinite(value)) return `@@${value}@@`;
      if (value && value.data instanceof Float64Array) return { ...value, data: Array.from(value.data) };
      if (value instanceof Float64Array) return Array.from(value);
      return value;
    });
    return text.replace(/"@@(NaN|Infinity|-Infinity)@@"/g, '$1');
  }

  function runCli(args, input) {
    const run = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.error, undefined, `the CLI did not finish: ${run.error?.message}`);
    return run;
  }

  describe('the package refuses invalid requests with code and field', () => {
    for (const [name, method, request, code, field] of cases) {
      test(name, { timeout: CALL_TIMEOUT_MS + 5_000 }, async () => {
        const error = await refusal(engine, method, request);
        assert.deepEqual({ code: error.code, field: error.field }, { code, field }, error.message);
        assert.ok(error.message.length > 0);
      });
    }

    test('a request that is not an object', async () => {
      for (const request of [null, undefined, 42, 'text', [base]]) {
        const error = await refusal(engine, 'optimize', request);
        assert.deepEqual({ code: error.code, field: error.field }, { code: 'invalid-type', field: '' });
      }
    });

    test('a request that refers to itself', async () => {
      const objective = { type: 'min-variance' };
      objective.self = objective;
      const error = await refusal(engine, 'optimize', { ...base, objective });
      assert.equal(error.code, 'invalid-value');
    });

    test('the module still answers, with finite numbers', async () => {
      const { result, error } = await engine.call('optimize', { ...base, objective: { type: 'max-sharpe' } });
      assert.equal(error, undefined, error?.message);
      assert.match(result.status, /^solved/);
      assertFiniteNumbers({ ...result, sharpe: result.sharpe ?? 0 });
      assert.ok(Math.abs(result.weights.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    });

    test('a flat asset (zero volatility) gives no NaN', async () => {
      const flat = prices.map((row) => [row[0], row[1], 1]);
      const opt = await engine.call('optimize', { ...base, prices: flat, objective: { type: 'min-variance' } });
      assert.equal(opt.error, undefined, opt.error?.message);
      assertFiniteNumbers({ ...opt.result, sharpe: opt.result.sharpe ?? 0 });
      const rep = await engine.call('report', { ...base, prices: flat, weights: [0, 0, 1] });
      assert.equal(rep.error, undefined, rep.error?.message);
      assertFiniteNumbers({ ...rep.result, sharpe: rep.result.sharpe ?? 0, beta: 0 });
    });
  });

  describe('the CLI refuses invalid requests with code and field, exit 2', () => {
    for (const [name, method, request, code, field] of cases) {
      test(name, { timeout: 30_000 }, () => {
        const file = join(dir, 'request.json');
        writeFileSync(file, toCliJson(request));
        const run = runCli([method, file]);
        assert.equal(run.status, 2, `exit ${run.status}: ${run.stdout}${run.stderr}`);
        const { error } = JSON.parse(run.stdout);
        assert.deepEqual({ code: error.code, field: error.field }, { code, field }, error.message);
      });
    }

    test('text that is not JSON', () => {
      const run = runCli(['optimize', '-'], '{"assets": ["A"], ');
      assert.equal(run.status, 2);
      assert.deepEqual(JSON.parse(run.stdout).error.code, 'invalid-json');
    });

    test('a JSON value that is not an object', () => {
      const run = runCli(['estimate', '-'], '[1, 2, 3]');
      assert.equal(run.status, 2);
      assert.deepEqual(JSON.parse(run.stdout).error, { code: 'invalid-type', message: JSON.parse(run.stdout).error.message, field: '' });
    });
  });
} else {
  // The worker: one engine, serving { id, method, request } messages.
  const { BallastError, init } = await import('ballast');
  const ballast = await init();
  parentPort.on('message', ({ id, method, request }) => {
    try {
      parentPort.postMessage({ id, result: ballast[method](request) });
    } catch (error) {
      const { name, code, field, message } = error;
      parentPort.postMessage({ id, error: { isBallastError: error instanceof BallastError, name, code, field, message } });
    }
  });
}
