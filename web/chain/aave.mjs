import { parseAbi } from 'viem';
import { tokenCalls, judgeToken } from './balances.mjs';
import { ChainError, failure } from './errors.mjs';
import { aggregate, call, decode, openReader } from './rpc.mjs';
import { toNumber } from './units.mjs';
import { checkAddress } from './validate.mjs';

// Aave v3 Pool reads. getReserveData's tuple is the v3.0 ReserveData layout, which later
// versions keep as ReserveDataLegacy, so the same ABI reads every v3 deployment.
export const aavePoolAbi = parseAbi([
  'struct ReserveData { uint256 configuration; uint128 liquidityIndex; uint128 currentLiquidityRate; uint128 variableBorrowIndex; uint128 currentVariableBorrowRate; uint128 currentStableBorrowRate; uint40 lastUpdateTimestamp; uint16 id; address aTokenAddress; address stableDebtTokenAddress; address variableDebtTokenAddress; address interestRateStrategyAddress; uint128 accruedToTreasury; uint128 unbacked; uint128 isolationModeTotalDebt; }',
  'function getReservesList() view returns (address[])',
  'function getReserveData(address asset) view returns (ReserveData)',
  'function getUserConfiguration(address user) view returns (uint256)',
  'function getUserEMode(address user) view returns (uint256)',
  'function getUserAccountData(address user) view returns (uint256 totalCollateralBase, uint256 totalDebtBase, uint256 availableBorrowsBase, uint256 currentLiquidationThreshold, uint256 ltv, uint256 healthFactor)',
  'function ADDRESSES_PROVIDER() view returns (address)',
  'struct EModeCategory { uint16 ltv; uint16 liquidationThreshold; uint16 liquidationBonus; address priceSource; string label; }',
  'function getEModeCategoryData(uint8 id) view returns (EModeCategory)',
]);
const providerAbi = parseAbi(['function getPriceOracle() view returns (address)']);
const oracleAbi = parseAbi(['function getAssetPrice(address asset) view returns (uint256)', 'function BASE_CURRENCY_UNIT() view returns (uint256)']);
const balanceAbi = parseAbi(['function balanceOf(address) view returns (uint256)']);

const bits = (v, from, width) => Number((v >> BigInt(from)) & ((1n << BigInt(width)) - 1n));
const bit = (v, at) => ((v >> BigInt(at)) & 1n) === 1n;
const BPS = 10_000;
const MAX_UINT256 = (1n << 256n) - 1n;

// ReserveConfiguration.sol bit layout (Aave v3).
export function decodeReserveConfiguration(configuration) {
  const v = BigInt(configuration);
  const bonusBps = bits(v, 32, 16);
  return {
    ltv: bits(v, 0, 16) / BPS,
    liquidationThreshold: bits(v, 16, 16) / BPS,
    liquidationBonus: bonusBps === 0 ? 0 : (bonusBps - BPS) / BPS,  // stored as 10500 = 105 %: the bonus is 5 %
    decimals: bits(v, 48, 8),
    active: bit(v, 56), frozen: bit(v, 57), borrowingEnabled: bit(v, 58), stableBorrowingEnabled: bit(v, 59),
    paused: bit(v, 60), borrowableInIsolation: bit(v, 61), siloedBorrowing: bit(v, 62), flashLoanEnabled: bit(v, 63),
    reserveFactor: bits(v, 64, 16) / BPS,
    borrowCap: bits(v, 80, 36), supplyCap: bits(v, 116, 36),           // whole tokens, 0 = no cap
    liquidationProtocolFee: bits(v, 152, 16) / BPS, eModeCategory: bits(v, 168, 8),
    debtCeiling: bits(v, 212, 40),                                      // 2 decimals of the base currency
  };
}

export async function readAavePositions({ provider, chainId, account, config, pool, timeoutMs } = {}) {
  const who = checkAddress(account, 'account');
  const reader = await openReader({ provider, chainId, config, timeoutMs });
  const poolAddr = checkAddress(pool ?? reader.config.aave?.pool ?? '', 'aave.pool');
  const fail = (message) => new ChainError('aave-error', message, { source: poolAddr });
  const head = [call(aavePoolAbi, poolAddr, 'getReservesList'), call(aavePoolAbi, poolAddr, 'getUserAccountData', [who]),
    call(aavePoolAbi, poolAddr, 'getUserConfiguration', [who]), call(aavePoolAbi, poolAddr, 'getUserEMode', [who]), call(aavePoolAbi, poolAddr, 'ADDRESSES_PROVIDER')];
  const h = (await aggregate(reader, head)).map((r, i) => decode(head[i], r, 'aave'));
  const bad = h.findIndex((x) => !x.ok);
  if (bad >= 0) throw fail(`Pool.${head[bad].functionName}: ${h[bad].message}`);
  const [reserves, acct, userConfig, eMode, addressesProvider] = h.map((x) => x.value);

  const c2 = [...reserves.map((a) => call(aavePoolAbi, poolAddr, 'getReserveData', [a])), call(providerAbi, addressesProvider, 'getPriceOracle')];
  const r2 = (await aggregate(reader, c2)).map((r, i) => decode(c2[i], r, 'aave'));
  const oracleRes = r2.pop();
  const data = r2.map((d, i) => { if (!d.ok) throw fail(`getReserveData(${reserves[i]}): ${d.message}`); return d.value; });

  // Balances of every aToken / debt token, the underlying's decimals and symbol, and the oracle price.
  const perReserve = reserves.map((asset, i) => [
    call(balanceAbi, data[i].aTokenAddress, 'balanceOf', [who]),
    call(balanceAbi, data[i].variableDebtTokenAddress, 'balanceOf', [who]),
    call(balanceAbi, data[i].stableDebtTokenAddress, 'balanceOf', [who]),
    ...tokenCalls(asset, who),
    ...(oracleRes.ok ? [call(oracleAbi, oracleRes.value, 'getAssetPrice', [asset])] : []),
  ]);
  const width = perReserve[0]?.length ?? 0;
  const flat = perReserve.flat();
  const r3 = await aggregate(reader, flat);

  const out = { type: 'lending', protocol: 'aave-v3', chainId: reader.chainId, market: poolAddr, account: who,
    blockNumber: reader.blockNumber.toString(), complete: true, failures: [], eModeCategory: Number(eMode), supplies: [], borrows: [], reserves: [] };
  if (!oracleRes.ok) out.failures.push(failure('aave-error', 'The Aave price oracle could not be read; the health factor is not cross-checked.', addressesProvider));
  reserves.forEach((asset, i) => {
    const cs = flat.slice(i * width, (i + 1) * width), rs = r3.slice(i * width, (i + 1) * width);
    const d = data[i];
    const cfg = decodeReserveConfiguration(d.configuration);
    const underlying = judgeToken({ address: asset, decimals: cfg.decimals }, cs.slice(3, 7), rs.slice(3, 7));
    if (!underlying.token) { out.failures.push({ ...underlying.failure, message: `Aave reserve: ${underlying.failure.message}` }); return; }
    const [aBal, vBal, sBal] = [0, 1, 2].map((k) => decode(cs[k], rs[k], 'aave'));
    if (!aBal.ok || !vBal.ok) { out.failures.push(failure('aave-error', `The aToken or debt token of ${underlying.token.symbol} could not be read.`, asset, { asset: underlying.token.symbol })); return; }
    const price = oracleRes.ok ? decode(cs[7], rs[7], 'aave') : { ok: false };
    const { symbol, decimals } = underlying.token;
    const id = Number(d.id);
    const usageAsCollateral = bit(BigInt(userConfig), 2 * id + 1);
    const reserve = { asset: symbol, token: asset, decimals, id, aToken: d.aTokenAddress, variableDebtToken: d.variableDebtTokenAddress,
      stableDebtToken: d.stableDebtTokenAddress, oraclePriceBase: price.ok ? price.value.toString() : null, ...cfg };
    out.reserves.push(reserve);
    const common = { asset: symbol, token: asset, decimals, oraclePriceBase: reserve.oraclePriceBase };
    if (aBal.value > 0n) out.supplies.push({ ...common, aToken: d.aTokenAddress, raw: aBal.value.toString(), amount: toNumber(aBal.value, decimals),
      usageAsCollateral, emodeCategory: cfg.eModeCategory, ltv: cfg.ltv, liquidationThreshold: cfg.liquidationThreshold, liquidationBonus: cfg.liquidationBonus });
    if (vBal.value > 0n) out.borrows.push({ ...common, debtToken: d.variableDebtTokenAddress, raw: vBal.value.toString(), amount: toNumber(vBal.value, decimals), rateMode: 'variable', emodeCategory: cfg.eModeCategory });
    if (sBal.ok && sBal.value > 0n) out.borrows.push({ ...common, debtToken: d.stableDebtTokenAddress, raw: sBal.value.toString(), amount: toNumber(sBal.value, decimals), rateMode: 'stable', emodeCategory: cfg.eModeCategory });
  });
  if (out.eModeCategory !== 0) {
    const ec = call(aavePoolAbi, poolAddr, 'getEModeCategoryData', [out.eModeCategory]);
    const e = decode(ec, (await aggregate(reader, [ec]))[0], 'aave');
    if (e.ok) out.emode = { category: out.eModeCategory, ltv: e.value.ltv / BPS, liquidationThreshold: e.value.liquidationThreshold / BPS,
      liquidationBonus: e.value.liquidationBonus === 0 ? 0 : (e.value.liquidationBonus - BPS) / BPS };
    else out.failures.push(failure('aave-error', `getEModeCategoryData(${out.eModeCategory}): ${e.message}`, poolAddr));
  }
  const [totalCollateralBase, totalDebtBase, availableBorrowsBase, lt, ltv, hf] = acct;
  out.accountData = { totalCollateralBase: totalCollateralBase.toString(), totalDebtBase: totalDebtBase.toString(),
    availableBorrowsBase: availableBorrowsBase.toString(), currentLiquidationThreshold: Number(lt) / BPS, ltv: Number(ltv) / BPS,
    healthFactor: hf === MAX_UINT256 || totalDebtBase === 0n ? null : Number(hf) / 1e18, healthFactorRaw: hf.toString() };
  out.healthFactorFromBalances = healthFactorFromBalances(out);
  out.complete = out.failures.length === 0;
  return out;
}

// Independent of getUserAccountData: Σ collateral · price · liquidationThreshold / Σ debt · price,
// from the balances and oracle prices read above (eMode categories would override the
// thresholds: then null, as this reader does not read eMode parameters).
export function healthFactorFromBalances(position) {
  if (position.eModeCategory !== 0) return null;
  let collateral = 0, debt = 0;
  for (const s of position.supplies) {
    if (s.oraclePriceBase === null) return null;
    if (s.usageAsCollateral && s.liquidationThreshold > 0) collateral += s.amount * Number(s.oraclePriceBase) * s.liquidationThreshold;
  }
  for (const b of position.borrows) {
    if (b.oraclePriceBase === null) return null;
    debt += b.amount * Number(b.oraclePriceBase);
  }
  return debt === 0 ? null : collateral / debt;
}
