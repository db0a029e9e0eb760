// End to end: the packaged .vsix installed into a real VS Code (code-server, in Chromium), used as a student
// would: open worksheets, read the Problems panel, hover, click code lenses, complete and rename.
// Each step saves a screenshot under test-output/e2e/. Waits are on what the page shows, never on sleeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activeEditor, makeWorkspace, openFile, packageVsix, problemRows, scopesAt, startSession, type Session,
} from './harness';

/** 1-based line and column of the first occurrence of `needle` in a workspace file. */
function find(session: Session, file: string, needle: string): { line: number; column: number } {
  const lines = readFileSync(join(session.workspace, file), 'utf8').split(/\r?\n/);
  const i = lines.findIndex((l) => l.includes(needle));
  assert.notEqual(i, -1, `${needle} is not in ${file}`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}

describe('Calc in VS Code (code-server)', { timeout: 10 * 60_000 }, () => {
  let session: Session;

  before(async () => {
    const vsix = packageVsix();
    session = await startSession(vsix, makeWorkspace());
  }, { timeout: 15 * 60_000 });

  after(async () => {
    await session?.close();
  });

  test('opening a worksheet highlights it with the Calc grammar (TextMate scopes)', async () => {
    const { page } = session;
    await openFile(page, 'tour.calc');
    // The status bar names the language mode the extension contributes.
    await page.locator('.statusbar-item', { hasText: /^Calc$/ }).first().waitFor({ state: 'visible' });
    await session.screenshot('tour-opened');

    const def = find(session, 'tour.calc', 'rosen(x, y) =');
    const defScopes = await scopesAt(page, def.line, def.column);
    assert.ok(defScopes.includes('entity.name.function.calc'), defScopes.join(' '));
    const param = await scopesAt(page, def.line, def.column + 'rosen('.length);
    assert.ok(param.includes('variable.parameter.calc'), param.join(' '));
    const min = find(session, 'tour.calc', 'minimize rosen');
    assert.ok((await scopesAt(page, min.line, min.column)).includes('keyword.control.calc'));
    const method = find(session, 'tour.calc', 'gradient descent');
    assert.ok((await scopesAt(page, method.line, method.column)).includes('support.constant.method.calc'));
    const data = find(session, 'tour.calc', 'data points');
    assert.ok((await scopesAt(page, data.line, data.column + 'data '.length)).includes('entity.name.type.data.calc'));

    // The grammar's scopes reach the screen as distinct token colours.
    const colours = await activeEditor(page).locator('.view-lines span[class^="mtk"]').evaluateAll(
      (spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size,
    );
    assert.ok(colours >= 4, `only ${colours} token colours`);
  });

  test('a broken worksheet\'s diagnostics appear in the Problems panel on their lines, with their codes', async () => {
    const { page } = session;
    await openFile(page, 'broken.calc');
    const rows = await problemRows(page, 3);
    await session.screenshot('problems');
    // A row shows the message, the source, the code and "[Ln N, Col M]", each in its own element (own line).
    const found = rows.map((r) => {
      const parts = r.split('\n').map((p) => p.trim());
      return { line: Number(/\[Ln (\d+), Col \d+\]/.exec(r)?.[1]), code: Number(parts.filter((p) => /^\d{3}$/.test(p)).pop()) };
    }).sort((a, b) => a.line - b.line);
    // broken.calc: an unclosed '(' on line 3, an unknown function on line 4, a wrong argument count on line 6.
    assert.deepEqual(found, [{ line: 3, code: 202 }, { line: 4, code: 301 }, { line: 6, code: 303 }], rows.join('\n'));
  });
});

