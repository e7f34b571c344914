// Calls must not leak WASM heap: after a warm-up of 10 calls, 10,000 more (every method, with
// matrices as blobs and as JSON, and refused calls among them) leave the bytes malloc has in
// use exactly where they were. A refused call leaves the module usable, with equal answers.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { BallastError, init } from 'ballast';

const ASSETS = ['A', 'B', 'C', 'D'];
// A small deterministic history: 60 days, 4 assets.
const prices = Array.from({ length: 60 }, (_, t) =>
  ASSETS.map((_, i) => 10 * (i + 1) * Math.exp(0.001 * (i + 1) * t + 0.03 * Math.sin(0.7 * t * (i + 1) + i))),
);
const view = { data: new Float64Array(prices.flat()), rows: prices.length, cols: ASSETS.length };

const calls = [
  ['optimize', { assets: ASSETS, prices, objective: { type: 'max-sharpe' } }],
  ['optimize', { assets: ASSETS, prices: view, constraints: { bounds: [-0.2, 0.7], grossLeverage: 1.4 } }],
  ['frontier', { assets: ASSETS, prices, points: 3 }],
  ['estimate', { assets: ASSETS, prices, estimator: { covariance: 'ledoit-wolf' } }],
  ['report', { assets: ASSETS, prices: view, weights: [0.25, 0.25, 0.25, 0.25] }],
];
const refused = [
  () => ({ assets: ASSETS, prices, objective: { type: 'no-such-objective' } }),
  () => ({ assets: ASSETS, prices: { ...view, data: Float64Array.from(view.data, (x, k) => (k === 9 ? Number.NaN : x)) } }),
  () => ({ assets: ASSETS, prices: prices.map((row, t) => (t === 5 ? row.slice(1) : row)) }),
];

// Results with their wall-clock timings zeroed, for exact comparison.
function withoutTiming(result) {
  return JSON.parse(JSON.stringify(result, (key, value) => (key === 'solveMs' ? 0 : value)));
}

let ballast;
before(async () => {
  ballast = await init();
});

test('10,000 calls leave the heap where it was after the first 10', { timeout: 300_000 }, () => {
  for (let k = 0; k < 10; k++) {
    const [method, request] = calls[k % calls.length];
    ballast[method](request);
  }
  const baseline = ballast.heapBytesInUse();
  assert.ok(Number.isInteger(baseline) && baseline >= 0, `heapBytesInUse() = ${baseline}`);

  const first = calls.map(([method, request]) => withoutTiming(ballast[method](request)));
  for (let k = 0; k < 10_000; k++) {
    if (k % 1000 === 500) {
      // A refused call in the middle: throws, and changes nothing.
      const request = refused[Math.floor(k / 1000) % refused.length]();
      assert.throws(() => ballast.optimize(request), BallastError);
      continue;
    }
    const [method, request] = calls[k % calls.length];
    ballast[method](request);
  }
  assert.equal(ballast.heapBytesInUse(), baseline, 'heap bytes in use changed');

  const last = calls.map(([method, request]) => withoutTiming(ballast[method](request)));
  assert.deepEqual(last, first, 'the same requests gave different answers after 10,000 calls');
});

test('init() hands out one engine', async () => {
  assert.equal(await init(), ballast);
  assert.equal(await init({ locateFile: () => 'ignored after the first call' }), ballast);
});

test('a refused call leaves the module usable and the heap unchanged', () => {
  const [method, request] = calls[0];
  const expected = withoutTiming(ballast[method](request));
  const heap = ballast.heapBytesInUse();
  for (const make of refused) {
    assert.throws(() => ballast.optimize(make()), (error) => error instanceof BallastError && error.field !== undefined);
    assert.equal(ballast.heapBytesInUse(), heap);
  }
  const after = withoutTiming(ballast[method](request));
  assert.deepEqual(after, expected);
});
