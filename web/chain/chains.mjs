import { getAddress } from 'viem';
import { ChainError } from './errors.mjs';

// Bundled mainnet data. Token addresses/decimals and Chainlink feed addresses are the
// canonical ones (Chainlink's data-feeds directory, the issuers' docs, Aave and Uniswap
// deployment lists). heartbeatSec is the feed's published heartbeat; a feed older than
// heartbeatSec * (1 + STALENESS_GRACE) is stale (the grace covers block-time jitter).
export const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11';
export const STALENESS_GRACE = 0.1;

const t = (symbol, address, decimals, feed) => ({ symbol, address, decimals, feed });
const f = (pair, address, heartbeatSec, decimals = 8) => ({ pair, address, heartbeatSec, decimals });

const RAW = {
  1: {
    name: 'Ethereum', native: { symbol: 'ETH', decimals: 18, feed: 'ETH' },
    tokens: [
      t('WETH', '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', 18, 'ETH'),
      t('WBTC', '0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599', 8, 'BTC'),
      t('USDC', '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 6, 'USDC'),
      t('USDT', '0xdAC17F958D2ee523a2206206994597C13D831ec7', 6, 'USDT'),
      t('DAI', '0x6B175474E89094C44Da98b954EedeAC495271d0F', 18, 'DAI'),
      t('LINK', '0x514910771AF9Ca656af840dff83E8264EcF986CA', 18, 'LINK'),
      t('UNI', '0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984', 18, 'UNI'),
      t('AAVE', '0x7Fc66500c84A76Ad7e9c93437bFc5Ac33E2DDaE9', 18, 'AAVE'),
      t('stETH', '0xae7ab96520DE3A18E5e111B5EaAb095312D7fE84', 18, 'STETH'),
      t('wstETH', '0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0', 18, null),
    ],
    feeds: {
      ETH: f('ETH/USD', '0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419', 3600),
      BTC: f('BTC/USD', '0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c', 3600),
      USDC: f('USDC/USD', '0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6', 86400),
      USDT: f('USDT/USD', '0x3E7d1eAB13ad0104d2750B8863b489D65364e32D', 86400),
      DAI: f('DAI/USD', '0xAed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9', 3600),
      LINK: f('LINK/USD', '0x2c1d072e956AFFC0D435Cb7AC38EF18d24d9127c', 3600),
      UNI: f('UNI/USD', '0x553303d460EE0afB37EdFf9bE42922D8FF63220e', 3600),
      AAVE: f('AAVE/USD', '0x547a514d5e3769680Ce22B2361c10Ea13619e8a9', 3600),
      STETH: f('STETH/USD', '0xCfE54B5cD566aB89272946F602D76Ea879CAb4a8', 3600),
    },
    aave: { pool: '0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2' },
    uniswap: { positionManager: '0xC36442b4a4522E871399CD717aBDD847Ab11FE88', factory: '0x1F98431c8aD98523631AE4a59f267346ea31F984' },
  },
  42161: {
    name: 'Arbitrum One', native: { symbol: 'ETH', decimals: 18, feed: 'ETH' },
    tokens: [
      t('WETH', '0x82aF49447D8a07e3bd95BD0d56f35241523fBab1', 18, 'ETH'),
      t('WBTC', '0x2f2a2543B76A4166549F7aaB2e75Bef0aefC5B0f', 8, 'BTC'),
      t('USDC', '0xaf88d065e77c8cC2239327C5EDb3A432268e5831', 6, 'USDC'),
      t('USDC.e', '0xFF970A61A04b1cA14834A43f5dE4533eBDDB5CC8', 6, 'USDC'),
      t('USDT', '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9', 6, 'USDT'),
      t('DAI', '0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1', 18, 'DAI'),
      t('LINK', '0xf97f4df75117a78c1A5a0DBb814Af92458539FB4', 18, 'LINK'),
      t('UNI', '0xFa7F8980b0f1E64A2062791cc3b0871572f1F7f0', 18, 'UNI'),
      t('AAVE', '0xba5DdD1f9d7F570dc94a51479a000E3BCE967196', 18, 'AAVE'),
      t('ARB', '0x912CE59144191C1204E64559FE8253a0e49E6548', 18, 'ARB'),
      t('wstETH', '0x5979D7b546E38E414F7E9822514be443A4800529', 18, null),
    ],
    feeds: {
      ETH: f('ETH/USD', '0x639Fe6ab55C921f74e7fac1ee960C0B6293ba612', 86400),
      BTC: f('BTC/USD', '0x6ce185860a4963106506C203335A2910413708e9', 86400),
      USDC: f('USDC/USD', '0x50834F3163758fcC1Df9973b6e91f0F0F0434aD3', 86400),
      USDT: f('USDT/USD', '0x3f3f5dF88dC9F13eac63DF89EC16ef6e7E25DdE7', 86400),
      DAI: f('DAI/USD', '0xc5C8E77B397E531B8EC06BFb0048328B30E9eCfB', 86400),
      LINK: f('LINK/USD', '0x86E53CF1B870786351Da77A57575e79CB55812CB', 3600),
      UNI: f('UNI/USD', '0x9C917083fDb403ab5ADbEC26Ee294f6EcAda2720', 86400),
      AAVE: f('AAVE/USD', '0xaD1d5344AaDE45F43E596773Bcc4c423EAbdD034', 86400),
      ARB: f('ARB/USD', '0xb2A824043730FE05F3DA2efaFa1CBbe83fa548D6', 86400),
    },
    aave: { pool: '0x794a61358D6845594F94dc1DB02A252b5b4814aD' },
    uniswap: { positionManager: '0xC36442b4a4522E871399CD717aBDD847Ab11FE88', factory: '0x1F98431c8aD98523631AE4a59f267346ea31F984' },
    sequencerUptimeFeed: { address: '0xFdB631F5EE196F0ed6FAa767959853A9F217697D', gracePeriodSec: 3600 },
  },
  10: {
    name: 'OP Mainnet', native: { symbol: 'ETH', decimals: 18, feed: 'ETH' },
    tokens: [
      t('WETH', '0x4200000000000000000000000000000000000006', 18, 'ETH'),
      t('WBTC', '0x68f180fcCe6836688e9084f035309E29Bf0A2095', 8, 'BTC'),
      t('USDC', '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', 6, 'USDC'),
      t('USDT', '0x94b008aA00579c1307B0EF2c499aD98a8ce58e58', 6, 'USDT'),
      t('DAI', '0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1', 18, 'DAI'),
      t('LINK', '0x350a791Bfc2C21F9Ed5d10980Dad2e2638ffa7f6', 18, 'LINK'),
      t('OP', '0x4200000000000000000000000000000000000042', 18, 'OP'),
      t('wstETH', '0x1F32b1c2345538c0c6f582fCB022739c4A194Ebb', 18, null),
    ],
    feeds: {
      ETH: f('ETH/USD', '0x13e3Ee699D1909E989722E753853AE30b17e08c5', 1200),
      BTC: f('BTC/USD', '0xD702DD976Fb76Fffc2D3963D037dfDae5b04E593', 1200),
      USDC: f('USDC/USD', '0x16a9FA2FDa030272Ce99B29CF780dFA30361E0f3', 86400),
      USDT: f('USDT/USD', '0xECef79E109e997bCA29c1c0897ec9d7b03647F5E', 86400),
      DAI: f('DAI/USD', '0x8dBa75e83DA73cc766A7e5a0ee71F656BAb470d6', 86400),
      LINK: f('LINK/USD', '0xCc232dcFAAE6354cE191Bd574108c1aD03f86450', 1200),
      OP: f('OP/USD', '0x0D276FC14719f9292D5C1eA2198673d1f4269246', 1200),
    },
    aave: { pool: '0x794a61358D6845594F94dc1DB02A252b5b4814aD' },
    uniswap: { positionManager: '0xC36442b4a4522E871399CD717aBDD847Ab11FE88', factory: '0x1F98431c8aD98523631AE4a59f267346ea31F984' },
    sequencerUptimeFeed: { address: '0x371EAD81c9102C9BF4874A9075FFFf170F2Ee389', gracePeriodSec: 3600 },
  },
  8453: {
    name: 'Base', native: { symbol: 'ETH', decimals: 18, feed: 'ETH' },
    tokens: [
      t('WETH', '0x4200000000000000000000000000000000000006', 18, 'ETH'),
      t('USDC', '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', 6, 'USDC'),
      t('USDbC', '0xd9aAEc86B65D86f6A7B5B1b0c42FFA531710b6CA', 6, 'USDC'),
      t('DAI', '0x50c5725949A6F0c72E6C4a641F24049A917DB0Cb', 18, 'DAI'),
      t('cbETH', '0x2Ae3F1Ec7F1F5012CFEab0185bfc7aa3cf0DEc22', 18, 'CBETH'),
      t('cbBTC', '0xcbB7C0000aB88B473b1f5aFd9ef808440eed33Bf', 8, 'BTC'),
      t('wstETH', '0xc1CBa3fCea344f92D9239c08C0568f6F2F0ee452', 18, null),
    ],
    feeds: {
      ETH: f('ETH/USD', '0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70', 1200),
      BTC: f('BTC/USD', '0x64c911996D3c6aC71f9b455B1E8E7266BcbD848F', 1200),
      USDC: f('USDC/USD', '0x7e860098F58bBFC8648a4311b374B1D669a2bc6B', 86400),
      DAI: f('DAI/USD', '0x591e79239a7d679378eC8c847e5038150364C78F', 86400),
      CBETH: f('CBETH/USD', '0xd7818272B9e248357d13057AAb0B417aF31E817d', 1200),
    },
    aave: { pool: '0xA238Dd80C259a72e81d7e4664a9801593F98d1c5' },
    uniswap: { positionManager: '0x03a520b32C04BF3bEEf7BEb72E919cf822Ed34f1', factory: '0x33128a8fC17869897dcE68Ed026d694621f6FDfD' },
    sequencerUptimeFeed: { address: '0xBCF85224fc0756B9Fa45aA7892530B47e10b6433', gracePeriodSec: 3600 },
  },
  137: {
    name: 'Polygon PoS', native: { symbol: 'POL', decimals: 18, feed: 'POL' },
    tokens: [
      t('WPOL', '0x0d500B1d8E8eF31E21C99d1Db9A6444d3ADf1270', 18, 'POL'),
      t('WETH', '0x7ceB23fD6bC0adD59E62ac25578270cFf1b9f619', 18, 'ETH'),
      t('WBTC', '0x1BFD67037B42Cf73acF2047067bd4F2C47D9BfD6', 8, 'BTC'),
      t('USDC', '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', 6, 'USDC'),
      t('USDC.e', '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174', 6, 'USDC'),
      t('USDT', '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', 6, 'USDT'),
      t('DAI', '0x8f3Cf7ad23Cd3CaDbD9735AFf958023239c6A063', 18, 'DAI'),
      t('LINK', '0x53E0bca35eC356BD5ddDFebbD1Fc0fD03FaBad39', 18, 'LINK'),
      t('AAVE', '0xD6DF932A45C0f255f85145f286eA0b292B21C90B', 18, 'AAVE'),
      t('wstETH', '0x03b54A6e9a984069379fae1a4fC4dBAE93B3bCCD', 18, null),
    ],
    feeds: {
      POL: f('POL/USD', '0xAB594600376Ec9fD91F8e885dADF0CE036862dE0', 120),
      ETH: f('ETH/USD', '0xF9680D99D6C9589e2a93a78A04A279e509205945', 120),
      BTC: f('BTC/USD', '0xc907E116054Ad103354f2D350FD2514433D57F6f', 120),
      USDC: f('USDC/USD', '0xfE4A8cc5b5B2366C1B58Bea3858e81843581b2F7', 86400),
      USDT: f('USDT/USD', '0x0A6513e40db6EB1b165753AD52E80663aeA50545', 86400),
      DAI: f('DAI/USD', '0x4746DeC9e833A82EC7C2C1356372CcF2cfcD2F3D', 86400),
      LINK: f('LINK/USD', '0xd9FFdb71EbE7496cC440152d43986Aae0AB76665', 120),
      AAVE: f('AAVE/USD', '0x72484B12719E23115761D5DA1646945632979bB6', 120),
    },
    aave: { pool: '0x794a61358D6845594F94dc1DB02A252b5b4814aD' },
    uniswap: { positionManager: '0xC36442b4a4522E871399CD717aBDD847Ab11FE88', factory: '0x1F98431c8aD98523631AE4a59f267346ea31F984' },
  },
};

const addr = (a) => (a ? getAddress(a.toLowerCase()) : a);

// Normalizes a config (bundled or passed in, e.g. the test fixture's 31337 one).
export function normalizeConfig(chainId, raw) {
  const feeds = {};
  for (const [k, v] of Object.entries(raw.feeds ?? {})) feeds[k] = { ...v, address: addr(v.address) };
  return Object.freeze({
    chainId, name: raw.name ?? `Chain ${chainId}`,
    native: { symbol: 'ETH', decimals: 18, feed: null, ...raw.native },
    multicall3: addr(raw.multicall3 ?? MULTICALL3),
    tokens: (raw.tokens ?? []).map((x) => ({ feed: null, ...x, address: addr(x.address) })),
    feeds,
    aave: raw.aave ? { ...raw.aave, pool: addr(raw.aave.pool) } : null,
    uniswap: raw.uniswap ? { positionManager: addr(raw.uniswap.positionManager), factory: addr(raw.uniswap.factory) } : null,
    // L2s: Chainlink's sequencer uptime feed (answer 0 = up, 1 = down; startedAt = last change).
    sequencerUptimeFeed: raw.sequencerUptimeFeed ? { gracePeriodSec: 3600, ...raw.sequencerUptimeFeed, address: addr(raw.sequencerUptimeFeed.address) } : null,
  });
}

export const CHAINS = Object.freeze(Object.fromEntries(Object.entries(RAW).map(([id, c]) => [id, normalizeConfig(Number(id), c)])));
export const SUPPORTED_CHAIN_IDS = Object.freeze([1, 42161, 10, 8453, 137]);

export function getChainConfig(chainId, override) {
  if (override) {
    if (override.chainId !== undefined && Number(override.chainId) !== Number(chainId))
      throw new ChainError('wrong-chain', `The config is for chain ${override.chainId}, not ${chainId}.`, { expected: Number(override.chainId), actual: Number(chainId) });
    return override.multicall3 && Object.isFrozen(override) ? override : normalizeConfig(Number(chainId), override);
  }
  const c = CHAINS[chainId];
  if (!c) throw new ChainError('unsupported-chain', `Chain ${chainId} is not supported (supported: ${SUPPORTED_CHAIN_IDS.join(', ')}).`, { field: 'chainId', actual: Number(chainId) });
  return c;
}
