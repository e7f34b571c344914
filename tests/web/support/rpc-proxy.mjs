// A small HTTP proxy in front of a node, for page tests of an RPC that is down or slow: it
// keeps its port (so the page's CSP still names it) while the test switches it between
//   'pass'  forward every request (CORS preflights included) to the node,
//   'down'  drop each connection without an answer (the page sees a network error),
//   'slow'  forward, but answer only after `delayMs` (the page's deadline must fire first).
import http from 'node:http';

export async function startRpcProxy(targetUrl) {
  const target = new URL(targetUrl);
  const proxy = { mode: 'pass', delayMs: 0, requests: 0 };
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    proxy.requests++;
    if (proxy.mode === 'down') return req.socket.destroy();
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const forward = () => {
        const up = http.request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
          const body = [];
          answer.on('data', (c) => body.push(c));
          answer.on('end', () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode, answer.headers);
            res.end(Buffer.concat(body));
          });
        });
        up.on('error', () => res.destroy());
        up.end(Buffer.concat(chunks));
      };
      if (proxy.mode === 'slow') setTimeout(forward, proxy.delayMs); else forward();
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  proxy.url = `http://127.0.0.1:${server.address().port}/`;
  proxy.close = () => new Promise((ok) => { for (const s of sockets) s.destroy(); server.close(ok); });
  return proxy;
}
