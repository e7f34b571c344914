// Ballast's WASM engine through the npm package's own entry point, as a user calls it:
// `const b = await init(); b.optimize(request)`. Two ways of passing the covariance:
//   - nested number arrays (what most JS code holds; the wrapper packs them into a
//     Float64Array blob, and that packing is timed). Peer ratios use this variant.
//   - { data: Float64Array, rows, cols } (no packing). The WASM/native ratio uses this
//     variant, because bench/native_bench.cpp hands dispatch() the same blob.

let loaded = null;
async function loadBallast() {
  if (!loaded) {
    loaded = (async () => {
      let mod;
      try {
        mod = await import('../../bindings/js/index.js');
      } catch (error) {
        const e = new Error(`Ballast package not loadable (is dist/wasm built? npm run build): ${error.message}`);
        e.unavailable = true;
        throw e;
      }
      const b = await mod.init();
      return { b, version: b.version };
    })();
  }
  return loaded;
}

function request(p, typed) {
  return {
    assets: p.assets,
    covariance: typed ? { data: p.covariance, rows: p.n, cols: p.n } : p.covarianceRows,
    expectedReturns: p.expectedReturns,
    objective: { type: 'min-variance' },
    constraints: { bounds: [0, 1] },
  };
}

function minVariance(ctx, p, typed) {
  const r = ctx.b.optimize(request(p, typed));
  if (!String(r.status).startsWith('solved')) throw new Error(`ballast: status ${r.status}`);
  return r.weights;
}

function frontier(ctx, p, typed) {
  const { objective, ...req } = request(p, typed);
  const r = ctx.b.frontier({ ...req, points: p.points });
  return r.points.map((pt) => pt.weights);
}

function adapter(typed) {
  return {
    name: typed ? 'Ballast WASM (Float64Array)' : 'Ballast WASM',
    package: 'ballast',
    ballast: typed ? 'wasm-typed' : 'wasm',
    note: typed
      ? 'this package, covariance passed as { data: Float64Array, rows, cols }'
      : 'this package, covariance passed as nested arrays (packed by the wrapper, timed)',
    async load() {
      return loadBallast();
    },
    minVariance: (ctx, p) => minVariance(ctx, p, typed),
    frontier: (ctx, p) => frontier(ctx, p, typed),
  };
}

export default [adapter(false), adapter(true)];
