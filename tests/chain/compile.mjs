// Compiles the fixture's Solidity with solc-js (no download) and caches the output under
// build/chain-cache, keyed by a hash of every source, the compiler version and settings.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cacheDir = path.join(root, 'build', 'chain-cache');

const resolvePkg = (p) => {
  const s = p.split('/'), n = p.startsWith('@') ? 2 : 1;
  return path.join(path.dirname(require.resolve(s.slice(0, n).join('/') + '/package.json')), s.slice(n).join('/'));
};
const ENTRY = {
  'tests/chain/contracts/TestToken.sol': path.join(here, 'contracts/TestToken.sol'),
  'tests/chain/contracts/WETH9.sol': path.join(here, 'contracts/WETH9.sol'),
  '@chainlink/contracts/src/v0.8/shared/mocks/MockV3Aggregator.sol': null,
  '@chainlink/contracts/src/v0.8/vendor/multicall/ebd8b64/src/Multicall3.sol': null,
  '@chainlink/contracts/src/v0.8/data-feeds/test/helpers/DataFeedsLegacyAggregatorProxy.sol': null,
};
// Chainlink's AggregatorProxy (phases, phaseAggregators), as the package ships it for its own
// tests; its exact `pragma solidity 0.8.26` is relaxed so that solc 0.8.37 compiles it unchanged otherwise.
const TRANSFORM = {
  '@chainlink/contracts/src/v0.8/data-feeds/test/helpers/DataFeedsLegacyAggregatorProxy.sol': (src) => src.replace('pragma solidity 0.8.26;', 'pragma solidity ^0.8.20;'),
};
const SETTINGS = { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } };

// Every file the compile reads, collected by following imports, so the cache key covers them all.
function collectSources() {
  const sources = {};
  const queue = Object.entries(ENTRY).map(([k, f]) => [k, f ?? resolvePkg(k)]);
  while (queue.length) {
    const [key, file] = queue.shift();
    if (sources[key]) continue;
    const content = (TRANSFORM[key] ?? ((x) => x))(fs.readFileSync(file, 'utf8'));
    sources[key] = { content };
    for (const m of content.matchAll(/import\s+(?:[^'"]*from\s+)?["']([^"']+)["']/g)) {
      const imp = m[1];
      const k = imp.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(key), imp)) : imp;
      const f = imp.startsWith('.') ? path.resolve(path.dirname(file), imp) : resolvePkg(imp);
      if (!sources[k]) queue.push([k, f]);
    }
  }
  return sources;
}

let memo = null;
export function compileContracts() {
  if (memo) return memo;
  const solcVersion = require('solc/package.json').version;
  const sources = collectSources();
  const hash = crypto.createHash('sha256').update(JSON.stringify({ solcVersion, SETTINGS, sources })).digest('hex').slice(0, 16);
  const cacheFile = path.join(cacheDir, `solc-${hash}.json`);
  if (fs.existsSync(cacheFile)) return (memo = JSON.parse(fs.readFileSync(cacheFile, 'utf8')));
  const solc = require('solc');
  const out = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings: SETTINGS }),
    { import: () => ({ error: 'every source is collected up front' }) }));
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error('solc: ' + errors.map((e) => e.formattedMessage).join('\n'));
  const pick = (file, name) => {
    const c = out.contracts[file][name];
    return { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object, deployedBytecode: '0x' + c.evm.deployedBytecode.object };
  };
  const result = {
    TestToken: pick('tests/chain/contracts/TestToken.sol', 'TestToken'),
    RevertingToken: pick('tests/chain/contracts/TestToken.sol', 'RevertingToken'),
    GarbageToken: pick('tests/chain/contracts/TestToken.sol', 'GarbageToken'),
    GasBurnerToken: pick('tests/chain/contracts/TestToken.sol', 'GasBurnerToken'),
    WETH9: pick('tests/chain/contracts/WETH9.sol', 'WETH9'),
    MockV3Aggregator: pick('@chainlink/contracts/src/v0.8/shared/mocks/MockV3Aggregator.sol', 'MockV3Aggregator'),
    Multicall3: pick('@chainlink/contracts/src/v0.8/vendor/multicall/ebd8b64/src/Multicall3.sol', 'Multicall3'),
    AggregatorProxy: pick('@chainlink/contracts/src/v0.8/data-feeds/test/helpers/DataFeedsLegacyAggregatorProxy.sol', 'DataFeedsLegacyAggregatorProxy'),
  };
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(cacheFile + '.tmp', JSON.stringify(result));
  fs.renameSync(cacheFile + '.tmp', cacheFile);
  return (memo = result);
}

// Compiled artifacts shipped inside the npm packages (Uniswap v3, Aave v3).
export function artifact(pkg, rel) {
  const a = JSON.parse(fs.readFileSync(resolvePkg(`${pkg}/artifacts/${rel}`), 'utf8'));
  return { abi: a.abi, bytecode: a.bytecode, linkReferences: a.linkReferences ?? {} };
}

// Puts library addresses into a bytecode's link placeholders.
export function link(art, libs) {
  let code = art.bytecode.slice(2);
  for (const [file, names] of Object.entries(art.linkReferences)) for (const [name, refs] of Object.entries(names)) {
    const addr = libs[name];
    if (!addr) throw new Error(`missing library ${file}:${name}`);
    for (const { start, length } of refs) code = code.slice(0, start * 2) + addr.slice(2).toLowerCase() + code.slice((start + length) * 2);
  }
  return '0x' + code;
}
