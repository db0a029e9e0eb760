// The desktop suite: VS Code itself (Electron) with this repository as the extension under development,
// driven from its extension host by mocha (index.ts, scenarios.ts).
//   npm run test:vscode                                   downloads VS Code (stable, or VSCODE_VERSION)
//   VSCODE_EXECUTABLE=/path/to/code npm run test:vscode   uses an installed VS Code
// On Linux without a display run it under xvfb: `xvfb-run -a npm run test:vscode` (the CI workflow does).
// Not part of `npm test`: machines without internet cannot download VS Code; code-server covers them (tests/e2e).
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out', 'vscode-tests');

async function main(): Promise<void> {
  // The extension as it ships: the bundles in dist/.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');

  // The suite runs inside VS Code's extension host: one CommonJS bundle, `vscode` provided by the editor.
  await esbuild.build({
    entryPoints: [join(root, 'tests', 'vscode', 'index.ts')],
    outfile: join(out, 'index.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], sourcemap: 'inline', logLevel: 'error',
  });

  // A fresh workspace: the examples and the end-to-end fixtures (with their .vscode/settings.json).
  const workspace = mkdtempSync(join(tmpdir(), 'calc-vscode-ws-'));
  for (const from of [join(root, 'examples'), join(root, 'tests', 'e2e', 'fixtures')]) {
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) cpSync(join(from, name), join(workspace, name), { recursive: true });
  }
  const userData = mkdtempSync(join(tmpdir(), 'calc-vscode-user-'));

  try {
    await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: root,
      extensionTestsPath: join(out, 'index.js'),
      launchArgs: [
        workspace,
        // Only this extension, in a throwaway profile, without the trust prompt or the welcome page.
        '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        `--user-data-dir=${userData}`,
        // Chromium's sandbox refuses to run as root (CI containers); elsewhere it stays on.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
