// `npm start`: serves the built web app (dist/web, made by scripts/setup.sh with Vite) on
// 127.0.0.1. Static only: the page computes everything itself, in WebAssembly, in a worker.
// Any static host (or a USB stick opened from file://) serves dist/web the same way.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_ROOT = path.join(repo, 'dist/web');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

/** A static file server for `root` (default dist/web). */
export function createServer({ root = WEB_ROOT } = {}) {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    // The old start page lived at /web/; keep that link working.
    if (rel === '/web' || rel.startsWith('/web/')) { res.writeHead(301, { location: '/' }); return res.end(); }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep)) return res.writeHead(404).end('not found');
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, {
        'content-type': types[path.extname(file)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        // The service worker keeps the app for offline use; the HTTP cache need not.
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await fs.access(path.join(WEB_ROOT, 'index.html'));
  } catch {
    console.error('dist/web is missing: run `npm run build` (scripts/setup.sh builds the web app).');
    process.exit(1);
  }
  createServer().listen(port, host, () => {
    console.log(`Ballast: http://${host}:${port}/  (Ctrl+C to stop; the app is also in dist/web for any static host)`);
  });
}
