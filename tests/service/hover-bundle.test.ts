import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the hover typesets when bundled by esbuild as the server is (platform node, cjs), run outside the repository', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calc-hover-bundle-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createCalcDocument } from ${JSON.stringify(join(root, 'server/src/service/document'))};
import { doHover } from ${JSON.stringify(join(root, 'server/src/service/hover'))};
import { whenTypesetIdle } from ${JSON.stringify(join(root, 'server/src/service/typeset'))};
const doc = createCalcDocument(TextDocument.create('file:///a.calc', 'calc', 1, 'f(x, y) = x^2*y'));
doHover(doc, { line: 0, character: 0 });
whenTypesetIdle().then(() => {
  const md = (doHover(doc, { line: 0, character: 0 }) as any).contents.value as string;
  const svgs = [...md.matchAll(/base64,([A-Za-z0-9+/=]+)\\)/g)].map((m) => Buffer.from(m[1], 'base64').toString());
  console.log(JSON.stringify({ images: svgs.length, withPaths: svgs.filter((s) => /<path[^>]* d="M/.test(s)).length }));
});
`);
  const out = join(dir, 'bundle.js');
  // the same options as scripts/build.mjs gives the server
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'silent', nodePaths: [join(root, 'node_modules')] });
  const r = spawnSync(process.execPath, [out], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { images, withPaths } = JSON.parse(r.stdout) as { images: number; withPaths: number };
  assert.ok(images >= 3, r.stdout);
  assert.equal(withPaths, images);
});
