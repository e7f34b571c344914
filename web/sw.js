// The service worker: after one visit the app opens with no network. The build prepends
// VERSION (a hash of every file) and PRECACHE (the file list), so a new build is a new cache.
//
// It answers only same-origin GET requests for the app's own files. JSON-RPC (POST, and to
// another origin) is never touched, never cached: balances and prices are always live.
/* global VERSION, PRECACHE */
const CACHE = `ballast-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('ballast-') && key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Navigations (any path under the scope) get the app page; files get their cached copy.
    const key = request.mode === 'navigate' ? './' : request;
    const hit = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
    if (hit) return hit;
    return fetch(request);
  })());
});
