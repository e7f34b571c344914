// The package as a user gets it: `npm pack`, install the tarball in an empty folder, then
// use it from Node, from a Vite build, and from a plain <script type="module"> in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveStatic } from '../support/browser.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXPECTED_FILES = [
  'README.md', 'bindings/js/cli.js', 'bindings/js/demo-params.json', 'bindings/js/demo.js', 'bindings/js/errors.js',
  'bindings/js/index.d.ts', 'bindings/js/index.js', 'dist/wasm/ballast.mjs', 'dist/wasm/ballast.wasm', 'package.json',
];
// A small problem whose answer is known in closed form: two uncorrelated assets with
// variances 0.04 and 0.01 -> minimum variance weights (0.2, 0.8).
const REQUEST = { assets: ['A', 'B'], covariance: [[0.04, 0], [0, 0.01]], expectedReturns: [0.1, 0.05],
  objective: { type: 'min-variance' }, constraints: { bounds: [0, 1] } };

let dir;
let packed;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8' });
  packed = JSON.parse(out)[0];
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(dir, packed.filename)],
    { cwd: app, stdio: 'pipe' });
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the tarball holds exactly the package files', () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [...EXPECTED_FILES].sort());
});

test('Node 20 imports the installed package with no flags', () => {
  const script = `import { init, BallastError } from 'ballast';
    const b = await init();
    const r = b.optimize(${JSON.stringify(REQUEST)});
    let code = null; try { b.optimize({ assets: [] }); } catch (e) { code = e instanceof BallastError ? e.code : 'wrong'; }
    console.log(JSON.stringify({ status: r.status, weights: r.weights, code }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(dir, 'app'), encoding: 'utf8' });
  const r = JSON.parse(out);
  assert.equal(r.status, 'solved');
  assert.ok(Math.abs(r.weights[0] - 0.2) < 1e-12 && Math.abs(r.weights[1] - 0.8) < 1e-12, `weights ${r.weights}`);
  assert.equal(r.code, 'invalid-shape');
});

test('the CLI runs from the installed package, including the built-in demo', () => {
  const file = path.join(dir, 'request.json');
  fs.writeFileSync(file, JSON.stringify(REQUEST));
  const bin = path.join(dir, 'app/node_modules/.bin/ballast');
  assert.equal(JSON.parse(execFileSync(bin, ['optimize', file], { encoding: 'utf8' })).status, 'solved');
  const demo = JSON.parse(execFileSync(bin, ['optimize', '--demo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  assert.equal(demo.status, 'solved');
  assert.ok(demo.weights.length >= 5);
});

const PAGE_SCRIPT = (importPath) => `
  import { init } from '${importPath}';
  const b = await init();
  const r = b.optimize(${JSON.stringify(REQUEST)});
  document.getElementById('out').textContent = JSON.stringify({ status: r.status, weights: r.weights });`;

async function resultInChromium(url) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('out')?.textContent, null, { timeout: 20_000 })
      .catch(() => assert.fail(`no result in the page; errors: ${errors.join('; ')}`));
    return JSON.parse(await page.textContent('#out'));
  } finally {
    await browser.close();
  }
}

function assertClosedForm(r) {
  assert.equal(r.status, 'solved');
  assert.ok(Math.abs(r.weights[0] - 0.2) < 1e-12 && Math.abs(r.weights[1] - 0.8) < 1e-12, `weights ${r.weights}`);
}

test('a plain <script type="module"> page loads the installed package in Chromium', async () => {
  const app = path.join(dir, 'app');
  fs.writeFileSync(path.join(app, 'plain.html'),
    `<!doctype html><p id="out"></p><script type="module">${PAGE_SCRIPT('./node_modules/ballast/bindings/js/index.js')}</script>`);
  const server = await serveStatic(app);
  try {
    assertClosedForm(await resultInChromium(`${server.url}/plain.html`));
  } finally {
    await server.close();
  }
});

test('a Vite build bundles the package and the .wasm, and the bundle runs in Chromium', async () => {
  const app = path.join(dir, 'app');
  fs.writeFileSync(path.join(app, 'index.html'), '<!doctype html><p id="out"></p><script type="module" src="./main.js"></script>');
  fs.writeFileSync(path.join(app, 'main.js'), PAGE_SCRIPT('ballast'));
  execFileSync(process.execPath, [path.join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    { cwd: app, stdio: 'pipe' });
  const assets = fs.readdirSync(path.join(app, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `Vite did not emit the .wasm: ${assets}`);
  const server = await serveStatic(path.join(app, 'dist'));
  try {
    assertClosedForm(await resultInChromium(`${server.url}/index.html`));
  } finally {
    await server.close();
  }
});
