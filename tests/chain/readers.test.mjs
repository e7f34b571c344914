// The chain readers (web/chain) against a real anvil node with real contracts: ERC-20s,
// Chainlink MockV3Aggregator feeds, Multicall3, Uniswap v3 and Aave v3 from their npm
// artifacts (tests/chain/fixture.mjs). No chain call is mocked; the only fakes are wallet
// front-ends (an EIP-1193 object that forwards to anvil), which is what a wallet extension is.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createPublicClient, custom, parseAbi, parseUnits } from 'viem';
import * as chain from '../../web/chain/index.mjs';
import { artifact, compileContracts } from './compile.mjs';
import { freePort } from './node.mjs';
import { HTML_SYMBOL, startChainFixture } from './fixture.mjs';

let fx, rpc;
before(async () => { fx = await startChainFixture(); rpc = chain.httpProvider(fx.rpcUrl); }, { timeout: 180_000 });
after(async () => { await fx?.stop(); });

const rejectsWith = async (promise, code, check = () => {}) => {
  await assert.rejects(promise, (e) => {
    assert.ok(chain.isChainError(e), `expected a ChainError, got ${e?.stack ?? e}`);
    assert.equal(e.code, code, e.message);
    check(e);
    return true;
  });
};
const read = (extra = {}) => ({ provider: rpc, chainId: 31337, config: fx.config, account: fx.user, ...extra });

describe('balances', () => {
  test('native and every ERC-20 with its own decimals, in one consistent block', async () => {
    const b = await chain.readBalances(read());
    assert.equal(b.native.raw, parseUnits(fx.nativeBalance, 18).toString());
    assert.equal(b.native.amountExact, '1.5');
    const bySymbol = Object.fromEntries(b.tokens.map((t) => [t.symbol, t]));
    for (const key of ['USDC', 'WBTC', 'DAI', 'WETH', 'HTML']) {
      const want = fx.tokens[key];
      const got = bySymbol[want.symbol];
      assert.ok(got, `${key} missing`);
      assert.equal(got.decimals, want.decimals, key);
      assert.equal(got.raw, parseUnits(want.balance, want.decimals).toString(), key);
      assert.equal(got.amountExact, want.balance, key);
      assert.equal(got.amount, Number(want.balance), key);
    }
    assert.deepEqual(Object.fromEntries(b.tokens.map((t) => [t.symbol, t.decimals])),
      { WETH: 18, WBTC: 8, USDC: 6, DAI: 18, [HTML_SYMBOL]: 18 });
    // Cross-check one balance by a direct eth_call outside Multicall3.
    const pub = createPublicClient({ transport: custom(fx.provider) });
    const direct = await pub.readContract({ address: fx.tokens.WBTC.address, abi: parseAbi(['function balanceOf(address) view returns (uint256)']), functionName: 'balanceOf', args: [fx.user] });
    assert.equal(bySymbol.WBTC.raw, direct.toString());
  });

  test('the reverting and the garbage token are reported per token; the rest load; the result says it is incomplete', async () => {
    const b = await chain.readBalances(read());
    assert.equal(b.complete, false);
    assert.equal(b.tokens.length, 5);
    const f = Object.fromEntries(b.failures.map((x) => [x.asset, x]));
    assert.deepEqual(Object.keys(f).sort(), ['BRKN', 'JUNK']);
    assert.equal(f.BRKN.code, 'token-reverted');
    assert.equal(f.BRKN.source, fx.tokens.BAD.address);
    assert.equal(f.JUNK.code, 'token-bad-data');
    assert.match(f.JUNK.message, /decimals\(\) returned 77/);
    // Without the bad tokens the same read is complete.
    const good = fx.config.tokens.filter((t) => t.symbol !== 'BRKN' && t.symbol !== 'JUNK');
    const c = await chain.readBalances(read({ tokens: good }));
    assert.equal(c.complete, true);
    assert.deepEqual(c.failures, []);
  });

  test('a token that burns all its gas does not starve the other tokens of the batch', async () => {
    const { GasBurnerToken: G } = compileContracts();
    const pub = createPublicClient({ transport: custom(fx.provider) });
    const { createWalletClient } = await import('viem');
    const w = createWalletClient({ account: fx.deployer, transport: custom(fx.provider), chain: { id: 31337, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [fx.rpcUrl] } } } });
    const { contractAddress: burner } = await pub.waitForTransactionReceipt({ hash: await w.deployContract({ abi: G.abi, bytecode: G.bytecode }), pollingInterval: 20 });
    const tokens = [{ symbol: 'BURN', address: burner, decimals: 18 }, { symbol: 'BURN2', address: burner, decimals: 18 }, ...fx.config.tokens];
    const b = await chain.readBalances(read({ tokens }));
    assert.deepEqual(b.tokens.map((t) => t.symbol).sort(), ['DAI', 'USDC', 'WBTC', 'WETH', HTML_SYMBOL].sort());
    assert.deepEqual(b.failures.map((f) => [f.asset, f.code]).sort(), [['BRKN', 'token-reverted'], ['BURN', 'token-reverted'], ['BURN2', 'token-reverted'], ['JUNK', 'token-bad-data']]);
  });

  test('decimals that disagree with the token list are refused, not trusted', async () => {
    const wrong = [{ symbol: 'USDC', address: fx.tokens.USDC.address, decimals: 18 }];
    const b = await chain.readBalances(read({ tokens: wrong }));
    assert.equal(b.tokens.length, 0);
    assert.equal(b.failures[0].code, 'token-bad-data');
    assert.match(b.failures[0].message, /returned 6 but the token list says 18/);
  });

  test('the HTML-payload symbol comes back as inert plain text; control and bidi characters are stripped', async () => {
    const b = await chain.readBalances(read());
    const t = b.tokens.find((x) => x.address === fx.tokens.HTML.address);
    assert.equal(typeof t.symbol, 'string');
    assert.equal(t.symbol, HTML_SYMBOL);            // exactly the text: the UI sets it with textContent
    assert.equal(chain.safeText('US\u0000DC\u202e\u200b\n'), 'USDC');
    assert.equal(chain.safeText('a'.repeat(100)).length, 64);
    assert.equal(chain.safeText({ toString: () => 'x' }), '');
    assert.equal(chain.safeText('😀'.repeat(70)), '😀'.repeat(63) + '…');
  });
});

describe('prices', () => {
  test('latest prices of the fixture feeds pass every check', async () => {
    const p = await chain.readPrices(read());
    assert.equal(p.ok, true, JSON.stringify(p.failures));
    const by = Object.fromEntries(p.prices.map((x) => [x.asset, x]));
    assert.deepEqual(Object.keys(by).sort(), ['BTC', 'DAI', 'ETH', 'USDC']);
    assert.equal(by.ETH.price, fx.feeds.ETH.latest);
    assert.equal(by.ETH.decimals, 8);
    assert.equal(chain.checkRound === undefined, false);
    assert.ok(by.ETH.previous > 0 && Math.abs(by.ETH.price / by.ETH.previous - 1) < 0.05);
  });

  test('a stale feed fails the read with feed-stale (the optimization must stop)', async () => {
    const p = await chain.readPrices(read({ config: fx.staleConfig }));
    assert.equal(p.ok, false);
    const s = p.failures.find((f) => f.asset === 'STALE');
    assert.equal(s.code, 'feed-stale');
    assert.equal(s.heartbeatSec, 3600);
    assert.ok(s.ageSec >= 3 * 86400 - 5, String(s.ageSec));
    assert.equal(s.source, fx.badFeeds.STALE.address);
    assert.ok(p.prices.every((x) => x.asset !== 'STALE'));
  });

  test('deviation, non-positive and incomplete rounds are each refused with their own code', async () => {
    const p = await chain.readPrices(read({ feeds: fx.badFeeds }));
    const codes = Object.fromEntries(p.failures.map((f) => [f.asset, f.code]));
    assert.deepEqual(codes, { STALE: 'feed-stale', JUMP: 'feed-deviation', NEGATIVE: 'feed-non-positive', INCOMPLETE: 'feed-incomplete-round' });
    assert.equal(p.ok, false);
    assert.equal(p.prices.length, 0);
    const jump = p.failures.find((f) => f.asset === 'JUMP');
    assert.ok(Math.abs(jump.deviation - 1.5) < 1e-12);
    // A wider threshold accepts the jump.
    const wide = await chain.readPrices(read({ feeds: { JUMP: fx.badFeeds.JUMP }, maxDeviation: 2 }));
    assert.equal(wide.ok, true);
    // Against a reference price (e.g. the last CSV close) beyond the threshold.
    const ref = await chain.readPrices(read({ feeds: { ETH: fx.feeds.ETH }, reference: { ETH: fx.feeds.ETH.latest * 2 } }));
    assert.equal(ref.failures[0].code, 'feed-deviation');
    assert.equal(ref.failures[0].against, 'the reference price');
  });

  test('L2 sequencer uptime feed: down, in its grace period, or up', async () => {
    const { MockV3Aggregator: M } = compileContracts();
    const pub = createPublicClient({ transport: custom(fx.provider) });
    const { createWalletClient } = await import('viem');
    const w = createWalletClient({ account: fx.deployer, transport: custom(fx.provider), chain: { id: 31337, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [fx.rpcUrl] } } } });
    const seqFeed = async (answer, startedAt) => {
      const { contractAddress } = await pub.waitForTransactionReceipt({ hash: await w.deployContract({ abi: M.abi, bytecode: M.bytecode, args: [0, answer] }), pollingInterval: 20 });
      const h = await w.writeContract({ address: contractAddress, abi: M.abi, functionName: 'updateRoundData', args: [2n, answer, BigInt(fx.nowSec - 30), BigInt(startedAt)], gas: 300_000n });
      assert.equal((await pub.waitForTransactionReceipt({ hash: h, pollingInterval: 20 })).status, 'success');
      return { ...fx.config, sequencerUptimeFeed: { address: contractAddress } };
    };
    const down = await chain.readPrices(read({ config: await seqFeed(1n, fx.nowSec - 7200) }));
    assert.deepEqual([down.ok, down.failures.map((f) => f.code), down.sequencer], [false, ['sequencer-down'], { up: false, failure: 'sequencer-down' }]);
    const grace = await chain.readPrices(read({ config: await seqFeed(0n, fx.nowSec - 600) }));
    assert.deepEqual([grace.ok, grace.failures.map((f) => f.code)], [false, ['sequencer-grace']]);
    assert.ok(grace.failures[0].upForSec >= 600 && grace.failures[0].gracePeriodSec === 3600);
    const up = await chain.readPrices(read({ config: await seqFeed(0n, fx.nowSec - 7200) }));
    assert.deepEqual([up.ok, up.sequencer, up.prices.length], [true, { up: true }, 4]);
    const missing = await chain.readPrices(read({ config: { ...fx.config, sequencerUptimeFeed: { address: fx.tokens.BAD.address } } }));
    assert.deepEqual([missing.ok, missing.failures.map((f) => f.code)], [false, ['sequencer-unknown']]);
    assert.equal(chain.getChainConfig(42161).sequencerUptimeFeed.gracePeriodSec, 3600);
    assert.equal(chain.getChainConfig(1).sequencerUptimeFeed, null);
  });

  test('checkRound: answeredInRound < roundId, future timestamps, heartbeat grace', () => {
    const now = 1_000_000;
    const r = (o) => ({ roundId: 10n, answer: 5n, startedAt: 1n, updatedAt: BigInt(now - 10), answeredInRound: 10n, ...o });
    assert.equal(chain.checkRound(r({}), { nowSec: now, heartbeatSec: 3600 }), null);
    assert.equal(chain.checkRound(r({ answeredInRound: 9n }), { nowSec: now, heartbeatSec: 3600 }).code, 'feed-incomplete-round');
    assert.equal(chain.checkRound(r({ updatedAt: BigInt(now + 3600) }), { nowSec: now, heartbeatSec: 3600 }).code, 'feed-bad-data');
    assert.equal(chain.checkRound(r({ updatedAt: BigInt(now - 3900) }), { nowSec: now, heartbeatSec: 3600 }), null);   // within 10 % grace
    assert.equal(chain.checkRound(r({ updatedAt: BigInt(now - 4000) }), { nowSec: now, heartbeatSec: 3600 }).code, 'feed-stale');
    assert.equal(chain.checkRound(r({ answer: 0n }), { nowSec: now, heartbeatSec: 3600 }).code, 'feed-non-positive');
  });

  test('history from past rounds (phase-aware ids, a missing round tolerated), resampled to UTC daily closes', async () => {
    const DAY = 86400, today = Math.floor(fx.nowSec / DAY) * DAY;
    const fromSec = today - (fx.historyDays + 5) * DAY, toSec = fx.nowSec;
    const h = await chain.readPriceHistory({ provider: rpc, chainId: 31337, config: fx.config, feed: fx.feeds.ETH.address, fromSec, toSec });
    assert.equal(h.points.length, fx.historyDays);   // historyDays daily rounds minus the missing day-7 round, plus the latest
    assert.equal(h.missingRounds, 1);
    assert.ok(h.points.every((p, i) => i === 0 || p.updatedAt > h.points[i - 1].updatedAt));
    // Through the AggregatorProxy: phase 1 (rounds 1..15, one missing), then phase 2.
    const phases = h.points.map((p) => Number(BigInt(p.roundId) >> 64n));
    assert.deepEqual([phases.filter((x) => x === 1).length, phases.filter((x) => x === 2).length], [fx.feeds.ETH.phaseSplit - 1, fx.historyDays + 1 - fx.feeds.ETH.phaseSplit]);
    assert.ok(phases.every((x, i) => i === 0 || x >= phases[i - 1]));
    const latest = (await chain.readPrices(read({ feeds: { ETH: fx.feeds.ETH } }))).prices[0];
    assert.equal(BigInt(latest.roundId) >> 64n, 2n);
    const d = chain.dailyCloses(h.points, { fromSec, toSec });
    assert.equal(d.dates.length, fx.historyDays + 6);
    assert.equal(d.dates.at(-1), new Date(today * 1000).toISOString().slice(0, 10));
    const firstDay = fx.historyDays - 0;          // index in d of the first written round (day 0 = today - historyDays days)
    const day0 = d.dates.indexOf(new Date((today - fx.historyDays * DAY) * 1000).toISOString().slice(0, 10));
    assert.equal(day0, 5);
    assert.deepEqual(d.closes.slice(0, 5), [null, null, null, null, null]);   // before the feed's first round
    const byId = Object.fromEntries(h.points.map((p) => [utc(p.updatedAt), p.price]));
    assert.equal(d.closes[day0], byId[d.dates[day0]]);
    assert.equal(d.closes[day0 + 7], d.closes[day0 + 6]);   // day 7 has no round: its as-of close is day 6's
    assert.equal(d.closes.at(-1), fx.feeds.ETH.latest);
    // With a max age under a day, the missing day is null instead.
    const strict = chain.dailyCloses(h.points, { fromSec, toSec, maxAgeSec: 13 * 3600 });
    assert.equal(strict.closes[day0 + 7], null);
    assert.ok(firstDay > 0);
    // Engine-ready matrix.
    const b = await chain.readPriceHistory({ provider: rpc, chainId: 31337, config: fx.config, feed: fx.feeds.BTC.address, fromSec, toSec });
    const m = chain.historyMatrix({ ETH: d, BTC: chain.dailyCloses(b.points, { fromSec, toSec }) });
    assert.deepEqual(m.assets, ['ETH', 'BTC']);
    assert.equal(m.prices.length, d.dates.length);
    assert.equal(m.prices.at(-1)[1], fx.feeds.BTC.latest);
  });
});
const utc = (s) => new Date(s * 1000).toISOString().slice(0, 10);

test('history of an aggregator read directly (plain round ids, phase 0)', async () => {
  const { MockV3Aggregator: M } = compileContracts();
  const pub = createPublicClient({ transport: custom(fx.provider) });
  const { createWalletClient } = await import('viem');
  const w = createWalletClient({ account: fx.deployer, transport: custom(fx.provider), chain: { id: 31337, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [fx.rpcUrl] } } } });
  const wait = async (hash) => assert.equal((await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 })).status, 'success');
  const hash = await w.deployContract({ abi: M.abi, bytecode: M.bytecode, args: [8, 100n * 10n ** 8n] });
  const { contractAddress: feed } = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  const t = fx.nowSec - 3 * 86400;
  for (const [n, p, ts] of [[1n, 100n, t], [2n, 101n, t + 86400], [3n, 102n, t + 2 * 86400]])
    await wait(await w.writeContract({ address: feed, abi: M.abi, functionName: 'updateRoundData', args: [n, p * 10n ** 8n, BigInt(ts), BigInt(ts)], gas: 300_000n }));
  const h = await chain.readPriceHistory({ provider: rpc, chainId: 31337, config: fx.config, feed, fromSec: t - 86400, toSec: fx.nowSec });
  assert.deepEqual(h.points.map((p) => [p.roundId, p.price]), [['1', 100], ['2', 101], ['3', 102]]);
  assert.equal(h.complete, true);        // the feed starts inside the window: nothing more to read
  const cut = await chain.readPriceHistory({ provider: rpc, chainId: 31337, config: fx.config, feed, fromSec: t - 86400, toSec: fx.nowSec, maxRounds: 2 });
  assert.deepEqual([cut.points.length, cut.complete], [2, false]);
});

describe('CSV import', () => {
  test('date column + one column per asset; blanks are missing; full ISO timestamps take their UTC day', () => {
    const r = chain.parsePriceCsv('\uFEFFDate,BTC,"ETH"\r\n2024-01-01,42000.5,2300\n2024-01-02,,2310.25\n2024-01-03T23:30:00Z,43000,\n');
    assert.deepEqual(r, { dates: ['2024-01-01', '2024-01-02', '2024-01-03'], assets: ['BTC', 'ETH'],
      prices: [[42000.5, 2300], [null, 2310.25], [43000, null]] });
    assert.deepEqual(chain.parsePriceCsv('date;BTC\n2024-01-01;1e3\n').prices, [[1000]]);
  });
  test('strict: every bad row names its row and column', () => {
    const bad = (text, field, re) => assert.throws(() => chain.parsePriceCsv(text), (e) => {
      assert.equal(e.code, 'csv-invalid'); assert.equal(e.field, field); if (re) assert.match(e.message, re); return true; });
    bad('date,BTC\n2024-01-01,abc\n', 'row 2, column BTC', /not a number/);
    bad('date,BTC\n2024-01-01,-5\n', 'row 2, column BTC', /positive/);
    bad('date,BTC,ETH\n2024-01-01,1,2\n01/02/2024,1,2\n', 'row 3, column date', /ISO date/);
    bad('date,BTC,ETH\n2024-01-01,1,2\n2024-13-01,1,2\n', 'row 3, column date', /real calendar date/);
    bad('date,BTC\n2024-02-30,1\n', 'row 2, column date', /real calendar date/);
    bad('date,BTC\n2024-01-02,1\n2024-01-01,1\n', 'row 3, column date', /not after/);
    bad('date,BTC\n2024-01-01,1\n2024-01-01,1\n', 'row 3, column date', /not after/);
    bad('date,BTC\n2024-01-01,1,2\n', 'row 2', /3 cells/);
    bad('price,BTC\n2024-01-01,1\n', 'header[0]', /first column/);
    bad('date,BTC,BTC\n2024-01-01,1,2\n', 'header', /twice/);
    bad('date,BTC\n', 'file');
    bad('date,BTC\n2024-01-01,"1\n', 'line 2', /never closed/);
  });
});

describe('Aave v3 (real core-v3 contracts)', () => {
  test('supplies, borrows and reserve parameters from getReserveData and the configuration bitmap', async () => {
    const a = await chain.readAavePositions(read());
    assert.equal(a.complete, true, JSON.stringify(a.failures));
    assert.equal(a.market, fx.aave.pool);
    assert.equal(a.supplies.length, 1);
    assert.equal(a.borrows.length, 1);
    const [s] = a.supplies, [b] = a.borrows;
    assert.equal(s.asset, 'WETH');
    assert.equal(s.raw, parseUnits(fx.aave.supplied.WETH, 18).toString());
    assert.equal(s.usageAsCollateral, true);
    assert.deepEqual({ ltv: s.ltv, liquidationThreshold: s.liquidationThreshold, liquidationBonus: s.liquidationBonus }, fx.aave.params.WETH);
    assert.equal(b.asset, 'USDC');
    assert.equal(b.rateMode, 'variable');
    assert.equal(b.raw, parseUnits(fx.aave.borrowed.USDC, 6).toString());
    const usdc = a.reserves.find((r) => r.asset === 'USDC');
    assert.deepEqual({ ltv: usdc.ltv, liquidationThreshold: usdc.liquidationThreshold, liquidationBonus: usdc.liquidationBonus }, fx.aave.params.USDC);
    assert.equal(usdc.decimals, 6);
    assert.equal(usdc.active && usdc.borrowingEnabled && !usdc.frozen && !usdc.paused, true);
  });

  test('health factor from balances x oracle prices x thresholds equals Pool.getUserAccountData', async () => {
    const a = await chain.readAavePositions(read());
    const [, totalDebtBase, , , , hf] = await fx.aaveAccountData();
    assert.equal(a.accountData.healthFactorRaw, hf.toString());
    assert.equal(a.accountData.totalDebtBase, totalDebtBase.toString());
    const hfChain = Number(hf) / 1e18;
    assert.ok(Math.abs(a.healthFactorFromBalances / hfChain - 1) < 1e-9, `${a.healthFactorFromBalances} vs ${hfChain}`);
    // And against the numbers the fixture set: 10 WETH x ETH price x 0.825 / 1000 USDC.
    const byHand = (10 * fx.feeds.ETH.latest * 0.825) / 1000;
    assert.ok(Math.abs(hfChain / byHand - 1) < 1e-9, `${hfChain} vs ${byHand}`);
  });

  test('decodeReserveConfiguration reads the documented bit layout', () => {
    const v = 7500n | (8000n << 16n) | (10500n << 32n) | (6n << 48n) | (1n << 56n) | (1n << 58n) | (1000n << 64n) | (500000n << 80n) | (2n << 168n);
    const c = chain.decodeReserveConfiguration(v);
    assert.deepEqual([c.ltv, c.liquidationThreshold, c.liquidationBonus, c.decimals, c.active, c.frozen, c.borrowingEnabled, c.reserveFactor, c.borrowCap, c.eModeCategory],
      [0.75, 0.8, 0.05, 6, true, false, true, 0.1, 500000, 2]);
  });

  test('an account without positions reads as empty with a null health factor', async () => {
    const a = await chain.readAavePositions(read({ account: fx.deployer.toLowerCase() }));
    assert.equal(a.borrows.length, 0);
    assert.equal(a.accountData.healthFactor, null);
    assert.equal(a.healthFactorFromBalances, null);
  });
});

describe('Uniswap v3 (real v3-core + v3-periphery contracts)', () => {
  test('position amounts from the v3 formulas equal what decreaseLiquidity would pay out', async () => {
    const u = await chain.readUniswapV3Positions(read());
    assert.equal(u.complete, true, JSON.stringify(u.failures));
    assert.equal(u.positions.length, 1);
    const p = u.positions[0];
    assert.equal(p.tokenId, fx.uniswap.tokenId);
    assert.equal(p.pool, fx.uniswap.pool);
    assert.deepEqual([p.tickLower, p.tickUpper, p.fee], [fx.uniswap.tickLower, fx.uniswap.tickUpper, fx.uniswap.fee]);
    assert.equal(p.inRange, true);
    assert.ok(BigInt(p.liquidity) > 0n);
    // Simulate burning all the liquidity (eth_call from the owner: a read, nothing is sent).
    const pub = createPublicClient({ transport: custom(fx.provider) });
    const { result } = await pub.simulateContract({ account: fx.user, address: fx.uniswap.positionManager, abi: fx.abis.positionManager,
      functionName: 'decreaseLiquidity', args: [{ tokenId: BigInt(p.tokenId), liquidity: BigInt(p.liquidity), amount0Min: 0n, amount1Min: 0n, deadline: BigInt(fx.nowSec + 86400) }] });
    assert.deepEqual([p.amount0Raw, p.amount1Raw], [result[0].toString(), result[1].toString()]);
    // The pool price matches the ETH feed it was initialized from.
    const ethPerUsdc = p.token0.symbol === 'WETH' ? p.price1Per0 : 1 / p.price1Per0;
    assert.ok(Math.abs(ethPerUsdc / fx.feeds.ETH.latest - 1) < 1e-6);
  });

  test('TickMath: slot0.tick brackets sqrtPriceX96; range edges give one-token positions', async () => {
    const u = await chain.readUniswapV3Positions(read());
    const p = u.positions[0];
    const P = BigInt(p.sqrtPriceX96);
    assert.ok(chain.getSqrtRatioAtTick(p.tick) <= P && P < chain.getSqrtRatioAtTick(p.tick + 1));
    assert.equal(chain.getSqrtRatioAtTick(0), 1n << 96n);
    assert.equal(chain.getSqrtRatioAtTick(-887272), 4295128739n);                                  // TickMath.MIN_SQRT_RATIO
    assert.equal(chain.getSqrtRatioAtTick(887272), 1461446703485210103287273052203988822378723970342n); // TickMath.MAX_SQRT_RATIO
    const below = chain.positionAmounts({ liquidity: p.liquidity, sqrtPriceX96: chain.getSqrtRatioAtTick(p.tickLower - 1), tick: p.tickLower - 1, tickLower: p.tickLower, tickUpper: p.tickUpper });
    const above = chain.positionAmounts({ liquidity: p.liquidity, sqrtPriceX96: chain.getSqrtRatioAtTick(p.tickUpper), tick: p.tickUpper, tickLower: p.tickLower, tickUpper: p.tickUpper });
    assert.ok(below.amount0 > 0n && below.amount1 === 0n);
    assert.ok(above.amount0 === 0n && above.amount1 > 0n);
  });

  test('out-of-range positions (all token0 above, all token1 below) also equal decreaseLiquidity', async () => {
    const snap = await fx.provider.request({ method: 'evm_snapshot' });
    try {
      const pub = createPublicClient({ transport: custom(fx.provider) });
      const { createWalletClient } = await import('viem');
      const w = createWalletClient({ account: fx.deployer, transport: custom(fx.provider), chain: { id: 31337, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [fx.rpcUrl] } } } });
      const [, tick] = await pub.readContract({ address: fx.uniswap.pool, abi: fx.abis.pool, functionName: 'slot0' });
      const up = Math.ceil((tick + 600) / 60) * 60, down = Math.floor((tick - 600) / 60) * 60;
      const amountOf = (token) => (token === fx.tokens.WETH.address ? 10n ** 17n : 100n * 10n ** 6n);   // 0.1 WETH or 100 USDC
      for (const [tickLower, tickUpper] of [[up, up + 1200], [down - 1200, down]]) {
        const hash = await w.writeContract({ address: fx.uniswap.positionManager, abi: fx.abis.positionManager, functionName: 'mint', gas: 3_000_000n,
          args: [{ token0: fx.uniswap.token0, token1: fx.uniswap.token1, fee: fx.uniswap.fee, tickLower, tickUpper, amount0Desired: amountOf(fx.uniswap.token0), amount1Desired: amountOf(fx.uniswap.token1),
            amount0Min: 0n, amount1Min: 0n, recipient: fx.user, deadline: BigInt(fx.nowSec + 86400) }] });
        assert.equal((await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 })).status, 'success');
      }
      const u = await chain.readUniswapV3Positions(read());
      assert.equal(u.positions.length, 3);
      const [above, below] = u.positions.slice(1);
      assert.deepEqual([above.inRange, above.amount1Raw !== '0', above.amount0Raw !== '0'], [false, false, true]);
      assert.deepEqual([below.inRange, below.amount0Raw !== '0', below.amount1Raw !== '0'], [false, false, true]);
      for (const p of u.positions) {
        const { result } = await pub.simulateContract({ account: fx.user, address: fx.uniswap.positionManager, abi: fx.abis.positionManager,
          functionName: 'decreaseLiquidity', args: [{ tokenId: BigInt(p.tokenId), liquidity: BigInt(p.liquidity), amount0Min: 0n, amount1Min: 0n, deadline: BigInt(fx.nowSec + 86400) }] });
        assert.deepEqual([p.amount0Raw, p.amount1Raw], [result[0].toString(), result[1].toString()], `position ${p.tokenId}`);
      }
    } finally { await fx.provider.request({ method: 'evm_revert', params: [snap] }); }
  });

  test('uncollected fees after real swaps equal what collect() would pay', async () => {
    const snap = await fx.provider.request({ method: 'evm_snapshot' });
    try {
      const pub = createPublicClient({ transport: custom(fx.provider) });
      const { createWalletClient, maxUint256 } = await import('viem');
      const w = createWalletClient({ account: fx.deployer, transport: custom(fx.provider), chain: { id: 31337, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [fx.rpcUrl] } } } });
      const ok = async (hash) => assert.equal((await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 })).status, 'success');
      const R = artifact('@uniswap/v3-periphery', 'contracts/SwapRouter.sol/SwapRouter.json');
      const h = await w.deployContract({ abi: R.abi, bytecode: R.bytecode, args: [fx.uniswap.factory, fx.tokens.WETH.address], gas: 8_000_000n });
      const { contractAddress: router } = await pub.waitForTransactionReceipt({ hash: h, pollingInterval: 20 });
      const approve = parseAbi(['function approve(address, uint256) returns (bool)']);
      for (const t of [fx.tokens.WETH.address, fx.tokens.USDC.address]) await ok(await w.writeContract({ address: t, abi: approve, functionName: 'approve', args: [router, maxUint256], gas: 100_000n }));
      const swap = (tokenIn, tokenOut, amountIn) => w.writeContract({ address: router, abi: R.abi, functionName: 'exactInputSingle', gas: 1_000_000n,
        args: [{ tokenIn, tokenOut, fee: fx.uniswap.fee, recipient: fx.deployer, deadline: BigInt(fx.nowSec + 86400), amountIn, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }] });
      await ok(await swap(fx.tokens.WETH.address, fx.tokens.USDC.address, 5n * 10n ** 17n));
      await ok(await swap(fx.tokens.USDC.address, fx.tokens.WETH.address, 800n * 10n ** 6n));
      const u = await chain.readUniswapV3Positions(read());
      assert.equal(u.complete, true, JSON.stringify(u.failures));
      const p = u.positions[0];
      assert.ok(BigInt(p.fees0Raw) > 0n && BigInt(p.fees1Raw) > 0n, `${p.fees0Raw} ${p.fees1Raw}`);
      const max128 = (1n << 128n) - 1n;
      const { result } = await pub.simulateContract({ account: fx.user, address: fx.uniswap.positionManager, abi: fx.abis.positionManager,
        functionName: 'collect', args: [{ tokenId: BigInt(p.tokenId), recipient: fx.user, amount0Max: max128, amount1Max: max128 }] });
      assert.deepEqual([p.fees0Raw, p.fees1Raw], [result[0].toString(), result[1].toString()]);
      // The pool fee is 0.3 % of the input: about 0.0015 WETH and 2.4 USDC, less rounding.
      const weth = p.token0.symbol === 'WETH' ? p.fees0 : p.fees1, usdc = p.token0.symbol === 'WETH' ? p.fees1 : p.fees0;
      assert.ok(Math.abs(weth / 0.0015 - 1) < 1e-3 && Math.abs(usdc / 2.4 - 1) < 1e-3, `${weth} ${usdc}`);
    } finally { await fx.provider.request({ method: 'evm_revert', params: [snap] }); }
  });

  test('an account with no LP NFTs reads as empty and complete', async () => {
    const u = await chain.readUniswapV3Positions(read({ account: fx.deployer }));
    assert.deepEqual([u.positions.length, u.complete], [0, true]);
  });
});

describe('read-only guard', () => {
  test('refuses every signing and sending method before the provider sees it', async () => {
    const seen = [];
    const inner = { request: async ({ method }) => { seen.push(method); return '0x7a69'; } };
    const guarded = chain.readOnly(inner);
    for (const method of ['eth_sendTransaction', 'eth_sendRawTransaction', 'eth_sign', 'personal_sign', 'eth_signTypedData',
      'eth_signTypedData_v3', 'eth_signTypedData_v4', 'eth_signTransaction', 'wallet_sendCalls', 'wallet_sendTransaction', 'eth_signSomethingNew', undefined]) {
      await rejectsWith(guarded.request({ method, params: [] }), 'signing-refused', (e) => assert.equal(e.rpcCode, 4200));
    }
    assert.deepEqual(seen, []);
    for (const method of ['wallet_addEthereumChain', 'wallet_watchAsset', 'wallet_grantPermissions', 'eth_decrypt'])
      await rejectsWith(guarded.request({ method, params: [] }), 'signing-refused');
    assert.deepEqual(seen, []);
    assert.equal(await guarded.request({ method: 'eth_chainId' }), '0x7a69');
    await guarded.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x1' }] });
    assert.deepEqual(seen, ['eth_chainId', 'wallet_switchEthereumChain']);
  });

  test('the HTTP provider is guarded too: a send never reaches the node', async () => {
    const before = await fx.provider.request({ method: 'eth_getTransactionCount', params: [fx.user, 'latest'] });
    await rejectsWith(rpc.request({ method: 'eth_sendTransaction', params: [{ from: fx.user, to: fx.deployer, value: '0x1' }] }), 'signing-refused');
    assert.equal(await fx.provider.request({ method: 'eth_getTransactionCount', params: [fx.user, 'latest'] }), before);
  });
});

// A wallet front-end as an extension injects it: EIP-1193 request() forwarded to anvil.
function fakeWallet({ accounts, reject = false, calls = [] } = {}) {
  const listeners = {};
  return {
    calls, listeners,
    async request({ method, params = [] }) {
      calls.push(method);
      if (method === 'eth_requestAccounts') { if (reject) throw Object.assign(new Error('User rejected the request.'), { code: 4001 }); return accounts; }
      if (method === 'eth_accounts') return accounts;
      return fx.provider.request({ method, params });
    },
    on(ev, fn) { (listeners[ev] ??= []).push(fn); },
    removeListener(ev, fn) { listeners[ev] = (listeners[ev] ?? []).filter((f) => f !== fn); },
    emit(ev, arg) { for (const f of listeners[ev] ?? []) f(arg); },
  };
}
function fakeWindow(wallets, ethereum) {
  const w = new EventTarget();
  w.ethereum = ethereum;
  w.addEventListener('eip6963:requestProvider', () => {
    for (const { info, provider } of wallets) w.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  });
  return w;
}

describe('wallets', () => {
  test('EIP-6963: every announced wallet is listed (deduped), names cleaned, remote icons dropped, providers guarded', async () => {
    const a = fakeWallet({ accounts: [fx.user] }), b = fakeWallet({ accounts: [fx.user] });
    const win = fakeWindow([
      { info: { uuid: 'a-1', name: 'Alpha\u202e <b>', icon: 'data:image/svg+xml,<svg/>', rdns: 'io.alpha' }, provider: a },
      { info: { uuid: 'b-2', name: 'Beta', icon: 'https://tracker.example/icon.png', rdns: 'io.beta' }, provider: b },
      { info: { uuid: 'a-1', name: 'Alpha again', icon: '', rdns: 'io.alpha' }, provider: a },
    ], fakeWallet({ accounts: [] }));
    const list = await chain.discoverWallets({ target: win, waitMs: 10 });
    assert.deepEqual(list.map((w) => [w.id, w.name, w.rdns, w.source]), [['a-1', 'Alpha <b>', 'io.alpha', 'eip6963'], ['b-2', 'Beta', 'io.beta', 'eip6963']]);
    assert.equal(list[0].icon, 'data:image/svg+xml,<svg/>');
    assert.equal(list[1].icon, '');
    await rejectsWith(list[0].provider.request({ method: 'personal_sign', params: ['0x00', fx.user] }), 'signing-refused');
    assert.deepEqual(a.calls, []);
  });

  test('falls back to window.ethereum when no wallet announces; none at all gives an empty list', async () => {
    const legacy = fakeWallet({ accounts: [fx.user] });
    const list = await chain.discoverWallets({ target: fakeWindow([], legacy), waitMs: 10 });
    assert.deepEqual(list.map((w) => w.source), ['window.ethereum']);
    assert.deepEqual(await chain.discoverWallets({ target: fakeWindow([], undefined), waitMs: 10 }), []);
  });

  test('connect: account and chain; a rejection (4001) is user-rejected; changes are followed', async () => {
    const w = fakeWallet({ accounts: [fx.user.toLowerCase()] });
    assert.deepEqual(await chain.connectWallet(w), { account: fx.user, chainId: 31337 });
    assert.deepEqual(await chain.getWalletState(w), { account: fx.user, chainId: 31337 });
    await rejectsWith(chain.connectWallet(fakeWallet({ reject: true })), 'user-rejected');
    const failing = (code) => ({ request: async () => { throw Object.assign(new Error('nope'), { code }); } });
    await rejectsWith(chain.connectWallet(failing(-32002)), 'wallet-pending');
    await rejectsWith(chain.connectWallet(failing(4100)), 'wallet-error', (e) => assert.equal(e.rpcCode, 4100));
    await rejectsWith(chain.connectWallet(failing(-32603)), 'wallet-error');
    await rejectsWith(chain.connectWallet({ request: () => new Promise(() => {}) }, { timeoutMs: 100 }), 'rpc-timeout');
    await rejectsWith(chain.connectWallet({ request: async () => ['not an address'] }), 'wallet-error');
    const seen = [];
    const stop = chain.watchWallet(w, { onAccounts: (a) => seen.push(['accounts', a]), onChain: (c) => seen.push(['chain', c]) });
    w.emit('accountsChanged', [fx.deployer.toLowerCase()]);
    w.emit('chainChanged', '0x1');
    w.emit('accountsChanged', []);
    stop();
    w.emit('chainChanged', '0xa');
    assert.deepEqual(seen, [['accounts', [fx.deployer]], ['chain', 1], ['accounts', []]]);
  });

  test('a wallet on another chain is refused with wrong-chain by every reader', async () => {
    const w = fakeWallet({ accounts: [fx.user] });
    await rejectsWith(chain.readBalances({ provider: w, chainId: 1, account: fx.user }), 'wrong-chain', (e) => { assert.equal(e.expected, 1); assert.equal(e.actual, 31337); });
    await rejectsWith(chain.readPrices({ provider: w, chainId: 8453 }), 'wrong-chain');
    await rejectsWith(chain.readBalances({ provider: w, chainId: 5, account: fx.user }), 'unsupported-chain');
    // The reads through the wallet work on the right chain.
    const b = await chain.readBalances({ provider: w, chainId: 31337, config: fx.config, account: fx.user });
    assert.equal(b.tokens.length, 5);
  });
});

describe('watch-only and RPC failures', () => {
  test('any address (any case) + an RPC URL; both validated with the field named', async () => {
    const wo = await chain.watchOnly({ address: fx.user.toUpperCase().replace('0X', '0x'), rpcUrl: fx.rpcUrl });
    assert.deepEqual([wo.account, wo.chainId], [fx.user, 31337]);
    const b = await chain.readBalances({ provider: wo.provider, chainId: wo.chainId, config: fx.config, account: wo.account });
    assert.equal(b.native.amountExact, '1.5');
    await rejectsWith(chain.watchOnly({ address: '0x1234', rpcUrl: fx.rpcUrl }), 'invalid-address', (e) => assert.equal(e.field, 'address'));
    await rejectsWith(chain.watchOnly({ address: fx.user.slice(0, -1) + 'g', rpcUrl: fx.rpcUrl }), 'invalid-address');
    for (const rpcUrl of ['ftp://127.0.0.1/', 'not a url', 'javascript:alert(1)', 'http://u:p@127.0.0.1:8545', '', undefined])
      await rejectsWith(chain.watchOnly({ address: fx.user, rpcUrl }), 'invalid-rpc-url', (e) => assert.equal(e.field, 'rpcUrl'));
  });

  test('RPC down (a closed port): rpc-unreachable, quickly', async () => {
    const port = await freePort();
    const t0 = Date.now();
    await rejectsWith(chain.watchOnly({ address: fx.user, rpcUrl: `http://127.0.0.1:${port}` }), 'rpc-unreachable', (e) => assert.equal(e.source, `http://127.0.0.1:${port}/`));
    await rejectsWith(chain.readBalances({ provider: chain.httpProvider(`http://127.0.0.1:${port}`), chainId: 31337, config: fx.config, account: fx.user }), 'rpc-unreachable');
    assert.ok(Date.now() - t0 < 5000);
  });

  test('RPC slow (accepts, never answers): rpc-timeout after timeoutMs, no hang', async () => {
    const pending = [];
    const server = http.createServer((req, res) => { pending.push(res); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${server.address().port}`;
    try {
      const t0 = Date.now();
      await rejectsWith(chain.readBalances({ provider: chain.httpProvider(url, { timeoutMs: 300 }), chainId: 31337, config: fx.config, account: fx.user }), 'rpc-timeout');
      const ms = Date.now() - t0;
      assert.ok(ms >= 290 && ms < 3000, `${ms} ms`);
      // A wallet provider that never answers: the reader's own deadline applies.
      const stuck = { request: () => new Promise(() => {}) };
      await rejectsWith(chain.readPrices({ provider: stuck, chainId: 31337, config: fx.config, timeoutMs: 200 }), 'rpc-timeout');
    } finally {
      for (const res of pending) res.destroy();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    }
  });

  test('an RPC that answers garbage is rpc-error, not a crash', async () => {
    const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>hello</html>'); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      await rejectsWith(chain.watchOnly({ address: fx.user, rpcUrl: `http://127.0.0.1:${server.address().port}` }), 'rpc-error');
    } finally { server.closeAllConnections?.(); await new Promise((r) => server.close(r)); }
  });

  test('an RPC whose eth_chainId is not a quantity is rpc-error', async () => {
    const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"jsonrpc":"2.0","id":1,"result":"banana"}'); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      await rejectsWith(chain.watchOnly({ address: fx.user, rpcUrl: `http://127.0.0.1:${server.address().port}` }), 'rpc-error', (e) => assert.match(e.message, /not a chain id/));
      await rejectsWith(chain.readPrices({ provider: chain.httpProvider(`http://127.0.0.1:${server.address().port}`), chainId: 31337, config: fx.config }), 'rpc-error');
    } finally { server.closeAllConnections?.(); await new Promise((r) => server.close(r)); }
  });

  test('no Multicall3 on the chain: multicall-missing', async () => {
    const snap = await fx.provider.request({ method: 'evm_snapshot' });
    try {
      await fx.provider.request({ method: 'hardhat_setCode', params: [fx.config.multicall3, '0x'] });
      await rejectsWith(chain.readBalances(read()), 'multicall-missing');
    } finally { await fx.provider.request({ method: 'evm_revert', params: [snap] }); }
    assert.equal((await chain.readBalances(read())).tokens.length, 5);
  });
});

describe('engine request', () => {
  test('balances + prices + Aave + Uniswap map to the DeFi engine\'s analyze request (docs/api.md schema keys only)', async () => {
    const [balances, prices, aave, uniswap] = await Promise.all([chain.readBalances(read()), chain.readPrices(read()),
      chain.readAavePositions(read()), chain.readUniswapV3Positions(read())]);
    const { request, unpriced } = chain.toAnalyzeRequest({ config: fx.config, balances, prices, aave, uniswap });
    assert.deepEqual(unpriced, []);
    assert.deepEqual(request.prices, { ETH: fx.feeds.ETH.latest, BTC: fx.feeds.BTC.latest, USDC: 1, DAI: 1 });
    assert.deepEqual(request.tokens.WETH, { underlying: 'ETH' });
    assert.deepEqual(request.tokens.WBTC, { underlying: 'BTC' });
    assert.deepEqual(request.tokens.USDC, { stablecoin: true });
    const spot = request.positions.filter((p) => p.type === 'spot');
    assert.deepEqual(spot.map((p) => [p.asset, p.amount]), [['ETH', 1.5], ['WETH', 2], ['WBTC', 0.125], ['USDC', 2234.5], ['DAI', 2.5], [HTML_SYMBOL, 42]]);
    const v3 = request.positions.find((p) => p.type === 'uniswap-v3');
    assert.deepEqual(Object.keys(v3).sort(), ['chain', 'decimals0', 'decimals1', 'id', 'liquidity', 'sqrtPriceX96', 'tickLower', 'tickUpper', 'token0', 'token1', 'type']);
    assert.equal(v3.liquidity, uniswap.positions[0].liquidity);
    const lending = request.positions.find((p) => p.type === 'aave-v3');
    assert.deepEqual(lending.supplies, [{ asset: 'WETH', amount: 10, ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05, collateral: true }]);
    assert.deepEqual(lending.borrows, [{ asset: 'USDC', amount: 1000 }]);
    // A failed price check stops it: the circuit breaker.
    const stale = await chain.readPrices(read({ config: fx.staleConfig }));
    assert.throws(() => chain.toAnalyzeRequest({ config: fx.staleConfig, balances, prices: stale }), (e) => e.code === 'prices-failed' && e.failures[0].code === 'feed-stale');
  });
});

// The DeFi engine (branch `defi`) as an independent reference for the chain readers: its C++
// TickMath/SqrtPriceMath and health factor against ours, on the same chain reads. Runs once
// `analyze` is in the built package; until the branches merge it says that it skipped.
const engine = await import('../../bindings/js/index.js').then((m) => m.init()).catch(() => null);
const noAnalyze = typeof engine?.analyze !== 'function' ? 'skipped: the built engine has no analyze() yet (it lands with branch defi)' : false;
describe('engine cross-check', () => {
  test('analyze() on toAnalyzeRequest output: v3 amounts and the health factor agree with the chain reads', { skip: noAnalyze }, async () => {
    const [balances, prices, aave, uniswap] = await Promise.all([chain.readBalances(read()), chain.readPrices(read()),
      chain.readAavePositions(read()), chain.readUniswapV3Positions(read())]);
    const { request } = chain.toAnalyzeRequest({ config: fx.config, balances, prices, aave, uniswap });
    const result = engine.analyze(request);
    const v3 = result.positions.find((p) => p.type === 'uniswap-v3');
    assert.deepEqual([v3.details.amount0Raw, v3.details.amount1Raw], [uniswap.positions[0].amount0Raw, uniswap.positions[0].amount1Raw]);
    const lending = result.positions.find((p) => p.type === 'aave-v3');
    assert.ok(Math.abs(lending.details.healthFactor / aave.accountData.healthFactor - 1) < 1e-9, `${lending.details.healthFactor} vs ${aave.accountData.healthFactor}`);
  });
});
