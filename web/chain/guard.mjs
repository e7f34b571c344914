import { ChainError } from './errors.mjs';

// Methods that would ask the wallet to sign or send. The page is read-only: these are
// refused here, before the wallet (or the RPC) ever sees them.
export const FORBIDDEN_METHODS = new Set([
  'eth_sendTransaction', 'eth_sendRawTransaction', 'eth_signTransaction', 'eth_sign',
  'personal_sign', 'eth_signTypedData', 'eth_signTypedData_v1', 'eth_signTypedData_v3',
  'eth_signTypedData_v4', 'wallet_sendCalls', 'wallet_sendTransaction', 'wallet_signTypedData',
  'wallet_grantPermissions', 'wallet_addEthereumChain', 'wallet_watchAsset', 'eth_decrypt',
  'eth_getEncryptionPublicKey',
]);
// Allowed on purpose: eth_requestAccounts / wallet_requestPermissions (connecting) and
// wallet_switchEthereumChain (a network switch the user confirms; nothing is signed or sent).
// wallet_addEthereumChain is refused: it would hand the wallet an RPC URL chosen by the page.
const FORBIDDEN_PREFIX = /^(eth_sign|eth_send|personal_sign|wallet_send|wallet_sign)/i;

export function isForbiddenMethod(method) {
  if (typeof method !== 'string') return true;
  return FORBIDDEN_METHODS.has(method) || FORBIDDEN_PREFIX.test(method);
}

const GUARDED = Symbol.for('ballast.readOnly');

export function readOnly(provider) {
  if (!provider || typeof provider.request !== 'function')
    throw new ChainError('no-wallet', 'Not an EIP-1193 provider (no request function).');
  if (provider[GUARDED]) return provider;
  const wrapped = {
    [GUARDED]: true,
    async request(args) {
      const method = args?.method;
      if (isForbiddenMethod(method))
        throw new ChainError('signing-refused', `Refused ${String(method)}: Ballast is read-only and never asks to sign or send.`, { rpcCode: 4200, method: String(method) });
      return provider.request(args);
    },
    on: (event, fn) => { provider.on?.(event, fn); return wrapped; },
    removeListener: (event, fn) => { provider.removeListener?.(event, fn); return wrapped; },
  };
  return Object.freeze(wrapped);
}
