import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/build-default-model.mjs');

describe('build-default-model without ../shared/data', () => {
  it('skips with a message, exits 0 and writes a manifest saying nothing is built in', () => {
    // A checkout of just the script, in a folder whose ../shared/data does not exist.
    const root = join(mkdtempSync(join(tmpdir(), 'muzo-default-')), 'repo');
    try {
      mkdirSync(join(root, 'scripts'), { recursive: true });
      copyFileSync(SCRIPT, join(root, 'scripts', 'build-default-model.mjs'));
      const run = spawnSync(process.execPath, ['scripts/build-default-model.mjs', '--if-missing'], { cwd: root, encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/features_30_sec\.csv not found: skipping/);
      expect(run.stdout).toMatch(/no built-in model is available/);
      const manifest = JSON.parse(readFileSync(join(root, 'public', 'default', 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ dataset: null, model: null, card: null });
      expect(existsSync(join(root, 'public', 'default', 'model'))).toBe(false);
    } finally {
      rmSync(resolve(root, '..'), { recursive: true, force: true });
    }
  });
});
