// npm quadprog: Goldfarb-Idnani dual active-set method, a JavaScript port of R's quadprog.
// Called as its README shows: 1-indexed Dmat, dvec, Amat (one column per constraint,
// A' w >= b0) and bvec, the first meq constraints being equalities. Building those arrays
// from the user's covariance is part of the timed call.
import { createRequire } from 'node:module';
import { frontierFromQps, packageVersion } from '../problems.mjs';

const require = createRequire(import.meta.url);

function solve(qp, p, target) {
  const n = p.n;
  const cov = p.covarianceRows;
  const extra = target === null ? 0 : 1;
  const m = 1 + extra + n;
  const Dmat = [undefined];
  const dvec = [undefined];
  const Amat = [undefined];
  const bvec = [undefined, 1];
  for (let i = 1; i <= n; i++) {
    const row = cov[i - 1];
    const d = [undefined];
    for (let j = 1; j <= n; j++) d.push(row[j - 1]);
    Dmat.push(d);
    dvec.push(0);
    const a = new Array(m + 1).fill(0);
    a[0] = undefined;
    a[1] = 1;                                   // budget: sum w = 1 (equality)
    if (extra) a[2] = p.expectedReturns[i - 1];  // mu'w >= target
    a[1 + extra + i] = 1;                       // w_i >= 0
    Amat.push(a);
  }
  if (extra) bvec.push(target);
  for (let i = 1; i <= n; i++) bvec.push(0);
  const res = qp.solveQP(Dmat, dvec, Amat, bvec, 1);
  if (res.message) throw new Error(`quadprog: ${res.message}`);
  return res.solution.slice(1);
}

export default {
  name: 'quadprog',
  package: 'quadprog',
  note: 'npm quadprog (Goldfarb-Idnani dual active set, JS)',
  async load() {
    const qp = require('quadprog');
    return { qp, version: packageVersion('quadprog') };
  },
  minVariance(ctx, p) {
    return solve(ctx.qp, p, null);
  },
  frontier(ctx, p) {
    return frontierFromQps(p, (q) => solve(ctx.qp, q, null), (q, t) => solve(ctx.qp, q, t));
  },
};
