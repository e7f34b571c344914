// npm highs (HiGHS compiled to WebAssembly), called through its one-shot API with a model in
// CPLEX LP format, the interface its README leads with: the quadratic objective is written
// as [ ... ]/2, i.e. 1/2 w'Sw. Building the LP text (N^2/2 terms) and HiGHS parsing it are
// part of the timed call, because that is how this interface is used.
import { createRequire } from 'node:module';
import { frontierFromQps, packageVersion } from '../problems.mjs';

const require = createRequire(import.meta.url);

function lpText(p, target) {
  const n = p.n;
  const cov = p.covarianceRows;
  const parts = ['Minimize\n obj: [ '];
  let first = true;
  for (let i = 0; i < n; i++) {
    const row = cov[i];
    for (let j = i; j < n; j++) {
      const c = i === j ? row[j] : 2 * row[j];
      if (c === 0) continue;
      const term = i === j ? `x${i} ^ 2` : `x${i} * x${j}`;
      if (first) {
        parts.push(`${c} ${term}`);
        first = false;
      } else {
        parts.push(c < 0 ? ` - ${-c} ${term}` : ` + ${c} ${term}`);
      }
    }
    parts.push('\n');
  }
  parts.push(' ]/2\nSubject To\n budget: ');
  for (let i = 0; i < n; i++) parts.push(i === 0 ? `x${i}` : ` + x${i}`);
  parts.push(' = 1\n');
  if (target !== null) {
    parts.push(' ret: ');
    p.expectedReturns.forEach((m, i) => parts.push(i === 0 ? `${m} x${i}` : m < 0 ? ` - ${-m} x${i}` : ` + ${m} x${i}`));
    parts.push(` >= ${target}\n`);
  }
  parts.push('Bounds\n');
  for (let i = 0; i < n; i++) parts.push(` 0 <= x${i} <= 1\n`);
  parts.push('End\n');
  return parts.join('');
}

function solve(highs, p, target) {
  const res = highs.solve(lpText(p, target), { output_flag: false });
  if (res.Status !== 'Optimal') throw new Error(`highs: ${res.Status}`);
  return Array.from({ length: p.n }, (_, i) => res.Columns[`x${i}`].Primal);
}

export default {
  name: 'highs (LP text)',
  package: 'highs',
  note: 'npm highs, one-shot solve() of a CPLEX-LP string (HiGHS active-set QP, WASM)',
  async load() {
    const { default: loadHighs } = await import('highs');
    return { highs: await loadHighs(), version: packageVersion('highs') };
  },
  minVariance(ctx, p) {
    return solve(ctx.highs, p, null);
  },
  frontier(ctx, p) {
    return frontierFromQps(p, (q) => solve(ctx.highs, q, null), (q, t) => solve(ctx.highs, q, t));
  },
};
