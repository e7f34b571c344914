// npm portfolio-allocation: globalMinimumVarianceWeights (long-only, fully invested) and
// meanVarianceEfficientFrontierPortfolios with discretizationType 'return' (evenly spaced
// target returns from the minimum-variance to the maximum-return portfolio), both with the
// library's default method selection ('automatic': Markowitz's critical line algorithm,
// falling back to GSMO when its first KKT system is singular).
import { createRequire } from 'node:module';

import { packageVersion } from '../problems.mjs';

const require = createRequire(import.meta.url);

export default {
  name: 'portfolio-allocation',
  package: 'portfolio-allocation',
  note: 'npm portfolio-allocation (critical line algorithm, JS)',
  async load() {
    return { pa: require('portfolio-allocation'), version: packageVersion('portfolio-allocation') };
  },
  minVariance(ctx, p) {
    return ctx.pa.globalMinimumVarianceWeights(p.covarianceRows);
  },
  frontier(ctx, p) {
    const pts = ctx.pa.meanVarianceEfficientFrontierPortfolios(p.expectedReturns, p.covarianceRows, {
      nbPortfolios: p.points,
      discretizationType: 'return',
    });
    return pts.map(([weights]) => weights);
  },
};
