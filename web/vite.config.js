// Builds web/ into dist/web: a folder any static host, or a USB stick opened from file://,
// can serve. Relative asset paths only. See docs/web.md for why each piece is shaped this way.
//
// - The page script is one classic (IIFE) bundle loaded with <script defer>: module scripts do
//   not run from file:// (origin null).
// - The worker (web/worker.js + the engine glue) is bundled by esbuild into a classic script
//   whose text the page starts from a Blob URL (virtual:ballast-worker). A worker by URL
//   cannot start from file://, and a Blob module worker does not load there either.
// - ballast.wasm is copied as assets/ballast-<hash>.wasm (streamed by the worker on http), and
//   as assets/ballast-<hash>.wasm.js, the same bytes in base64 in a classic script that the
//   page loads only when opened from file:// (where fetch() is refused).
// - sw.js, the service worker, is written last with the list of every file to precache.
import { createLogger, defineConfig } from 'vite';
import { build as esbuild } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const WASM = path.join(repo, 'dist/wasm/ballast.wasm');
const VIRTUAL = '\0ballast-worker';

const hashOf = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 10);

function ballastWorker() {
  let wasmName = null;
  return {
    name: 'ballast-worker',
    resolveId: (id) => (id === 'virtual:ballast-worker' ? VIRTUAL : null),
    async load(id) {
      if (id !== VIRTUAL) return null;
      if (!fs.existsSync(WASM)) this.error(`${WASM} is missing: run scripts/setup.sh (it builds the WASM engine) first`);
      const bytes = fs.readFileSync(WASM);
      wasmName = `assets/ballast-${hashOf(bytes)}.wasm`;
      this.emitFile({ type: 'asset', fileName: wasmName, source: bytes });
      this.emitFile({ type: 'asset', fileName: `${wasmName}.js`,
        source: `// ballast.wasm as base64, for pages opened from file:// only.\nself.BALLAST_WASM_BASE64=${JSON.stringify(bytes.toString('base64'))};\n` });
      const out = await esbuild({
        entryPoints: [path.join(here, 'worker.js')], bundle: true, write: false, format: 'iife', platform: 'browser',
        target: 'es2022', minify: true, legalComments: 'none', metafile: true,
        // The engine glue reads import.meta.url at load time; inside a Blob worker there is no
        // usable base URL, and the worker always passes locateFile or wasmBinary anyway.
        define: { 'import.meta.url': JSON.stringify('file:///ballast/bindings/js/index.js') },
      });
      for (const input of Object.keys(out.metafile.inputs)) this.addWatchFile(path.resolve(repo, input));
      const workerSource = out.outputFiles[0].text;
      return `export const workerSource = ${JSON.stringify(workerSource)};\nexport const wasmFile = ${JSON.stringify(wasmName)};\n`;
    },
  };
}

// Vite writes <script type="module" crossorigin>; a classic deferred script is what file:// runs,
// and crossorigin would turn a file:// stylesheet load into a refused CORS request.
function classicScripts() {
  return {
    name: 'ballast-classic-scripts',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html
        .replace(/<script type="module" crossorigin src=/g, '<script defer src=')
        .replace(/<script type="module" src=/g, '<script defer src=')
        .replace(/ crossorigin(?=[\s>])/g, ''),
    },
  };
}

function serviceWorker() {
  let outDir = null;
  return {
    name: 'ballast-service-worker',
    apply: 'build',
    configResolved(config) { outDir = config.build.outDir; },
    writeBundle() {
      // Everything in the output (bundle and public files), except the file://-only wasm copy.
      const walk = (dir) => fs.readdirSync(path.join(outDir, dir), { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.posix.join(dir, e.name)) : [path.posix.join(dir, e.name)]));
      const files = walk('.').map((f) => f.replace(/^\.\//, ''))
        .filter((f) => f !== 'sw.js' && !f.endsWith('.wasm.js') && !f.endsWith('.map')).sort();
      const hash = crypto.createHash('sha256');
      for (const f of files) hash.update(f).update(fs.readFileSync(path.join(outDir, f)));
      const source = fs.readFileSync(path.join(here, 'sw.js'), 'utf8');
      const header = `const VERSION = ${JSON.stringify(hash.digest('hex').slice(0, 12))};\nconst PRECACHE = ${JSON.stringify(['./', ...files])};\n`;
      fs.writeFileSync(path.join(outDir, 'sw.js'), header + source);
    },
  };
}

// Two notices are expected and say nothing wrong: csp.js is a classic script on purpose (it
// must run before any module), and styles.css is a public file copied as it is.
const logger = createLogger('warn');
const warn = logger.warn.bind(logger);
const warnOnce = logger.warnOnce.bind(logger);
const expected = (msg) => /csp\.js.*can't be bundled|styles\.css doesn't exist at build time/.test(msg);
logger.warn = (msg, options) => (expected(msg) ? undefined : warn(msg, options));
logger.warnOnce = (msg, options) => (expected(msg) ? undefined : warnOnce(msg, options));

export default defineConfig({
  customLogger: logger,
  root: here,
  base: './',
  publicDir: path.join(here, 'public'),
  logLevel: 'warn',
  build: {
    outDir: path.join(repo, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      output: { format: 'iife' },
      // Vite's preload helper and viem's lazy imports mention import.meta; in one IIFE their
      // dynamic imports are inlined and nothing is preloaded, so "import.meta becomes {}" is
      // expected there. Our own page code does not use import.meta (the worker's engine glue gets a define, above).
      checks: { emptyImportMeta: false },
    },
  },
  plugins: [ballastWorker(), classicScripts(), serviceWorker()],
});
