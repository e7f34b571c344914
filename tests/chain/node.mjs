// Starts a real anvil (from the npm package @foundry-rs/anvil-linux-amd64) on a free port.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const anvilBin = path.join(path.dirname(require.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin/anvil');

export const freePort = () => new Promise((ok, no) => {
  const s = net.createServer().once('error', no).listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});

export async function startAnvil(args = []) {
  const port = await freePort(), url = `http://127.0.0.1:${port}`;
  const child = spawn(anvilBin, ['--host', '127.0.0.1', '--port', String(port), '--silent', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const kill = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.once('exit', kill);
  for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 25))) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${child.exitCode}`);
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' });
      if (r.ok) break;
    } catch { if (Date.now() - t0 > 30_000) { kill(); throw new Error('anvil did not start within 30 s'); } }
  }
  const stop = () => {
    process.removeListener('exit', kill);
    return child.exitCode !== null ? Promise.resolve() : new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
  };
  return { url, port, stop, pid: child.pid };
}
