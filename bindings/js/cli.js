#!/usr/bin/env node
// ballast <optimize|frontier|estimate|report> <file.json|->   run one request, print the result
// ballast <greeks|implied-vol> <file.json|->                  option prices, Greeks, implied vols
// ballast <analyze|strategy> <file.json|->                    DeFi positions and strategy builders
// ballast <smile|surface|book|hedge> <file.json|->             smiles, surfaces, book Greeks and scenarios, hedges
// ballast [method] --demo                                     run the built-in demo portfolio
//
// The result is printed as JSON on stdout (exit 0). A request the engine refuses prints
// {"error":{"code","message","field"}} on stdout and exits 2. A usage or I/O problem prints a
// message on stderr and exits 1. Besides strict JSON, the request may use the NaN, Infinity
// and -Infinity tokens that Python's json module writes, so such values reach the engine and
// are reported by field rather than as unreadable JSON.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BallastError, init } from './index.js';

// Portfolio methods (these have a demo), then option methods: command name -> package method.
const DEMO_METHODS = ['optimize', 'frontier', 'estimate', 'report'];
const OPTION_METHODS = {
  greeks: 'greeks',
  'implied-vol': 'impliedVol',
  smile: 'smile',
  surface: 'surface',
  book: 'book',
  hedge: 'hedge',
  analyze: 'analyze',
  strategy: 'strategy',
};
const METHODS = [...DEMO_METHODS, ...Object.keys(OPTION_METHODS)];
const USAGE = `usage: ballast <${METHODS.join('|')}> <file.json|->
       ballast [${DEMO_METHODS.join('|')}] --demo
       ballast --version`;

class UsageError extends Error {}

async function main(argv) {
  const args = argv.filter((arg) => arg !== '--demo');
  const demo = args.length !== argv.length;
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length === 1 && args[0] === '--version') {
    console.log((await init()).version);
    return 0;
  }

  const method = demo && (args.length === 0 || !DEMO_METHODS.includes(args[0])) ? 'optimize' : args[0];
  const sources = demo ? args.slice(DEMO_METHODS.includes(args[0]) ? 1 : 0) : args.slice(1);
  if (!METHODS.includes(method)) throw new UsageError(`unknown method '${method ?? ''}'\n${USAGE}`);
  if (demo ? sources.length !== 0 : sources.length !== 1) throw new UsageError(USAGE);

  let request;
  try {
    request = demo ? await demoRequest() : parseRequest(await readSource(sources[0]));
  } catch (error) {
    if (error instanceof BallastError) return refuse(error);
    throw error;
  }

  const ballast = await init();
  try {
    const result = ballast[OPTION_METHODS[method] ?? method](request);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BallastError) return refuse(error);
    throw error;
  }
}

function refuse(error) {
  process.stdout.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
  return 2;
}

async function readSource(source) {
  try {
    return source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${source === '-' ? 'stdin' : source}: ${error.message}`);
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function demoRequest() {
  const demoUrl = new URL('./demo.js', import.meta.url);
  if (!existsSync(demoUrl)) {
    throw new UsageError('--demo is not available: the demo portfolio generator (bindings/js/demo.js) is not part of this build yet');
  }
  const demo = await import(demoUrl.href);
  // The demo carries two labels that are not request keys: print the note, drop both.
  const { note, simulated, ...request } = demo.demoRequest();
  if (note) process.stderr.write(`demo: ${note}\n`);
  return request;
}

// ---- JSON with NaN / Infinity tokens -------------------------------------------------------

const NON_FINITE = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };
const SENTINEL = '\u0000ballast-non-finite:';

function parseRequest(text) {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    const rewritten = quoteNonFiniteTokens(text);
    if (rewritten === text) throw invalidJson(strictError);
    try {
      return JSON.parse(rewritten, (key, value) =>
        typeof value === 'string' && value.startsWith(SENTINEL) ? NON_FINITE[value.slice(SENTINEL.length)] : value,
      );
    } catch (error) {
      throw invalidJson(error);
    }
  }
}

function invalidJson(error) {
  return new BallastError('invalid-json', `the request is not valid JSON: ${error.message}`, '');
}

// Replace bare NaN / Infinity / -Infinity (outside strings) with sentinel strings.
function quoteNonFiniteTokens(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`ballast: ${error instanceof UsageError ? error.message : error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
