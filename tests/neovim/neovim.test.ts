// calc-language-server in another editor: Debian's Neovim (0.7) attaches it to a .calc buffer with its built-in
// LSP client (attach.lua), and we check what Neovim received: the diagnostics on their lines and a hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NVIM = process.env.NVIM_PATH ?? '/usr/bin/nvim';

interface NvimResult {
  attached: boolean;
  diagnostics: { lnum: number; col: number; severity: number; code: number | string | null; message: string }[];
  hover: string | null;
  errors: string[];
}

const WORKSHEET = [
  '# a worksheet with one mistake',
  'f(x, y) = x^2*y + sin(x)',
  'f(1, 2)',
  'z = sinn(2)',
  '',
].join('\n');

test('Neovim attaches calc-language-server --stdio, shows its diagnostics on their lines and its hover', { timeout: 120_000 }, () => {
  assert.ok(existsSync(NVIM), `${NVIM} is missing: run scripts/setup-system.sh`);
  const server = join(root, 'bin', 'calc-language-server.js');
  assert.ok(existsSync(server), 'bin/calc-language-server.js is missing');
  const dir = mkdtempSync(join(tmpdir(), 'calc-nvim-'));
  const file = join(dir, 'sheet.calc');
  const out = join(dir, 'result.json');
  writeFileSync(file, WORKSHEET);
  const lines = WORKSHEET.split('\n');
  const hoverLine = lines.findIndex((l) => l.startsWith('f(x, y)'));

  const r = spawnSync(NVIM, ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${join(root, 'tests', 'neovim', 'attach.lua')}`], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 100_000,
    env: {
      ...process.env,
      HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'),
      CALC_NVIM_FILE: file, CALC_NVIM_OUT: out, CALC_NVIM_SERVER: server,
      CALC_NVIM_HOVER_LINE: String(hoverLine), CALC_NVIM_HOVER_CHAR: '0',
    },
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.ok(existsSync(out), `Neovim wrote no result (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
  assert.deepEqual(result.errors, []);
  assert.equal(result.attached, true);

  // The unknown function on line 4 (0-based 3) is an error (Neovim severity 1) with code 301, at `sinn`.
  const unknown = result.diagnostics.filter((d) => Number(d.code) === 301);
  assert.equal(unknown.length, 1, JSON.stringify(result.diagnostics));
  assert.equal(unknown[0]!.lnum, 3);
  assert.equal(unknown[0]!.col, lines[3]!.indexOf('sinn'));
  assert.equal(unknown[0]!.severity, 1);
  assert.equal(result.diagnostics.filter((d) => d.severity === 1).length, 1, 'only the unknown name is an error');

  // Hovering the function's name shows its definition, its gradient and its Hessian (as text beside the images).
  assert.ok(result.hover, 'no hover');
  assert.match(result.hover, /f\(x, ?y\)/);
  assert.match(result.hover, /∇f/);
  assert.match(result.hover, /Hessian/);
});
