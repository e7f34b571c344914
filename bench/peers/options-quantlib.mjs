// Debian's python3-quantlib (QuantLib-SWIG), run only when `python3 -c "import QuantLib"` works;
// the bench never installs it. One Python process per problem, timed inside Python (process
// start and import excluded, reported as load time), on the same subsample sizes as the npm
// packages (QuantLib's per-call overhead from Python makes a million calls slow), scaled per
// option:
//   - Greeks: ql.BlackCalculator(type, strike, forward, stdDev, discount) per option, then
//     value(), delta(spot), gamma(spot), vega(T), theta(spot, T), rho(T).
//   - Implied vol: ql.blackFormulaImpliedStdDev(type, strike, forward, price, discount) / sqrt(T),
//     with its default accuracy and iteration limit, as a user calls it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SAMPLE_GREEKS, SAMPLE_IV } from './options-npm.mjs';

const SCRIPT = String.raw`
import json, math, sys, time
from array import array
t0 = time.perf_counter()
import QuantLib as ql
load_ms = (time.perf_counter() - t0) * 1e3
spec = json.load(open(sys.argv[1]))
n = spec['n']
def column(name):
    a = array('d')
    with open(spec['files'][name], 'rb') as f:
        a.frombytes(f.read())
    return a
kind, spot, strike, expiry, rate = (column(k) for k in ('kind', 'spot', 'strike', 'expiryYears', 'rate'))
second = column('vol' if spec['kind'] == 'greeks' else 'price')
out = array('d', [0.0]) * n

def greeks():
    for i in range(n):
        T = expiry[i]
        D = math.exp(-rate[i] * T)
        F = spot[i] / D
        c = ql.BlackCalculator(ql.Option.Put if kind[i] else ql.Option.Call, strike[i], F, second[i] * math.sqrt(T), D)
        out[i] = c.value()
        c.delta(spot[i]); c.gamma(spot[i]); c.vega(T); c.theta(spot[i], T); c.rho(T)

def implied_vol():
    for i in range(n):
        T = expiry[i]
        D = math.exp(-rate[i] * T)
        F = spot[i] / D
        try:
            out[i] = ql.blackFormulaImpliedStdDev(ql.Option.Put if kind[i] else ql.Option.Call, strike[i], F, second[i], D) / math.sqrt(T)
        except RuntimeError:
            out[i] = float('nan')

run = greeks if spec['kind'] == 'greeks' else implied_vol
times = []
deadline = time.perf_counter() + spec['budgetSeconds']
while len(times) < spec['maxReps'] and (len(times) < spec['minReps'] or time.perf_counter() < deadline):
    t = time.perf_counter()
    run()
    times.append((time.perf_counter() - t) * 1e3)
with open(spec['out'], 'wb') as f:
    out.tofile(f)
print(json.dumps({'loadMs': load_ms, 'times': times}))
`;

export function quantlibAvailable() {
  return spawnSync('python3', ['-c', 'import QuantLib'], { stdio: 'ignore' }).status === 0;
}

export default {
  name: 'QuantLib (python3)',
  package: 'python3-quantlib',
  note: "Debian's python3-quantlib: BlackCalculator (price, delta, gamma, vega, theta, rho) / blackFormulaImpliedStdDev (default accuracy); timed inside Python",
  external: true,
  sample: { greeks: SAMPLE_GREEKS, 'implied-vol': SAMPLE_IV },
  problems: ['greeks', 'implied-vol'],
  async load() {
    if (!quantlibAvailable()) {
      const e = new Error('python3-quantlib is not installed (python3 -c "import QuantLib" fails); skipped. Install with apt-get install python3-quantlib to include it.');
      e.unavailable = true;
      throw e;
    }
    return { version: execFileSync('python3', ['-c', 'import QuantLib; print(QuantLib.__version__)']).toString().trim() };
  },
  /** Runs the timing loop in Python on the first n options; returns { times, result }. */
  runExternal(ctx, p, n, { minReps, maxReps, budgetSeconds }) {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-quantlib-'));
    try {
      const files = {};
      const second = p.kind === 'greeks' ? 'vol' : 'price';
      for (const k of ['kind', 'spot', 'strike', 'expiryYears', 'rate', second]) {
        const col = Float64Array.from(p.book[k].subarray(0, n));
        files[k] = join(dir, `${k}.bin`);
        writeFileSync(files[k], new Uint8Array(col.buffer));
      }
      const out = join(dir, 'out.bin');
      const spec = join(dir, 'spec.json');
      writeFileSync(spec, JSON.stringify({ n, kind: p.kind, files, out, minReps, maxReps, budgetSeconds }));
      const script = join(dir, 'run.py');
      writeFileSync(script, SCRIPT);
      const r = JSON.parse(execFileSync('python3', [script, spec], { maxBuffer: 1 << 24 }).toString());
      return { times: r.times, result: new Float64Array(Uint8Array.from(readFileSync(out)).buffer) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
