// Bundles every target with esbuild: one context per target, as STYLE.md asks.
//   node scripts/build.mjs               development build
//   node scripts/build.mjs --production  minified, no source maps (what the .vsix ships)
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  // The VS Code extension (desktop): `vscode` is provided by the editor.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The language server and the command line share the analysis core.
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/server/cli.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The webview: runs in the browser, draws only.
  { ...common, entryPoints: ['media/src/main.ts'], outfile: 'dist/media/main.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

mkdirSync(join(root, 'dist'), { recursive: true });
const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const copy of (await import('./assets.mjs')).assets) {
    mkdirSync(dirname(join(root, copy.to)), { recursive: true });
    cpSync(join(root, copy.from), join(root, copy.to), { recursive: true });
  }
  console.log(`[build] ${production ? 'production' : 'development'} build done`);
}
