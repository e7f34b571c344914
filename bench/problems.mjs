// Benchmark problems: identical inputs for every library in one run.
//
// Each problem's covariance is the sample covariance of T = 1000 simulated daily returns of
// N assets from a seeded factor model sized like crypto (bench/README in docs/performance.md):
//   r_it = a_i + beta_i m_t + g_i s_{k(i),t} + u_it
//   m_t    market factor, daily vol 3.5%        (about 67% a year)
//   s_kt   one of 4 sector factors, daily vol 2%, asset i loads on sector k(i) = i mod 4
//   u_it   idiosyncratic, daily vol U(2%, 5%)
//   beta_i U(0.6, 1.4), g_i U(0.5, 1.2), a_i = 0.0004 + 0.0004 beta_i + N(0, 0.0003)
// Every shock is Student-t with 5 degrees of freedom scaled to unit variance, as in the demo
// model (docs/demo-data.md). Covariance and expected returns are annualized (x 365). The
// expected returns are the sample means, as a user would estimate them; the frontier needs
// them distinct, which sample means are.
//
// The generator is xoshiro128** from bindings/js/demo.js, so problems are identical in
// every run and on every machine (up to last-bit differences of Math.log/cos between
// engines, which do not matter here: the inputs are generated once per run and shared).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { xoshiro128ss } from '../bindings/js/demo.js';

export const T_DAYS = 1000;
export const PERIODS_PER_YEAR = 365;
const NU = 5;

function rng(seed) {
  const u32 = xoshiro128ss([seed >>> 0, 0x9e3779b9, 0x85ebca6b, (seed * 2654435761) >>> 0 | 1]);
  for (let k = 0; k < 16; k++) u32();  // decorrelate from the simple seed words
  const uniform = () => ((u32() >>> 5) * 67108864 + (u32() >>> 6) + 0.5) / 9007199254740992;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const student = () => {
    let w = 0;
    for (let k = 0; k < NU; k++) {
      const g = normal();
      w += g * g;
    }
    return normal() * Math.sqrt((NU - 2) / w);
  };
  return { uniform, normal, student };
}

/** Simulated daily returns (T x N, Float64Array row-major) from the factor model. */
export function simulateReturns(n, t = T_DAYS, seed = 1000 + n) {
  const r = rng(seed);
  const sectors = 4;
  const beta = Array.from({ length: n }, () => 0.6 + 0.8 * r.uniform());
  const load = Array.from({ length: n }, () => 0.5 + 0.7 * r.uniform());
  const idio = Array.from({ length: n }, () => 0.02 + 0.03 * r.uniform());
  const alpha = beta.map((b) => 0.0004 + 0.0004 * b + 0.0003 * r.normal());
  const out = new Float64Array(t * n);
  const s = new Array(sectors);
  for (let day = 0; day < t; day++) {
    const m = 0.035 * r.student();
    for (let k = 0; k < sectors; k++) s[k] = 0.02 * r.student();
    for (let i = 0; i < n; i++) {
      out[day * n + i] = alpha[i] + beta[i] * m + load[i] * s[i % sectors] + idio[i] * r.student();
    }
  }
  return out;
}

/** Annualized sample mean and covariance (n - 1), exactly symmetric. */
export function moments(returns, n, t, periodsPerYear = PERIODS_PER_YEAR) {
  const mean = new Float64Array(n);
  for (let d = 0; d < t; d++) for (let i = 0; i < n; i++) mean[i] += returns[d * n + i];
  for (let i = 0; i < n; i++) mean[i] /= t;
  const centered = new Float64Array(t * n);
  for (let d = 0; d < t; d++) for (let i = 0; i < n; i++) centered[d * n + i] = returns[d * n + i] - mean[i];
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let acc = 0;
      for (let d = 0; d < t; d++) acc += centered[d * n + i] * centered[d * n + j];
      const v = (acc / (t - 1)) * periodsPerYear;
      cov[i * n + j] = v;
      cov[j * n + i] = v;
    }
  }
  return { expectedReturns: Array.from(mean, (m) => m * periodsPerYear), covariance: cov };
}

function nested(flat, n) {
  return Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, (i + 1) * n)));
}

function makeProblem(id, kind, n, points) {
  const returns = simulateReturns(n);
  const { expectedReturns, covariance } = moments(returns, n, T_DAYS);
  return {
    id,
    kind,                 // 'min-variance' | 'frontier'
    n,
    t: T_DAYS,
    points,               // frontier only
    assets: Array.from({ length: n }, (_, i) => `A${String(i + 1).padStart(3, '0')}`),
    expectedReturns,      // number[n], annualized
    covariance,           // Float64Array(n*n), row-major, annualized
    covarianceRows: nested(covariance, n),  // number[n][n]: the form most JS users hold
  };
}

/**
 * The benchmark problems. Min variance: long-only, fully invested (sum w = 1, 0 <= w <= 1).
 * Frontier: the same constraints, `points` portfolios from the minimum-variance portfolio
 * to the maximum-return portfolio at evenly spaced target returns.
 */
export function benchProblems({ sizes = [20, 100, 500], frontierN = 100, frontierPoints = 50 } = {}) {
  const problems = sizes.map((n) => makeProblem(`minvar-${n}`, 'min-variance', n));
  problems.push(makeProblem(`frontier-${frontierN}x${frontierPoints}`, 'frontier', frontierN, frontierPoints));
  return problems;
}

// ---- frontier construction shared by the peers without a frontier function ----------------

/**
 * A `points`-point frontier from QP solves, as a user of a plain QP solver builds it:
 * point 0 is the minimum-variance portfolio; the last point is the maximum-return portfolio
 * (all weight on the asset with the highest expected return: the LP solution, taken
 * directly); the points between solve min variance subject to mu'w >= target at evenly
 * spaced targets between the two portfolios' returns.
 * @param {(p) => ArrayLike<number>} solveMinVariance
 * @param {(p, target: number) => ArrayLike<number>} solveTargetReturn
 */
export function frontierFromQps(p, solveMinVariance, solveTargetReturn) {
  const mu = p.expectedReturns;
  const gmv = solveMinVariance(p);
  const rMin = dot(mu, gmv);
  let best = 0;
  for (let i = 1; i < p.n; i++) if (mu[i] > mu[best]) best = i;
  const top = new Float64Array(p.n);
  top[best] = 1;
  const rMax = mu[best];
  const out = [gmv];
  for (let k = 1; k < p.points - 1; k++) {
    out.push(solveTargetReturn(p, rMin + ((rMax - rMin) * k) / (p.points - 1)));
  }
  out.push(top);
  return out;
}

export function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

// ---- the reference: a KKT-certified solution computed here ---------------------------------
//
// min 1/2 w' S w  subject to  A w = b (budget row, plus mu'w = target on inner frontier
// points), w >= 0. (w <= 1 is implied.) S is positive definite, so the KKT point is the
// unique optimum. For a guessed free set F (w_i > 0), the KKT system
//   S_FF w_F = A_F' y,  A_F w_F = b
// is solved by Cholesky of S_FF and the (1 or 2)-row Schur complement, plus one step of
// iterative refinement. The point is certified when w_F > 0 and every bound multiplier
// z_i = (S w)_i - a_i' y (i not in F) is >= 0: then it satisfies every KKT condition up
// to rounding, whoever proposed F. Wrong guesses are repaired by block pivoting (drop the
// negative w, add the most violated z), falling back to single pivots if a set repeats.

function cholesky(m, f) {
  const l = new Float64Array(f * f);
  for (let j = 0; j < f; j++) {
    let d = m[j * f + j];
    for (let k = 0; k < j; k++) d -= l[j * f + k] * l[j * f + k];
    if (!(d > 0)) throw new Error('reference: covariance block not positive definite');
    const ljj = Math.sqrt(d);
    l[j * f + j] = ljj;
    for (let i = j + 1; i < f; i++) {
      let s = m[i * f + j];
      for (let k = 0; k < j; k++) s -= l[i * f + k] * l[j * f + k];
      l[i * f + j] = s / ljj;
    }
  }
  return l;
}

function cholSolve(l, f, rhs) {
  const x = Float64Array.from(rhs);
  for (let i = 0; i < f; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * f + k] * x[k];
    x[i] = s / l[i * f + i];
  }
  for (let i = f - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < f; k++) s -= l[k * f + i] * x[k];
    x[i] = s / l[i * f + i];
  }
  return x;
}

function solveSmall(m, rhs) {
  if (rhs.length === 1) return [rhs[0] / m[0][0]];
  const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
  return [(rhs[0] * m[1][1] - m[0][1] * rhs[1]) / det, (m[0][0] * rhs[1] - m[1][0] * rhs[0]) / det];
}

function kktOnFreeSet(S, n, rows, b, free) {
  const f = free.length;
  const sff = new Float64Array(f * f);
  for (let a = 0; a < f; a++) for (let c = 0; c < f; c++) sff[a * f + c] = S[free[a] * n + free[c]];
  const l = cholesky(sff, f);
  const aF = rows.map((row) => Float64Array.from(free, (i) => row[i]));
  const x = aF.map((a) => cholSolve(l, f, a));             // S_FF^-1 a_k
  const m = aF.map((ak) => x.map((xj) => dot(ak, xj)));    // A_F S_FF^-1 A_F'
  let y = solveSmall(m, b);
  let wF = new Float64Array(f);
  for (let k = 0; k < y.length; k++) for (let a = 0; a < f; a++) wF[a] += x[k][a] * y[k];
  // One step of iterative refinement of [S_FF -A_F'; A_F 0][w; y] = [0; b].
  const r1 = new Float64Array(f);
  for (let a = 0; a < f; a++) {
    let s = 0;
    for (let c = 0; c < f; c++) s += sff[a * f + c] * wF[c];
    for (let k = 0; k < y.length; k++) s -= aF[k][a] * y[k];
    r1[a] = s;
  }
  const r2 = aF.map((ak, k) => dot(ak, wF) - b[k]);
  const sr1 = cholSolve(l, f, r1);
  const dy = solveSmall(m, r2.map((r, k) => -r + dot(aF[k], sr1)));
  const dw = new Float64Array(f);
  for (let a = 0; a < f; a++) {
    let s = -sr1[a];
    for (let k = 0; k < dy.length; k++) s += x[k][a] * dy[k];
    dw[a] = s;
  }
  wF = wF.map((v, a) => v + dw[a]);
  y = y.map((v, k) => v + dy[k]);
  const w = new Float64Array(n);
  free.forEach((i, a) => { w[i] = wF[a]; });
  return { w, y };
}

/**
 * The KKT-certified optimum of one QP, from a list of candidate weight vectors (any
 * solver's output). Returns { weights, certified, pivots, stationarity, primal }.
 */
export function kktReference(p, candidates, target = null) {
  const n = p.n;
  const S = p.covariance;
  const rows = [new Float64Array(n).fill(1)];
  const b = [1];
  if (target !== null) {
    rows.push(Float64Array.from(p.expectedReturns));
    b.push(target);
  }
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(S[i * n + i]));
  const zTol = 1e-13 * scale;
  const guesses = candidates.filter(Boolean).map((c) => {
    const w = Array.from(c);
    const mx = Math.max(...w);
    return w.map((v, i) => (v > 1e-6 * mx ? i : -1)).filter((i) => i >= 0);
  });
  guesses.push(Array.from({ length: n }, (_, i) => i));
  const found = [];
  for (const guess of guesses) {
    const r = pivot(S, n, rows, b, guess, zTol);
    if (r) found.push(r);
  }
  if (found.length === 0) return { weights: null, certified: false };
  // All certified points are the same optimum; report their spread as a sanity check.
  const ref = found[0];
  let spread = 0;
  for (const r of found) for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(r.w[i] - ref.w[i]));
  return { weights: ref.w, certified: true, pivots: ref.pivots, spread, ...residuals(S, n, rows, b, ref.w) };
}

function pivot(S, n, rows, b, start, zTol) {
  let free = [...start].sort((x, y) => x - y);
  const seen = new Set();
  let single = false;
  for (let it = 0; it < 4 * n + 50; it++) {
    if (free.length < rows.length) return null;
    let sol;
    try {
      sol = kktOnFreeSet(S, n, rows, b, free);
    } catch {
      return null;
    }
    const { w, y } = sol;
    const inFree = new Uint8Array(n);
    for (const i of free) inFree[i] = 1;
    const neg = free.filter((i) => w[i] < 0);
    let worst = -1;
    let worstZ = -zTol;
    for (let i = 0; i < n; i++) {
      if (inFree[i]) continue;
      let g = 0;
      for (let j of free) g += S[i * n + j] * w[j];
      for (let k = 0; k < rows.length; k++) g -= rows[k][i] * y[k];
      if (g < worstZ) {
        worstZ = g;
        worst = i;
      }
    }
    if (neg.length === 0 && worst < 0) return { w, pivots: it };
    const key = free.join(',');
    if (seen.has(key)) single = true;
    seen.add(key);
    if (neg.length > 0) {
      if (single) {
        let k = neg[0];
        for (const i of neg) if (w[i] < w[k]) k = i;
        free = free.filter((i) => i !== k);
      } else {
        free = free.filter((i) => w[i] >= 0);
      }
      if (!single && worst >= 0) free.push(worst);
    } else {
      free.push(worst);
    }
    free.sort((x, y) => x - y);
  }
  return null;
}

function residuals(S, n, rows, b, w) {
  let primal = 0;
  rows.forEach((row, k) => { primal = Math.max(primal, Math.abs(dot(row, w) - b[k])); });
  for (let i = 0; i < n; i++) primal = Math.max(primal, -w[i]);
  return { primal, minWeight: Math.min(...w) };
}

/** Objective 1/2 w'Sw, the quantity every solver minimizes. */
export function halfVariance(p, w) {
  const n = p.n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += p.covariance[i * n + j] * w[j];
    s += w[i] * r;
  }
  return s / 2;
}

// ---- helpers for the adapters ---------------------------------------------------------------

/** The installed version of an npm package, read from its package.json (exports-proof). */
export function packageVersion(name) {
  const req = createRequire(import.meta.url);
  let dir = dirname(req.resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
