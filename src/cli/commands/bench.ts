import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npx muzo bench`: runs every section in src/cli/bench/ (features in Node, the browser worker pool, training)
 * and prints one JSON object, keyed by section. `--only a,b` runs just those sections.
 */
export async function run(args: string[]): Promise<number> {
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').filter(Boolean)) : null;
  const dir = fileURLToPath(new URL('../bench/', import.meta.url));
  const sections = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .filter((name) => !only || only.has(name))
    .sort();
  const result: Record<string, unknown> = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, platform: process.platform },
  };
  let failed = false;
  for (const name of sections) {
    const started = performance.now();
    try {
      const mod = (await import(`../bench/${name}.ts`)) as { bench: () => Promise<Record<string, unknown>> };
      result[name] = await mod.bench();
    } catch (err) {
      failed = true;
      result[name] = { error: err instanceof Error ? err.message : String(err) };
    }
    console.error(`muzo bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(JSON.stringify(result));
  return failed ? 1 : 0;
}
