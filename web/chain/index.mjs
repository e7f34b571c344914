// The chain side of the web app: wallets, watch-only RPC, balances, prices, DeFi positions.
export * from './errors.mjs';
export { safeText } from './text.mjs';
export { FORBIDDEN_METHODS, isForbiddenMethod, readOnly } from './guard.mjs';
export { checkAddress, checkRpcUrl } from './validate.mjs';
export { httpProvider, watchOnly, DEFAULT_TIMEOUT_MS } from './http-provider.mjs';
export { discoverWallets, connectWallet, getWalletState, watchWallet } from './wallets.mjs';
export { CHAINS, SUPPORTED_CHAIN_IDS, MULTICALL3, getChainConfig, normalizeConfig } from './chains.mjs';
export { readBalances } from './balances.mjs';
export { readPrices, readPriceHistory, checkRound, dailyCloses, historyMatrix, utcDay } from './prices.mjs';
export { parsePriceCsv } from './csv.mjs';
export { readAavePositions, decodeReserveConfiguration, healthFactorFromBalances } from './aave.mjs';
export { readUniswapV3Positions, positionAmounts, getSqrtRatioAtTick, price1Per0, uncollectedFees } from './uniswap.mjs';
export { toAnalyzeRequest, CHAIN_NAMES } from './positions.mjs';
