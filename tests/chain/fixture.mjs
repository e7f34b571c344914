// A local chain with real contracts for the chain readers' tests and the page tests:
// anvil from npm; ERC-20s (6/8/18 decimals, an HTML-payload symbol, one that reverts, one
// that returns garbage); WETH9; Chainlink MockV3Aggregator feeds with a written price
// history and deliberately bad feeds; Multicall3 at its canonical address; real Uniswap v3
// (factory, pool, NonfungiblePositionManager) with an LP position; real Aave v3 (core-v3
// artifacts) with a supply and a borrow. Every position belongs to `user`.
import { createPublicClient, createWalletClient, custom, defineChain, encodeFunctionData, getAddress, parseUnits, zeroAddress } from 'viem';
import { artifact, compileContracts, link } from './compile.mjs';
import { startAnvil } from './node.mjs';

export const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11';
export const DEPLOYER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';   // anvil account 0
export const USER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';       // anvil account 1
export const HTML_SYMBOL = '<img src=x onerror=alert(1)>';
const DAY = 86400;
const RAY = 10n ** 27n;

function rpcProvider(url) {
  let id = 0;
  return {
    async request({ method, params = [] }) {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
      const j = await r.json();
      if (j.error) throw Object.assign(new Error(j.error.message), { code: j.error.code, data: j.error.data });
      return j.result;
    },
  };
}

// Deterministic daily ETH / BTC paths (a few percent a day, no large jumps).
const ethPath = (i) => 3000 * (1 + 0.03 * Math.sin(i / 3)) * (1 + 0.002 * i);
const btcPath = (i) => 60000 * (1 + 0.02 * Math.cos(i / 4)) * (1 + 0.001 * i);

// chainId/name: a second fixture on another chain id (anvil --chain-id) stands for a second
// network, for the page's multi-chain tests. Contract addresses are the same on both (same
// deployer, same nonces), as on real chains that share deployments.
export async function startChainFixture({ historyDays = 30, chainId = 31337, name = 'Local test chain' } = {}) {
  const t0 = Date.now();
  const built = compileContracts();
  const node = await startAnvil(chainId === 31337 ? [] : ['--chain-id', String(chainId)]);
  try {
    return await deploy(node, built, { historyDays, t0, chainId, name });
  } catch (e) { await node.stop(); throw e; }
}

async function deploy(node, C, { historyDays, t0, chainId, name }) {
  const provider = rpcProvider(node.url);
  const chain = defineChain({ id: chainId, name: 'Anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [node.url] } }, contracts: { multicall3: { address: MULTICALL3 } } });
  const pub = createPublicClient({ chain, transport: custom(provider), pollingInterval: 20 });
  const wallets = { [DEPLOYER]: createWalletClient({ chain, account: DEPLOYER, transport: custom(provider) }),
    [USER]: createWalletClient({ chain, account: USER, transport: custom(provider) }) };

  const receipt = async (hash, what) => {
    const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (r.status !== 'success') throw new Error(`fixture: ${what} reverted`);
    return r;
  };
  const deployC = async ({ abi, bytecode }, args = [], what = 'deploy', from = DEPLOYER) =>
    getAddress((await receipt(await wallets[from].deployContract({ abi, bytecode, args, gas: 29_000_000n }), what)).contractAddress);
  const send = async (address, abi, functionName, args = [], { from = DEPLOYER, value } = {}) =>
    receipt(await wallets[from].writeContract({ address, abi, functionName, args, value, gas: 12_000_000n }), functionName);

  // Multicall3 at its canonical address (anvil has no predeploys).
  await provider.request({ method: 'hardhat_setCode', params: [MULTICALL3, C.Multicall3.deployedBytecode] });

  // Tokens. The user's balances are exact; the deployer holds the liquidity for the pools.
  const T = C.TestToken;
  const tok = async (name, symbol, decimals, userAmount) => ({
    address: await deployC(T, [name, symbol, decimals, USER, parseUnits(userAmount, decimals)], symbol), symbol, decimals, balance: userAmount });
  const tokens = {
    USDC: await tok('USD Coin', 'USDC', 6, '1234.5'),
    WBTC: await tok('Wrapped BTC', 'WBTC', 8, '0.125'),
    DAI: await tok('Dai Stablecoin', 'DAI', 18, '2.5'),
    HTML: await tok('HTML Token', HTML_SYMBOL, 18, '42'),
  };
  tokens.BAD = { address: await deployC(C.RevertingToken, [], 'RevertingToken'), symbol: 'BRKN', decimals: 18, balance: null };
  tokens.JUNK = { address: await deployC(C.GarbageToken, [], 'GarbageToken'), symbol: 'JUNK', decimals: 18, balance: null };
  tokens.WETH = { address: await deployC(C.WETH9, [], 'WETH9'), symbol: 'WETH', decimals: 18, balance: '2' };
  await send(tokens.USDC.address, T.abi, 'mint', [DEPLOYER, parseUnits('10000000', 6)]);
  await send(tokens.WETH.address, C.WETH9.abi, 'deposit', [], { from: USER, value: parseUnits('2', 18) });
  await send(tokens.WETH.address, C.WETH9.abi, 'deposit', [], { value: parseUnits('200', 18) });

  // Feeds: daily rounds at 12:00 UTC for historyDays days, then a latest round 60 s ago.
  // Round ids are proxy-style (phase 1 << 64 | n); day 7 is deliberately never written.
  const nowSec = Math.floor(Date.now() / 1000);
  const today = Math.floor(nowSec / DAY) * DAY;
  const M = C.MockV3Aggregator;
  const phase1 = (n) => (1n << 64n) | BigInt(n);
  const feedWith = async (rounds, decimals = 8) => {
    const address = await deployC(M, [decimals, rounds[0][1]], 'MockV3Aggregator');
    for (const [n, answer, ts] of rounds) await send(address, M.abi, 'updateRoundData', [phase1(n), answer, BigInt(ts), BigInt(ts)]);
    return address;
  };
  const history = (fn, decimals = 8) => {
    const rounds = [];
    for (let i = 0; i < historyDays; i++) {
      if (i === 7) continue;
      rounds.push([i + 1, BigInt(Math.round(fn(i) * 10 ** decimals)), today - (historyDays - i) * DAY + DAY / 2]);
    }
    rounds.push([historyDays + 1, BigInt(Math.round(fn(historyDays) * 10 ** decimals)), nowSec - 60]);
    return rounds;
  };
  const feed = async (rounds, heartbeatSec, pair, decimals = 8) => ({ address: await feedWith(rounds, decimals), decimals, heartbeatSec, pair,
    latest: Number(rounds.at(-1)[1]) / 10 ** decimals });
  const flat = (price) => [[1, BigInt(price * 1e8), nowSec - 3600], [2, BigInt(price * 1e8), nowSec - 120]];
  // ETH is read through a real Chainlink AggregatorProxy that changed aggregators halfway:
  // rounds 1..15 (day 7 missing) in phase 1, the rest in phase 2, as mainnet feeds look.
  const proxied = async (rounds, split, heartbeatSec, pair, decimals = 8) => {
    const firstPhase = rounds.filter(([n]) => n <= split);
    const secondPhase = rounds.filter(([n]) => n > split).map(([n, a, ts]) => [n - split, a, ts]);   // a new aggregator counts from 1
    const aggregatorAt = async (rs) => {
      const address = await deployC(M, [decimals, rs[0][1]], 'MockV3Aggregator');
      for (const [n, answer, ts] of rs) await send(address, M.abi, 'updateRoundData', [BigInt(n), answer, BigInt(ts), BigInt(ts)]);
      return address;
    };
    const a1 = await aggregatorAt(firstPhase), a2 = await aggregatorAt(secondPhase);
    const P = C.AggregatorProxy;
    const address = await deployC(P, [a1], 'AggregatorProxy');
    await send(address, P.abi, 'proposeAggregator', [a2]);
    await send(address, P.abi, 'confirmAggregator', [a2]);
    return { address, decimals, heartbeatSec, pair, latest: Number(rounds.at(-1)[1]) / 10 ** decimals, phaseAggregators: [a1, a2], phaseSplit: split };
  };
  const feeds = {
    ETH: await proxied(history(ethPath), 15, 3600, 'ETH/USD'),
    BTC: await feed(history(btcPath), 3600, 'BTC/USD'),
    USDC: await feed(flat(1), 86400, 'USDC/USD'),
    DAI: await feed(flat(1), 3600, 'DAI/USD'),
  };
  const badFeeds = {
    STALE: await feed([[1, 100000000n, nowSec - 3 * DAY]], 3600, 'STALE/USD'),            // 3 days old, 1 h heartbeat
    JUMP: await feed([[1, 100000000n, nowSec - 600], [2, 250000000n, nowSec - 60]], 3600, 'JUMP/USD'),   // +150 % in one round
    NEGATIVE: await feed([[1, -5n, nowSec - 60]], 3600, 'NEG/USD'),
    INCOMPLETE: await feed([[1, 100000000n, 0]], 3600, 'INC/USD'),                         // updatedAt == 0
  };

  // Uniswap v3: factory, NonfungiblePositionManager (WETH9; any address as descriptor),
  // a WETH/USDC 0.3 % pool at the ETH feed's latest price, and an LP position for the user.
  const UF = artifact('@uniswap/v3-core', 'contracts/UniswapV3Factory.sol/UniswapV3Factory.json');
  const UP = artifact('@uniswap/v3-core', 'contracts/UniswapV3Pool.sol/UniswapV3Pool.json');
  const NPM = artifact('@uniswap/v3-periphery', 'contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json');
  const factory = await deployC(UF, [], 'UniswapV3Factory');
  const positionManager = await deployC(NPM, [factory, tokens.WETH.address, DEPLOYER], 'NonfungiblePositionManager');
  const [t0a, t1a] = [tokens.WETH, tokens.USDC].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  const ethUsd = feeds.ETH.latest;
  // price = token1 raw per token0 raw
  const priceRaw = t0a === tokens.WETH ? ethUsd * 10 ** (6 - 18) : (1 / ethUsd) * 10 ** (18 - 6);
  const sqrtPriceX96 = BigInt(Math.floor(Math.sqrt(priceRaw) * 2 ** 48)) * (1n << 48n);
  const fee = 3000, spacing = 60;
  const tickNow = Math.floor(Math.log(priceRaw) / Math.log(1.0001));
  const tickLower = Math.floor((tickNow - 4000) / spacing) * spacing, tickUpper = Math.ceil((tickNow + 3000) / spacing) * spacing;
  await send(positionManager, NPM.abi, 'createAndInitializePoolIfNecessary', [t0a.address, t1a.address, fee, sqrtPriceX96]);
  const pool = getAddress(await pub.readContract({ address: factory, abi: UF.abi, functionName: 'getPool', args: [t0a.address, t1a.address, fee] }));
  const erc20Approve = [{ type: 'function', name: 'approve', stateMutability: 'nonpayable', inputs: [{ type: 'address' }, { type: 'uint256' }], outputs: [{ type: 'bool' }] }];
  const MAX = (1n << 256n) - 1n;
  for (const t of [t0a, t1a]) await send(t.address, erc20Approve, 'approve', [positionManager, MAX]);
  const want = (t) => (t === tokens.WETH ? parseUnits('5', 18) : parseUnits('15000', 6));
  const mint = await send(positionManager, NPM.abi, 'mint', [{ token0: t0a.address, token1: t1a.address, fee, tickLower, tickUpper,
    amount0Desired: want(t0a), amount1Desired: want(t1a), amount0Min: 0n, amount1Min: 0n, recipient: USER, deadline: BigInt(nowSec + 3600) }]);
  const tokenId = (await pub.readContract({ address: positionManager, abi: NPM.abi, functionName: 'tokenOfOwnerByIndex', args: [USER, 0n] })).toString();

  // Aave v3 from @aave/core-v3 artifacts: provider, ACL, Pool (+ linked logic libraries) and
  // configurator behind their proxies, AaveOracle on the fixture feeds, WETH and USDC reserves.
  const aave = await deployAave({ C, deployC, send, pub, tokens, feeds });
  // The user's position: 10 WETH supplied (by the deployer on the user's behalf), 1000 USDC borrowed.
  const PoolA = artifact('@aave/core-v3', 'contracts/protocol/pool/Pool.sol/Pool.json');
  await send(tokens.WETH.address, erc20Approve, 'approve', [aave.pool, MAX]);
  await send(tokens.USDC.address, erc20Approve, 'approve', [aave.pool, MAX]);
  await send(aave.pool, PoolA.abi, 'supply', [tokens.WETH.address, parseUnits('10', 18), USER, 0]);
  await send(aave.pool, PoolA.abi, 'supply', [tokens.USDC.address, parseUnits('500000', 6), DEPLOYER, 0]);
  await send(aave.pool, PoolA.abi, 'borrow', [tokens.USDC.address, parseUnits('1000', 6), 2n, 0, USER], { from: USER });
  tokens.USDC.balance = '2234.5';   // 1234.5 + the 1000 borrowed

  // Native balance last, so the user's gas spending does not show.
  const nativeBalance = '1.5';
  await provider.request({ method: 'hardhat_setBalance', params: [USER, '0x' + parseUnits(nativeBalance, 18).toString(16)] });

  const cfgToken = (t, feedKey) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals, feed: feedKey });
  const config = {
    chainId, name, native: { symbol: 'ETH', decimals: 18, feed: 'ETH' }, multicall3: MULTICALL3,
    tokens: [cfgToken(tokens.WETH, 'ETH'), cfgToken(tokens.WBTC, 'BTC'), cfgToken(tokens.USDC, 'USDC'), cfgToken(tokens.DAI, 'DAI'),
      { address: tokens.HTML.address, decimals: 18, feed: 'DAI' }, { symbol: 'BRKN', address: tokens.BAD.address, decimals: 18, feed: null },
      { symbol: 'JUNK', address: tokens.JUNK.address, decimals: 18, feed: null }],
    feeds,
    aave: { pool: aave.pool },
    uniswap: { positionManager, factory },
  };
  // The same chain with DAI priced by the stale feed: readPrices then fails (circuit breaker).
  const staleConfig = { ...config, tokens: config.tokens.map((t) => (t.feed === 'DAI' ? { ...t, feed: 'STALE' } : t)), feeds: { ...feeds, STALE: badFeeds.STALE } };

  return {
    rpcUrl: node.url, chainId, user: USER, deployer: DEPLOYER, nowSec, historyDays,
    config, staleConfig, tokens, feeds, badFeeds, nativeBalance,
    aave: { ...aave, supplied: { WETH: '10' }, borrowed: { USDC: '1000' } },
    uniswap: { factory, positionManager, pool, tokenId, tickLower, tickUpper, fee, token0: t0a.address, token1: t1a.address, mintTx: mint.transactionHash },
    abis: { pool: UP.abi, positionManager: NPM.abi, aavePool: PoolA.abi, mockAggregator: M.abi, testToken: T.abi },
    setupMs: Date.now() - t0,
    provider,
    // A transaction from DEPLOYER or `user`, waited for; throws when it reverts.
    send,
    // Pool.getUserAccountData(user): [collateralBase, debtBase, availableBorrowsBase,
    // liquidationThreshold, ltv, healthFactor] (base currency 8 decimals, health factor WAD).
    aaveAccountData: () => pub.readContract({ address: aave.pool, abi: PoolA.abi, functionName: 'getUserAccountData', args: [USER] }),
    stop: () => node.stop(),
  };
}

async function deployAave({ deployC, send, pub, tokens, feeds }) {
  const A = (rel) => artifact('@aave/core-v3', `contracts/${rel}`);
  const Provider = A('protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json');
  const ACL = A('protocol/configuration/ACLManager.sol/ACLManager.json');
  const Pool = A('protocol/pool/Pool.sol/Pool.json');
  const Configurator = A('protocol/pool/PoolConfigurator.sol/PoolConfigurator.json');
  const Oracle = A('misc/AaveOracle.sol/AaveOracle.json');
  const Strategy = A('protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json');
  const AToken = A('protocol/tokenization/AToken.sol/AToken.json');
  const VDebt = A('protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json');
  const SDebt = A('protocol/tokenization/StableDebtToken.sol/StableDebtToken.json');
  const logic = (n) => A(`protocol/libraries/logic/${n}.sol/${n}.json`);

  const addressesProvider = await deployC(Provider, ['Ballast test market', DEPLOYER], 'PoolAddressesProvider');
  await send(addressesProvider, Provider.abi, 'setACLAdmin', [DEPLOYER]);
  const acl = await deployC(ACL, [addressesProvider], 'ACLManager');
  await send(addressesProvider, Provider.abi, 'setACLManager', [acl]);
  await send(acl, ACL.abi, 'addPoolAdmin', [DEPLOYER]);

  const libs = {};
  for (const n of ['BorrowLogic', 'BridgeLogic', 'EModeLogic', 'LiquidationLogic', 'PoolLogic', 'SupplyLogic', 'ConfiguratorLogic']) {
    const a = logic(n); libs[n] = await deployC({ abi: a.abi, bytecode: a.bytecode }, [], n);
  }
  const fl = logic('FlashLoanLogic');
  libs.FlashLoanLogic = await deployC({ abi: fl.abi, bytecode: link(fl, libs) }, [], 'FlashLoanLogic');
  const poolImpl = await deployC({ abi: Pool.abi, bytecode: link(Pool, libs) }, [addressesProvider], 'Pool');
  await send(addressesProvider, Provider.abi, 'setPoolImpl', [poolImpl]);
  const pool = getAddress(await pub.readContract({ address: addressesProvider, abi: Provider.abi, functionName: 'getPool' }));
  const configuratorImpl = await deployC({ abi: Configurator.abi, bytecode: link(Configurator, libs) }, [], 'PoolConfigurator');
  await send(addressesProvider, Provider.abi, 'setPoolConfiguratorImpl', [configuratorImpl]);
  const configurator = getAddress(await pub.readContract({ address: addressesProvider, abi: Provider.abi, functionName: 'getPoolConfigurator' }));

  const oracle = await deployC(Oracle, [addressesProvider, [tokens.WETH.address, tokens.USDC.address], [feeds.ETH.address, feeds.USDC.address],
    zeroAddress, zeroAddress, 10n ** 8n], 'AaveOracle');
  await send(addressesProvider, Provider.abi, 'setPriceOracle', [oracle]);

  const strategy = await deployC(Strategy, [addressesProvider, (RAY * 8n) / 10n, 0n, (RAY * 4n) / 100n, (RAY * 60n) / 100n,
    (RAY * 5n) / 1000n, (RAY * 60n) / 100n, (RAY * 2n) / 100n, (RAY * 8n) / 100n, (RAY * 2n) / 10n], 'DefaultReserveInterestRateStrategy');
  const aTokenImpl = await deployC(AToken, [pool], 'AToken');
  const vDebtImpl = await deployC(VDebt, [pool], 'VariableDebtToken');
  const sDebtImpl = await deployC(SDebt, [pool], 'StableDebtToken');
  const input = (t) => ({ aTokenImpl, stableDebtTokenImpl: sDebtImpl, variableDebtTokenImpl: vDebtImpl, underlyingAssetDecimals: t.decimals,
    interestRateStrategyAddress: strategy, underlyingAsset: t.address, treasury: DEPLOYER, incentivesController: zeroAddress,
    aTokenName: `Aave test ${t.symbol}`, aTokenSymbol: `a${t.symbol}`, variableDebtTokenName: `Aave variable debt ${t.symbol}`,
    variableDebtTokenSymbol: `variableDebt${t.symbol}`, stableDebtTokenName: `Aave stable debt ${t.symbol}`, stableDebtTokenSymbol: `stableDebt${t.symbol}`, params: '0x' });
  await send(configurator, Configurator.abi, 'initReserves', [[input(tokens.WETH), input(tokens.USDC)]]);
  const params = { WETH: [8000n, 8250n, 10500n], USDC: [7700n, 8000n, 10450n] };
  for (const [sym, [ltv, lt, bonus]] of Object.entries(params)) {
    await send(configurator, Configurator.abi, 'configureReserveAsCollateral', [tokens[sym].address, ltv, lt, bonus]);
    await send(configurator, Configurator.abi, 'setReserveBorrowing', [tokens[sym].address, true]);
  }
  return { pool, addressesProvider, acl, configurator, oracle, strategy, poolImpl, params: { WETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 }, USDC: { ltv: 0.77, liquidationThreshold: 0.8, liquidationBonus: 0.045 } } };
}
