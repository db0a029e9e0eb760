import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { startServer } from './harness';

test('a fit to csv data is run again when the file changed on disk, not restored from the earlier run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calc-csv-'));
  const csv = join(dir, 'line.csv');
  // y = 2x + 1, then y = 3x + 1: a least-squares line through exact points is the line itself
  writeFileSync(csv, 'x,y\n0,1\n1,3\n2,5\n3,7\n');
  const server = await startServer({ workspace: dir, capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } } }, initializationOptions: { diagnosticsDebounceMs: 20 } });
  try {
    const uri = pathToFileURL(join(dir, 'fit.calc')).href;
    let text = 'data line = csv("line.csv")\nfit y = m*x + c to line\n';
    let seen: string[] = [];
    const waitForLens = (pattern: RegExp): Promise<string[]> => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no lens matched ${pattern} within 20 s; the lenses were ${JSON.stringify(seen)}`)), 20_000);
      server.connection.onRequest('workspace/codeLens/refresh', async () => {
        const lenses: CodeLens[] = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) ?? [];
        seen = lenses.map((l) => l.command?.title ?? '');
        if (seen.some((t) => pattern.test(t))) { clearTimeout(timer); resolve(seen); }
        return null;
      });
    });
    const first = waitForLens(/m = 2\b/);
    server.open(uri, text);
    assert.ok((await first).some((t) => /c = 1\b/.test(t)));

    writeFileSync(csv, 'x,y\n0,1\n1,4\n2,7\n3,10\n');
    const second = waitForLens(/m = 3\b/);
    text += '# the data changed\n';
    server.change(uri, 2, text);
    assert.ok((await second).some((t) => /m = 3\b/.test(t)));
  } finally {
    await server.close();
  }
});
