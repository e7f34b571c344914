// Debian's python3-cvxopt (cvxopt.solvers.qp, a primal-dual interior-point method), run
// only when `python3 -c "import cvxopt"` works; the bench never installs it. One Python
// process per problem: it builds the matrices from the same covariance and times
// matrix construction + solvers.qp inside Python (process start and import excluded,
// reported as load time). Default solver tolerances, as a user would call it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = String.raw`
import json, sys, time, statistics
t0 = time.perf_counter()
import cvxopt
from cvxopt import matrix, solvers
solvers.options['show_progress'] = False
load_ms = (time.perf_counter() - t0) * 1e3
spec = json.load(open(sys.argv[1]))
n, cov, mu = spec['n'], spec['covariance'], spec['expectedReturns']

def solve(target):
    P = matrix(cov, (n, n))                       # column-major; cov is symmetric
    q = matrix(0.0, (n, 1))
    G = matrix(0.0, (n + (0 if target is None else 1), n))
    for i in range(n):
        G[i, i] = -1.0                            # -w <= 0
    h = matrix(0.0, (G.size[0], 1))
    if target is not None:
        for i in range(n):
            G[n, i] = -mu[i]                      # -mu'w <= -target
        h[n] = -target
    A = matrix(1.0, (1, n))
    b = matrix(1.0)
    sol = solvers.qp(P, q, G, h, A, b)
    if sol['status'] != 'optimal':
        raise RuntimeError('cvxopt: ' + sol['status'])
    return list(sol['x'])

def frontier():
    pts = [solve(None)]
    rmin = sum(m * w for m, w in zip(mu, pts[0]))
    best = max(range(n), key=lambda i: mu[i])
    rmax = mu[best]
    for k in range(1, spec['points'] - 1):
        pts.append(solve(rmin + (rmax - rmin) * k / (spec['points'] - 1)))
    top = [0.0] * n
    top[best] = 1.0
    pts.append(top)
    return pts

run = frontier if spec['kind'] == 'frontier' else (lambda: solve(None))
times = []
result = None
deadline = time.perf_counter() + spec['budgetSeconds']
while len(times) < spec['maxReps'] and (len(times) < spec['minReps'] or time.perf_counter() < deadline):
    t = time.perf_counter()
    result = run()
    times.append((time.perf_counter() - t) * 1e3)
print(json.dumps({'loadMs': load_ms, 'times': times, 'result': result, 'version': cvxopt.__version__}))
`;

export function cvxoptAvailable() {
  const r = spawnSync('python3', ['-c', 'import cvxopt'], { stdio: 'ignore' });
  return r.status === 0;
}

export default {
  name: 'cvxopt (python3)',
  package: 'python3-cvxopt',
  note: "Debian's python3-cvxopt, solvers.qp (interior point), default tolerances; times measured inside Python; load = python3 start + import",
  external: true, // times itself in its own process
  async load() {
    if (!cvxoptAvailable()) {
      const e = new Error('python3-cvxopt is not installed (python3 -c "import cvxopt" fails); skipped. Install with apt-get install python3-cvxopt to include it.');
      e.unavailable = true;
      throw e;
    }
    return { version: execFileSync('python3', ['-c', 'import cvxopt; print(cvxopt.__version__)']).toString().trim() };
  },
  /** Runs the whole timing loop in Python; returns { times, result, loadMs }. */
  runExternal(ctx, p, { minReps, maxReps, budgetSeconds }) {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-cvxopt-'));
    try {
      const spec = join(dir, 'problem.json');
      writeFileSync(spec, JSON.stringify({
        n: p.n, kind: p.kind, points: p.points ?? 0,
        covariance: Array.from(p.covariance), expectedReturns: p.expectedReturns,
        minReps, maxReps, budgetSeconds,
      }));
      const script = join(dir, 'run.py');
      writeFileSync(script, SCRIPT);
      const out = execFileSync('python3', [script, spec], { maxBuffer: 1 << 28 }).toString();
      return JSON.parse(out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
