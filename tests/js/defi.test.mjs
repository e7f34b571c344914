// DeFi positions through the npm package: analyze, strategy and the optimizer's DeFi rows.
// References: Uniswap v3 amounts to the last unit from tests/fixtures/defi/uniswap_v3_reference.py
// (Python integers), hand-worked Aave health factors and look-through sums, the carry sizing
// formula, the health-factor-after-shock row checked at the optimizer's solution; and the
// native build (ballast-native) agreeing with WASM to 1e-12.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { BallastError, init } from 'ballast';
import { assertClose, nativeCli, runNative } from '../support/native.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}bindings/js/cli.js`;

const market = {
  prices: { ETH: 2000, USDC: 0.9995, BTC: 60000 },
  tokens: {
    wstETH: { underlying: 'ETH', exchangeRate: 1.2, protocol: 'lido' },
    WETH: { underlying: 'ETH' },
    USDC: { stablecoin: true, protocol: 'circle' },
  },
  vols: { BTC: 0.55 },
};

const aave = {
  type: 'aave-v3',
  supplies: [{ asset: 'wstETH', amount: 10, ltv: 0.785, liquidationThreshold: 0.81, liquidationBonus: 0.06 }],
  borrows: [{ asset: 'USDC', amount: 10000 }],
};
// Python-integer reference case (uniswap_v3_reference.py, seed 20261201, row 4).
const v3 = {
  type: 'uniswap-v3', token0: 'USDC', token1: 'WETH', decimals0: 6, decimals1: 18,
  liquidity: '124055182062836771820273326639815742927', tickLower: 366230, tickUpper: 418039,
  sqrtPriceX96: '52928926740297746516226957295543447130',
};
const book = () => ({
  ...market,
  shock: { ETH: -0.3 },
  positions: [
    { type: 'spot', asset: 'wstETH', amount: 5 },
    aave,
    { type: 'uniswap-v3', token0: 'USDC', token1: 'WETH', decimals0: 6, decimals1: 18, liquidity: '2000000000000000000',
      tickLower: 200000, tickUpper: 203000, tick: 201500, feeApr: 0.2, breakEvenMove: -0.2, horizonDays: 30, entryPrice: 0.0005 },
    { type: 'uniswap-v2', token0: 'USDC', token1: 'WETH', reserve0: 35754367.504419, reserve1: 19052.805517153094,
      lpAmount: 0.01, lpSupply: 0.3826902917571699, entryPrice0: 1, entryPrice1: 1700 },
    { type: 'perp', protocol: 'hyperliquid', chain: 'hyperliquid', asset: 'ETH', size: -5, entryPrice: 2000, margin: 2000,
      maintenanceMarginRatio: 0.0125, fundingRate: 0.00001 },
    { type: 'perp', protocol: 'hyperliquid', chain: 'hyperliquid', asset: 'BTC', size: 0.1, entryPrice: 58000, margin: 1000,
      maintenanceMarginRatio: 0.01, marginMode: 'cross' },
    { type: 'future', protocol: 'deribit', chain: 'offchain', asset: 'BTC', size: -0.1, entryPrice: 61000, expiryYears: 0.2, markPrice: 61500 },
    { type: 'option', protocol: 'deribit', chain: 'offchain', asset: 'BTC', kind: 'call', strike: 70000, expiryYears: 0.25, quantity: 2 },
  ],
});

let b;
before(async () => {
  b = await init();
});

describe('analyze', () => {
  test('look-through exposure and hand-worked Aave figures', () => {
    const r = b.analyze({ ...market, positions: [{ type: 'spot', asset: 'wstETH', amount: 5 }, aave] });
    // 5 wstETH = 6 ETH = 12,000 USD; 10 wstETH supplied = 24,000 USD at Aave and at Lido.
    assert.equal(r.portfolio.protocols.lido, 36000);
    assert.equal(r.portfolio.protocols['aave-v3'], 24000);
    assert.deepEqual(r.positions[1].protocols, ['aave-v3', 'lido']);
    assert.equal(r.portfolio.exposures.ETH.units, 18);
    assert.equal(r.portfolio.exposures.USDC.units, -10000);
    const hf = (24000 * 0.81) / 9995;
    assert.ok(Math.abs(r.positions[1].details.healthFactor - hf) < 1e-15);
    assert.ok(Math.abs(r.portfolio.lowestHealthFactor.value - hf) < 1e-15);
    assert.ok(Math.abs(r.portfolio.nearestLiquidation.priceUsd - 9995 / (12 * 0.81)) < 1e-12);
    assert.equal(r.portfolio.equityAfterShockUsd, null);
  });

  test('Uniswap v3 amounts exact to the last unit (Python integers)', () => {
    const r = b.analyze({ ...market, positions: [v3] });
    assert.equal(r.positions[0].details.amount0Raw, '81830992512702600485542800054');
    assert.equal(r.positions[0].details.amount1Raw, '71763712921694826957241970824450609728836883660');
    assert.equal(r.positions[0].details.inRange, true);
  });

  test('every position type, with a shock', () => {
    const r = b.analyze(book());
    assert.equal(r.positions.length, 8);
    assert.deepEqual(r.positions.map((p) => p.type), ['spot', 'aave-v3', 'uniswap-v3', 'uniswap-v2', 'perp', 'perp', 'future', 'option']);
    assert.ok(r.positions[1].details.healthFactorAfterShock < r.positions[1].details.healthFactor);
    assert.ok(Number.isFinite(r.portfolio.equityAfterShockUsd));
    assert.ok(r.positions[7].vegaPerVolPoint > 0);
    // v2 IL against the deposit at 1700: 2 sqrt(r)/(1+r) - 1 with r = pool move (fees ignored).
    const il = r.positions[3].details.impermanentLoss;
    const ratio = 2000 / 0.9995 / 1700;
    assert.ok(Math.abs(il - (2 * Math.sqrt(ratio) / (1 + ratio) - 1)) < 1e-12);
    for (const p of r.positions) assert.ok(Number.isFinite(p.valueUsd), `${p.id} value`);
  });

  const bad = [
    ['negative liquidity', { ...v3, liquidity: '-5' }, 'positions[0].liquidity', 'invalid-value'],
    ['tick range reversed', { ...v3, tickLower: 418039, tickUpper: 366230 }, 'positions[0].tickLower', 'invalid-value'],
    ['unknown asset', { type: 'spot', asset: 'DOGE', amount: 1 }, 'positions[0].asset', 'unknown-value'],
    ['missing price of an underlying', { ...aave, borrows: [{ asset: 'DAI', amount: 1 }] }, 'positions[0].borrows[0].asset', 'unknown-value'],
    ['unknown position type', { type: 'vault', asset: 'ETH' }, 'positions[0].type', 'unknown-value'],
    ['unknown key', { type: 'spot', asset: 'ETH', amount: 1, leverage: 2 }, 'positions[0].leverage', 'unknown-key'],
    ['ltv above the threshold', { ...aave, supplies: [{ ...aave.supplies[0], ltv: 0.9 }] }, 'positions[0].supplies[0].ltv', 'invalid-value'],
    ['perp without size', { type: 'perp', asset: 'ETH', size: 0, entryPrice: 1, margin: 1, maintenanceMarginRatio: 0.01 }, 'positions[0].size', 'invalid-value'],
    ['option without a vol', { type: 'option', asset: 'ETH', kind: 'put', strike: 1, expiryYears: 1, quantity: 1 }, 'positions[0].vol', 'missing-field'],
  ];
  for (const [name, position, field, code] of bad) {
    test(`refused: ${name}`, () => {
      assert.throws(() => b.analyze({ ...market, positions: [position] }), (e) => {
        assert.ok(e instanceof BallastError);
        assert.equal(e.field, field, e.message);
        assert.equal(e.code, code);
        return true;
      });
    });
  }
  test('refused: a tracked token priced directly, no positions, no prices', () => {
    assert.throws(() => b.analyze({ ...market, prices: { ...market.prices, wstETH: 2400 }, positions: [aave] }), { field: 'prices.wstETH' });
    assert.throws(() => b.analyze({ ...market, positions: [] }), { field: 'positions' });
    assert.throws(() => b.analyze({ positions: [aave] }), { field: 'prices' });
  });
});

describe('strategy', () => {
  test('delta-neutral carry: the short liquidates at P (1 + shock)(1 + buffer)', () => {
    const r = b.strategy({ ...market, name: 'delta-neutral-carry', asset: 'wstETH', capitalUsd: 100000, priceShock: 0.5,
      buffer: 0.1, maintenanceMarginRatio: 0.0125, fundingRate: 0.0000125, stakingApr: 0.03 });
    assert.ok(Math.abs(r.summary.liquidationPrice - 3300) < 1e-9);
    assert.ok(Math.abs(r.analysis.portfolio.exposures.ETH.units) < 1e-9);
    const again = b.analyze({ ...market, positions: r.positions });  // the positions round-trip
    assert.deepEqual(again.portfolio, r.analysis.portfolio);
  });
  test('basis trade and delta-hedged LP', () => {
    const basis = b.strategy({ ...market, name: 'basis-trade', asset: 'BTC', capitalUsd: 66300, futurePrice: 63000, expiryYears: 0.25, feesBps: 10 });
    assert.ok(Math.abs(basis.summary.annualizedBasis - 0.2) < 1e-12);
    const lp = b.strategy({ ...market, name: 'delta-hedged-lp', lp: { ...v3, tickLower: 200000, tickUpper: 203000, sqrtPriceX96: undefined, tick: 201500 },
      marginUsd: 20000, maintenanceMarginRatio: 0.01 });
    assert.ok(Math.abs(lp.analysis.portfolio.exposures.ETH.units) < 1e-9);
    assert.throws(() => b.strategy({ ...market, name: 'delta-hedged-lp', lp: { ...v3, tickLower: 1, tickUpper: 0 }, marginUsd: 1, maintenanceMarginRatio: 0.01 }),
      { field: 'lp.tickLower' });
    assert.throws(() => b.strategy({ ...market, name: 'moon' }), { field: 'name', code: 'unknown-value' });
  });
});

describe('optimize with DeFi rows', () => {
  // Assets: wstETH supplied on Aave (collateral, LT 0.81), USDC borrowed on Aave (a debt:
  // weight <= 0, its expected return is the borrow rate), BTC on another chain.
  const request = (defi) => ({
    assets: ['wstETH-aave', 'USDC-debt', 'BTC'],
    covariance: [[0.5, 0, 0.25], [0, 0.0001, 0], [0.25, 0, 0.6]],
    expectedReturns: [0.3, 0.05, 0.2],
    objective: { type: 'max-utility', riskAversion: 0.2 },
    constraints: { bounds: [[0, 5], [-4, 0], [0, 1]], defi },
  });
  const assets = {
    'wstETH-aave': { protocols: ['aave-v3', 'lido'], liquidationThreshold: 0.81, underlying: 'ETH' },
    'USDC-debt': { protocols: ['aave-v3'], borrowed: true },
    BTC: { chain: 'bitcoin' },
  };
  test('the health factor after a 30% ETH drop stays >= 1.5 and binds', () => {
    const free = b.optimize(request({ assets }));
    const floor = b.optimize(request({ assets, healthFactorFloor: { min: 1.5, shock: { ETH: -0.3 } } }));
    assert.equal(floor.status, 'solved');
    const [c, d] = floor.weights;
    const hf = (0.81 * 0.7 * c) / -d;
    assert.ok(Math.abs(hf - 1.5) < 1e-9, `hf ${hf}`);
    assert.ok(floor.binding.includes('constraints.linear[0].min'));
    const hfFree = (0.81 * 0.7 * free.weights[0]) / -free.weights[1];
    assert.ok(hfFree < 1.5, `the floor should bind: free HF ${hfFree}`);
  });
  test('protocol caps with look-through and a leverage cap; infeasibility names the row', () => {
    const r = b.optimize(request({ assets, protocolCaps: { lido: 1.2 }, maxLeverage: 1.6 }));
    assert.ok(r.weights[0] <= 1.2 + 1e-9 && r.weights[0] + r.weights[2] <= 1.6 + 1e-9);
    const bad = b.optimize(request({ assets, protocolCaps: { lido: 0 }, chainCaps: { bitcoin: 0 } }));
    assert.equal(bad.status, 'infeasible');
    assert.ok(bad.infeasible.some((x) => /^constraints\.linear\[\d\]\.max$/.test(x.field) && /'protocol lido'|'chain bitcoin'/.test(x.message)), JSON.stringify(bad.infeasible));
    assert.throws(() => b.optimize(request({ assets: { ...assets, 'USDC-debt': { borrowed: true } }, maxLeverage: 1 , protocolCaps: { compound: 1 } })),
      { field: 'constraints.defi.protocolCaps.compound' });
    const longDebt = request({ assets });
    longDebt.constraints.bounds = [0, 1];
    assert.throws(() => b.optimize(longDebt), { field: 'constraints.defi.assets.USDC-debt.borrowed' });
  });
});

describe('WASM and native agree to 1e-12', () => {
  test('analyze and strategy', { skip: !existsSync(nativeCli) && 'no native CLI (npm run build)' }, () => {
    assertClose(b.analyze(book()), runNative('analyze', book()));
    const carry = { ...market, name: 'delta-neutral-carry', asset: 'wstETH', capitalUsd: 1e5, priceShock: 0.4, maintenanceMarginRatio: 0.02 };
    assertClose(b.strategy(carry), runNative('strategy', carry));
  });
});

test('CLI: analyze prints the result; a bad position exits 2 naming the field', () => {
  const ok = spawnSync(process.execPath, [cli, 'analyze', '-'], { input: JSON.stringify(book()), encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).positions.length, 8);
  const bad = spawnSync(process.execPath, [cli, 'analyze', '-'], { input: JSON.stringify({ ...market, positions: [{ ...v3, tickLower: 1, tickUpper: 0 }] }), encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(JSON.parse(bad.stdout).error.field, 'positions[0].tickLower');
});
