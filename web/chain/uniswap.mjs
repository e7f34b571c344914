import { parseAbi } from 'viem';
import { judgeToken, tokenCalls } from './balances.mjs';
import { ChainError, failure } from './errors.mjs';
import { aggregate, call, decode, openReader } from './rpc.mjs';
import { toNumber } from './units.mjs';
import { checkAddress } from './validate.mjs';

export const positionManagerAbi = parseAbi([
  'function balanceOf(address owner) view returns (uint256)',
  'function tokenOfOwnerByIndex(address owner, uint256 index) view returns (uint256)',
  'function positions(uint256 tokenId) view returns (uint96 nonce, address operator, address token0, address token1, uint24 fee, int24 tickLower, int24 tickUpper, uint128 liquidity, uint256 feeGrowthInside0LastX128, uint256 feeGrowthInside1LastX128, uint128 tokensOwed0, uint128 tokensOwed1)',
]);
const factoryAbi = parseAbi(['function getPool(address tokenA, address tokenB, uint24 fee) view returns (address)']);
export const poolAbi = parseAbi([
  'function slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16 observationIndex, uint16 observationCardinality, uint16 observationCardinalityNext, uint8 feeProtocol, bool unlocked)',
  'function feeGrowthGlobal0X128() view returns (uint256)',
  'function feeGrowthGlobal1X128() view returns (uint256)',
  'function ticks(int24 tick) view returns (uint128 liquidityGross, int128 liquidityNet, uint256 feeGrowthOutside0X128, uint256 feeGrowthOutside1X128, int56 tickCumulativeOutside, uint160 secondsPerLiquidityOutsideX128, uint32 secondsOutside, bool initialized)',
]);

export const MAX_POSITIONS = 500;
const Q96 = 1n << 96n;
const MIN_TICK = -887272, MAX_TICK = 887272;

// TickMath.getSqrtRatioAtTick (Uniswap v3-core), exactly, in BigInt.
const TICK_FACTORS = [
  0xfff97272373d413259a46990580e213an, 0xfff2e50f5f656932ef12357cf3c7fdccn, 0xffe5caca7e10e4e61c3624eaa0941cd0n,
  0xffcb9843d60f6159c9db58835c926644n, 0xff973b41fa98c081472e6896dfb254c0n, 0xff2ea16466c96a3843ec78b326b52861n,
  0xfe5dee046a99a2a811c461f1969c3053n, 0xfcbe86c7900a88aedcffc83b479aa3a4n, 0xf987a7253ac413176f2b074cf7815e54n,
  0xf3392b0822b70005940c7a398e4b70f3n, 0xe7159475a2c29b7443b29c7fa6e889d9n, 0xd097f3bdfd2022b8845ad8f792aa5825n,
  0xa9f746462d870fdf8a65dc1f90e061e5n, 0x70d869a156d2a1b890bb3df62baf32f7n, 0x31be135f97d08fd981231505542fcfa6n,
  0x9aa508b5b7a84e1c677de54f3e99bc9n, 0x5d6af8dedb81196699c329225ee604n, 0x2216e584f5fa1ea926041bedfe98n,
  0x48a170391f7dc42444e8fa2n,
];
export function getSqrtRatioAtTick(tick) {
  if (!Number.isInteger(tick) || tick < MIN_TICK || tick > MAX_TICK) throw new ChainError('uniswap-error', `Tick ${tick} is outside the v3 range.`, { field: 'tick' });
  const abs = BigInt(Math.abs(tick));
  let ratio = abs & 1n ? 0xfffcb933bd6fad37aa2d162d1a594001n : 0x100000000000000000000000000000000n;
  TICK_FACTORS.forEach((f, i) => { if (abs & (1n << BigInt(i + 1))) ratio = (ratio * f) >> 128n; });
  if (tick > 0) ratio = ((1n << 256n) - 1n) / ratio;
  return (ratio >> 32n) + (ratio % (1n << 32n) === 0n ? 0n : 1n);
}

// SqrtPriceMath.getAmount{0,1}Delta rounded down: what burning the liquidity pays out.
const amount0Delta = (a, b, L) => (a > b ? amount0Delta(b, a, L) : ((L << 96n) * (b - a) / b) / a);
const amount1Delta = (a, b, L) => (a > b ? amount1Delta(b, a, L) : (L * (b - a)) / Q96);

// Token amounts of a position (the v3 whitepaper's formulas, eq. 6.29/6.30), chosen by the
// pool's current tick as Pool._modifyPosition does.
export function positionAmounts({ liquidity, sqrtPriceX96, tick, tickLower, tickUpper }) {
  const L = BigInt(liquidity), P = BigInt(sqrtPriceX96);
  const A = getSqrtRatioAtTick(tickLower), B = getSqrtRatioAtTick(tickUpper);
  if (tick < tickLower) return { amount0: amount0Delta(A, B, L), amount1: 0n };
  if (tick < tickUpper) return { amount0: amount0Delta(P, B, L), amount1: amount1Delta(A, P, L) };
  return { amount0: 0n, amount1: amount1Delta(A, B, L) };
}

const U256 = 1n << 256n, U128 = 1n << 128n;
const sub256 = (a, b) => (((a - b) % U256) + U256) % U256;   // Solidity's wrapping uint256 subtraction

// Uncollected fees of a position as NonfungiblePositionManager.collect would pay them:
// tokensOwed plus liquidity x (feeGrowthInside now - feeGrowthInsideLast) / 2^128, with
// feeGrowthInside from the pool's global growth and the range ticks' outside growth
// (Tick.getFeeGrowthInside), all in wrapping uint256 arithmetic.
export function uncollectedFees({ liquidity, tick, tickLower, tickUpper, feeGrowthGlobalX128, lowerOutsideX128, upperOutsideX128, feeGrowthInsideLastX128, tokensOwed }) {
  const g = BigInt(feeGrowthGlobalX128), lo = BigInt(lowerOutsideX128), hi = BigInt(upperOutsideX128);
  const below = tick >= tickLower ? lo : sub256(g, lo);
  const above = tick < tickUpper ? hi : sub256(g, hi);
  const inside = sub256(sub256(g, below), above);
  const accrued = (sub256(inside, BigInt(feeGrowthInsideLastX128)) * BigInt(liquidity)) / U128;
  return (BigInt(tokensOwed) + accrued) % U128;                 // the NPM stores tokensOwed as uint128
}

// Human price of token0 in token1 from sqrtPriceX96 (float, for display and the engine).
export function price1Per0(sqrtPriceX96, decimals0, decimals1) {
  const s = Number(BigInt(sqrtPriceX96)) / 2 ** 96;
  return s * s * 10 ** (decimals0 - decimals1);
}

export async function readUniswapV3Positions({ provider, chainId, account, config, positionManager, factory, timeoutMs } = {}) {
  const who = checkAddress(account, 'account');
  const reader = await openReader({ provider, chainId, config, timeoutMs });
  const npm = checkAddress(positionManager ?? reader.config.uniswap?.positionManager ?? '', 'uniswap.positionManager');
  const fac = checkAddress(factory ?? reader.config.uniswap?.factory ?? '', 'uniswap.factory');
  const fail = (message) => new ChainError('uniswap-error', message, { source: npm });

  const balC = call(positionManagerAbi, npm, 'balanceOf', [who]);
  const bal = decode(balC, (await aggregate(reader, [balC]))[0], 'uniswap');
  if (!bal.ok) throw fail(`NonfungiblePositionManager.balanceOf: ${bal.message}`);
  const out = { chainId: reader.chainId, account: who, blockNumber: reader.blockNumber.toString(), positionManager: npm, complete: true, positions: [], failures: [] };
  const n = Number(bal.value > BigInt(MAX_POSITIONS) ? BigInt(MAX_POSITIONS) : bal.value);
  if (bal.value > BigInt(MAX_POSITIONS)) out.failures.push(failure('uniswap-error', `The account holds ${bal.value} positions; only the first ${MAX_POSITIONS} are read.`, npm));
  if (n === 0) return out;

  const idC = Array.from({ length: n }, (_, i) => call(positionManagerAbi, npm, 'tokenOfOwnerByIndex', [who, BigInt(i)]));
  const ids = (await aggregate(reader, idC)).map((r, i) => decode(idC[i], r, 'uniswap'));
  if (ids.some((x) => !x.ok)) throw fail('tokenOfOwnerByIndex failed.');
  const posC = ids.map((x) => call(positionManagerAbi, npm, 'positions', [x.value]));
  const pos = (await aggregate(reader, posC)).map((r, i) => decode(posC[i], r, 'uniswap'));

  const good = [];
  pos.forEach((p, i) => { if (p.ok) good.push({ tokenId: ids[i].value, p: p.value }); else out.failures.push(failure('uniswap-error', `positions(${ids[i].value}): ${p.message}`, npm, { tokenId: ids[i].value.toString() })); });
  const poolKey = ({ p }) => `${p[2]}-${p[3]}-${p[4]}`;
  const keys = [...new Set(good.map(poolKey))];
  const tokens = [...new Set(good.flatMap(({ p }) => [p[2], p[3]]))];
  const c3 = [...keys.map((k) => { const [a, b, fee] = k.split('-'); return call(factoryAbi, fac, 'getPool', [a, b, Number(fee)]); }),
    ...tokens.flatMap((t) => tokenCalls(t, who))];
  const r3 = await aggregate(reader, c3);
  const pools = {}, meta = {};
  keys.forEach((k, i) => { const d = decode(c3[i], r3[i], 'uniswap'); pools[k] = d.ok && !/^0x0{40}$/i.test(d.value) ? d.value : null; });
  tokens.forEach((t, i) => {
    const at = keys.length + 4 * i;
    const j = judgeToken({ address: t }, c3.slice(at, at + 4), r3.slice(at, at + 4));
    meta[t] = j.token ? { address: t, symbol: j.token.symbol, decimals: j.token.decimals } : null;
    if (!j.token) out.failures.push(j.failure);
  });
  const poolList = [...new Set(Object.values(pools).filter(Boolean))];
  const c4 = poolList.flatMap((a) => [call(poolAbi, a, 'slot0'), call(poolAbi, a, 'feeGrowthGlobal0X128'), call(poolAbi, a, 'feeGrowthGlobal1X128')]);
  const tickKeys = [...new Set(good.flatMap(({ p }) => { const pool = pools[poolKey({ p })]; return pool ? [`${pool}:${p[5]}`, `${pool}:${p[6]}`] : []; }))];
  const c5 = tickKeys.map((k) => { const [a, t] = k.split(':'); return call(poolAbi, a, 'ticks', [Number(t)]); });
  const [r4, r5] = await Promise.all([aggregate(reader, c4), aggregate(reader, c5)]);
  const slot0 = {}, growth = {}, ticks = {};
  poolList.forEach((a, i) => {
    const [s0, g0, g1] = [0, 1, 2].map((k) => decode(c4[3 * i + k], r4[3 * i + k], 'uniswap'));
    slot0[a] = s0.ok ? s0.value : null;
    growth[a] = g0.ok && g1.ok ? [g0.value, g1.value] : null;
  });
  tickKeys.forEach((k, i) => { const d = decode(c5[i], r5[i], 'uniswap'); ticks[k] = d.ok ? d.value : null; });

  for (const { tokenId, p } of good) {
    const [, , token0, token1, fee, tickLower, tickUpper, liquidity, last0, last1, owed0, owed1] = p;
    const pool = pools[poolKey({ p })];
    const s0 = pool && slot0[pool];
    const id = tokenId.toString();
    if (!pool || !s0) { out.failures.push(failure('uniswap-error', `The pool of position ${id} could not be read.`, pool ?? fac, { tokenId: id })); continue; }
    if (!meta[token0] || !meta[token1]) { out.failures.push(failure('token-bad-data', `A token of position ${id} could not be read.`, !meta[token0] ? token0 : token1, { tokenId: id })); continue; }
    const [sqrtPriceX96, tick] = s0;
    const { amount0, amount1 } = positionAmounts({ liquidity, sqrtPriceX96, tick, tickLower, tickUpper });
    const d0 = meta[token0].decimals, d1 = meta[token1].decimals;
    const lo = ticks[`${pool}:${tickLower}`], hi = ticks[`${pool}:${tickUpper}`], g = growth[pool];
    let fees0 = null, fees1 = null;
    if (lo && hi && g) {
      const common = { liquidity, tick, tickLower, tickUpper };
      fees0 = uncollectedFees({ ...common, feeGrowthGlobalX128: g[0], lowerOutsideX128: lo[2], upperOutsideX128: hi[2], feeGrowthInsideLastX128: last0, tokensOwed: owed0 });
      fees1 = uncollectedFees({ ...common, feeGrowthGlobalX128: g[1], lowerOutsideX128: lo[3], upperOutsideX128: hi[3], feeGrowthInsideLastX128: last1, tokensOwed: owed1 });
    } else out.failures.push(failure('uniswap-error', `The fee growth of position ${id} could not be read; its uncollected fees are unknown.`, pool, { tokenId: id }));
    out.positions.push({ type: 'uniswap-v3', protocol: 'uniswap-v3', chainId: reader.chainId, tokenId: id, pool, fee: Number(fee),
      token0: meta[token0], token1: meta[token1], tickLower, tickUpper, tick, sqrtPriceX96: sqrtPriceX96.toString(), liquidity: liquidity.toString(),
      amount0Raw: amount0.toString(), amount1Raw: amount1.toString(), amount0: toNumber(amount0, d0), amount1: toNumber(amount1, d1),
      tokensOwed0: owed0.toString(), tokensOwed1: owed1.toString(),
      fees0Raw: fees0?.toString() ?? null, fees1Raw: fees1?.toString() ?? null,
      fees0: fees0 === null ? null : toNumber(fees0, d0), fees1: fees1 === null ? null : toNumber(fees1, d1),
      price1Per0: price1Per0(sqrtPriceX96, d0, d1),
      inRange: tick >= tickLower && tick < tickUpper });
  }
  out.complete = out.failures.length === 0;
  return out;
}
