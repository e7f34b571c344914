// `npm run bench` (web part): measures the built page (dist/web) as a first-time visitor gets
// it from a static host that gzips: bytes transferred, and time from navigation start to the
// first demo result on screen. Writes the numbers into the marked section of docs/web.md.
// Cold runs: a fresh browser context each time (no HTTP cache, no service worker).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.join(repo, 'dist/web');
const RUNS = Number(process.env.BALLAST_WEB_RUNS ?? 7);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error('dist/web is missing: run scripts/setup.sh first');
  process.exit(1);
}

// A gzip static server (level 6, what nginx/CDNs commonly use) that counts the bytes it sends.
let sent = [];
const server = http.createServer((req, res) => {
  let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.join(root, rel);
  if (!file.startsWith(root) || !fs.existsSync(file)) return res.writeHead(404).end();
  const raw = fs.readFileSync(file);
  const gz = /gzip/.test(req.headers['accept-encoding'] ?? '') ? zlib.gzipSync(raw, { level: 6 }) : raw;
  sent.push({ file: rel, raw: raw.length, gzip: gz.length });
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-encoding': gz === raw ? 'identity' : 'gzip', 'cache-control': 'no-store' });
  res.end(gz);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'] });
const times = [];
const phases = { engine: [], demo: [] };
const load0 = os.loadavg()[0];
let transfer = null;
try {
  for (let i = 0; i < RUNS; i++) {
    sent = [];
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('ballast:first-result').length > 0, null, { timeout: 60_000 });
    const marks = await page.evaluate(() => Object.fromEntries(['ballast:engine-ready', 'ballast:demo-ready', 'ballast:first-result']
      .map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? null])));
    times.push(marks['ballast:first-result']);
    phases.engine.push(marks['ballast:engine-ready']);
    phases.demo.push(marks['ballast:demo-ready']);
    transfer ??= sent.slice();
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = transfer.reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  `Measured by \`bench/web.mjs\` (\`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${cpu}), Chromium ${browser.version()}, headless, loopback server gzipping at level 6, ${RUNS} cold loads (fresh context, no cache, no service worker).`,
  '',
  '| file | bytes | gzip (transferred) |',
  '| --- | ---: | ---: |',
  ...transfer.map((f) => `| \`${f.file}\` | ${kb(f.raw)} | ${kb(f.gzip)} |`),
  `| **total, first visit** | **${kb(total.raw)}** | **${kb(total.gzip)}** |`,
  '',
  `Time from navigation start to the first demo result on screen (engine loaded in the worker, 730 simulated days generated, estimate + optimize + 30-point frontier + report, the allocation's panels drawn; the DeFi and options panels are computed alongside and not waited for): median **${median(times).toFixed(0)} ms**, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms.`,
  `Of that (medians, from navigation start): engine compiled and ready in the worker at ${median(phases.engine).toFixed(0)} ms; demo data generated at ${median(phases.demo).toFixed(0)} ms; the rest is the analysis and drawing.`,
  `Machine load when the run started: ${load0.toFixed(1)} (1-minute load average on ${os.cpus().length} cores${load0 > os.cpus().length ? '; the machine was shared and oversubscribed, so these times are upper bounds' : ''}).`,
];
console.log(lines.join('\n'));

const START = '<!-- bench:web:start -->';
const END = '<!-- bench:web:end -->';
// The same numbers go into docs/web.md (beside the page's design) and docs/performance.md
// (beside every other benchmark). `npm run bench` runs this after bench/run.mjs, which
// rewrites docs/performance.md whole, so the section is appended there again each run.
function writeSection(file, heading) {
  const doc = path.join(repo, file);
  let text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : `# Web app\n`;
  if (!text.includes(START)) text = `${text.trimEnd()}\n\n${heading}\n\n${START}\n${END}\n`;
  text = text.replace(new RegExp(`${START}[\\s\\S]*${END}`), `${START}\n${lines.join('\n')}\n${END}`);
  fs.writeFileSync(doc, text);
  console.log(`wrote ${path.relative(repo, doc)}`);
}
writeSection('docs/web.md', '## Measured');
writeSection('docs/performance.md', '## Web app: bytes transferred and time to the first demo result');
