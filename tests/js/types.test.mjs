// The hand-written index.d.ts must describe the API as a user sees it: tests/js/types/usage.ts
// exercises every function and result field, and its `@ts-expect-error` lines must all fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('usage.ts type-checks with tsc --strict against index.d.ts', { timeout: 120_000 }, () => {
  const run = spawnSync(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      '--noEmit',
      '--strict',
      '--target', 'es2022',
      '--module', 'nodenext',
      '--moduleResolution', 'nodenext',
      '--skipLibCheck', 'false',
      'tests/js/types/usage.ts',
    ],
    { cwd: root, encoding: 'utf8', timeout: 110_000 },
  );
  assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});
