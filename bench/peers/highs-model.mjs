// npm highs through its persistent model API with array input (CSR constraint matrix and a
// lower-triangular CSC Hessian), the faster way to hand HiGHS a dense QP from JavaScript.
// Packing the arrays, creating the model, solving and disposing it are all timed.
import { createRequire } from 'node:module';
import { frontierFromQps, packageVersion } from '../problems.mjs';

const require = createRequire(import.meta.url);

function modelData(highs, p, target) {
  const n = p.n;
  const cov = p.covarianceRows;
  const nnz = (n * (n + 1)) / 2;
  const starts = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (let j = 0; j < n; j++) {
    starts[j] = k;
    for (let i = j; i < n; i++) {
      indices[k] = i;
      values[k] = cov[i][j];
      k++;
    }
  }
  starts[n] = k;
  const rows = target === null ? 1 : 2;
  const aStarts = new Int32Array(rows + 1);
  const aIndices = new Int32Array(rows * n);
  const aValues = new Float64Array(rows * n);
  for (let i = 0; i < n; i++) {
    aIndices[i] = i;
    aValues[i] = 1;
  }
  aStarts[1] = n;
  if (rows === 2) {
    for (let i = 0; i < n; i++) {
      aIndices[n + i] = i;
      aValues[n + i] = p.expectedReturns[i];
    }
    aStarts[2] = 2 * n;
  }
  return {
    numCols: n,
    numRows: rows,
    colCost: new Float64Array(n),
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rowLower: rows === 1 ? [1] : [1, target],
    rowUpper: rows === 1 ? [1] : [1, highs.infinity],
    matrix: { format: 'csr', numRows: rows, numCols: n, starts: aStarts, indices: aIndices, values: aValues },
    hessian: { format: 'triangular', dimension: n, starts, indices, values },
  };
}

function solve(highs, p, target) {
  return highs.withModel(modelData(highs, p, target), (model) => {
    model.options.set({ output_flag: false });
    model.run();
    const status = model.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal) throw new Error(`highs: model status ${status}`);
    return model.getSolution().colValue;
  });
}

export default {
  name: 'highs (model arrays)',
  package: 'highs',
  note: 'npm highs, persistent model from typed arrays (CSR rows, triangular Hessian)',
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
