// Runs a benchmark from bench/ on the code as it ships: bundled by esbuild like the server
// (scripts/build.mjs), not through tsx, whose transform keeps function names by wrapping
// every closure as it is created and so slows the hot paths of the analysis.
//   node scripts/build.mjs && node scripts/bench.mjs lsp [--lines 5000] [--json]
// The bundle is written to dist/bench/, so paths relative to the source files still resolve
// (two levels up is the repository).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...rest] = process.argv.slice(2);
const entry = name && join(root, 'bench', name.endsWith('.ts') ? name : `${name}.bench.ts`);
if (!entry || !existsSync(entry)) {
  console.error('usage: node scripts/bench.mjs NAME [args...]   (NAME: a file bench/NAME.bench.ts)');
  process.exit(2);
}
const outfile = join(root, 'dist', 'bench', `${name.replace(/\.ts$/, '').replace(/\.bench$/, '')}.bench.mjs`);
await esbuild.build({
  entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root,
  // the browser driver is a tool of the benchmark, not code that ships, and finds its files from its own path
  external: ['playwright-core'],
  // CommonJS dependencies bundled into an ES module need require
  banner: { js: "import { createRequire as __calcRequire } from 'node:module'; const require = __calcRequire(import.meta.url);" },
});
const r = spawnSync(process.execPath, [...process.execArgv, outfile, ...rest], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
