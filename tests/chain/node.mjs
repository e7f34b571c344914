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

// A port from listen(0) can be taken by another process before anvil binds it (tests run
// side by side): if anvil exits at start, try again on a new port.
export async function startAnvil(args = [], attempts = 3) {
  for (let i = 1; ; i++) {
    try { return await startAnvilOnce(args); }
    catch (e) { if (i >= attempts || !/exited/.test(e.message)) throw e; }
  }
}

async function startAnvilOnce(args) {
  const port = await freePort(), url = `http://127.0.0.1:${port}`;
  const child = spawn(anvilBin, ['--host', '127.0.0.1', '--port', String(port), '--silent', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); process.stderr.write(d); });
  const kill = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.once('exit', kill);
  for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 25))) {
    if (child.exitCode !== null) { process.removeListener('exit', kill); throw new Error(`anvil exited with code ${child.exitCode}: ${stderr.trim()}`); }
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', signal: AbortSignal.timeout(2000) });
      // Make sure it is our anvil answering, not another server that took the port first.
      const j = r.ok ? await r.json().catch(() => null) : null;
      if (j && /^0x[0-9a-f]+$/.test(j.result ?? '') && child.exitCode === null) break;
    } catch { if (Date.now() - t0 > 60_000) { kill(); throw new Error('anvil did not start within 60 s'); } }
  }
  const stop = () => {
    process.removeListener('exit', kill);
    return child.exitCode !== null ? Promise.resolve() : new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
  };
  return { url, port, stop, pid: child.pid };
}
