// End to end: the packaged .vsix installed into a real VS Code (code-server, in Chromium), used as a student
// would: open worksheets, read the Problems panel, hover, click code lenses, complete and rename.
// Each step saves a screenshot under test-output/e2e/. Waits are on what the page shows, never on sleeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  LONG, activeEditor, gotoPosition, makeWorkspace, openFile, packageVsix, problemRows,
  runCommand, scopesAt, startSession, step, waitForFrame, type Session,
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
  let vsix: string;

  before(async () => {
    vsix = packageVsix();
    session = await startSession(vsix, makeWorkspace());
  }, { timeout: 15 * 60_000 });

  after(async () => {
    await session?.close();
    if (session) rmSync(session.workspace, { recursive: true, force: true });
  });

  test('the .vsix holds the bundles, grammar, icon and docs, and no node_modules, sources or source maps', () => {
    // A .vsix is a zip; Python's zipfile (Debian's python3) lists it.
    const r = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.trim().split('\n').filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
    for (const f of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png', 'language-configuration.json',
      'syntaxes/calc.tmLanguage.json', 'dist/client/extension.js', 'dist/server/server.js', 'dist/media/main.js']) {
      assert.ok(files.includes(f), `${f} is missing from the .vsix`);
    }
    const unwanted = files.filter((f) => /(^|\/)node_modules\/|\.map$|\.ts$|^(tests|server|client\/src|bench|scripts)\//.test(f));
    assert.deepEqual(unwanted, []);
    // Lean: the figure in docs/performance.md is 2.6 MB; this catches an accidental node_modules or source map.
    assert.ok(statSync(vsix).size < 5_000_000, `${statSync(vsix).size} bytes`);
  });

  test('opening a worksheet highlights it with the Calc grammar (TextMate scopes)', async () => {
    const { page } = session;
    await step(session, 'highlighting', async () => {
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
  });

  test('a broken worksheet\'s diagnostics appear in the Problems panel on their lines, with their codes', async () => {
    const { page } = session;
    await step(session, 'problems', async () => {
      await openFile(page, 'broken.calc');
      const rows = await problemRows(page, 'broken.calc', 3);
      await session.screenshot('problems');
      // A row shows the message, the source, the code and "[Ln N, Col M]", each in its own element (own line).
      const found = rows.map((r) => {
        const parts = r.split('\n').map((p) => p.trim());
        return { line: Number(/\[Ln (\d+), Col \d+\]/.exec(r)?.[1]), code: Number(parts.filter((p) => /^\d{3}$/.test(p)).pop()) };
      }).sort((a, b) => a.line - b.line);
      // broken.calc: an unclosed '(' on line 3, an unknown function on line 4, a wrong argument count on line 6.
      assert.deepEqual(found, [{ line: 3, code: 202 }, { line: 4, code: 301 }, { line: 6, code: 303 }], rows.join('\n'));
      // The lines after the errors are still analysed: the last line's inlay hint shows g(a) = 3² + 1.
      const a = 3;
      await page.waitForFunction((expected) => Array.from(document.querySelectorAll('.editor-group-container.active .view-line'))
        .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).some((t) => t.startsWith('g(a)') && t.includes(expected)),
      `= ${a ** 2 + 1}`, { timeout: LONG });
    });
  });

  test('hovering a function shows its gradient and Hessian, typeset as images that load', async () => {
    const { page } = session;
    await step(session, 'hover', async () => {
      await openFile(page, 'tour.calc');
      const def = find(session, 'tour.calc', 'f(x, y) =');
      await gotoPosition(page, def.line, def.column);
      // The server typesets within a small budget per hover and finishes the rest in the background, so the
      // first hover may show some formulas as text only: hover again until the definition, the gradient and
      // the Hessian are all images (a bounded number of tries, each waiting on the hover itself).
      const hover = page.locator('.monaco-hover:visible', { hasText: 'Hessian' });
      let images = 0;
      for (let attempt = 0; attempt < 20 && images < 3; attempt++) {
        if (attempt > 0) {
          await page.keyboard.press('Escape');
          await hover.waitFor({ state: 'hidden' });
        }
        await runCommand(page, 'Show or Focus Hover');
        await hover.waitFor({ state: 'visible', timeout: LONG });
        images = await hover.locator('img').count();
      }
      const text = await hover.innerText();
      assert.match(text, /∇f/);
      assert.match(text, /∂f\/∂x/);
      assert.match(text, /Hessian/);
      assert.ok(images >= 3, `${images} typeset images in the hover`);
      // Each image must have loaded: a broken image has no natural width.
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.monaco-hover img')).every(
        (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), undefined, { timeout: LONG });
      await session.screenshot('hover-gradient-hessian');

      // "Copy as LaTeX" runs calc.copyText through a trusted command link and fills the clipboard.
      await hover.locator('a', { hasText: 'Copy as LaTeX' }).first().click();
      await page.waitForFunction(async () => /\\sin/.test(await navigator.clipboard.readText()), undefined, { timeout: LONG });
      await page.keyboard.press('Escape');
    });
  });

  test('clicking "▶ Run" on a minimize shows its result: the Rosenbrock minimum at (1, 1)', async () => {
    const { page } = session;
    await step(session, 'run-lens', async () => {
      await openFile(page, 'optimize.calc');
      const run = activeEditor(page).locator('.codelens-decoration a', { hasText: '▶ Run' });
      await run.waitFor({ state: 'visible', timeout: LONG });
      await session.screenshot('run-lens');
      await run.click();
      const result = activeEditor(page).locator('.codelens-decoration a', { hasText: 'minimum' });
      await result.waitFor({ state: 'visible', timeout: LONG });
      await session.screenshot('run-result');
      const summary = await result.innerText();
      const at = /at \(([^)]*)\)/.exec(summary);
      assert.ok(at, summary);
      const point = at[1]!.split(',').map(Number);
      assert.equal(point.length, 2, summary);
      for (const v of point) assert.ok(Math.abs(v - 1) < 1e-3, `${summary}: the minimum of Rosenbrock's function is at (1, 1)`);
      const value = Number(/minimum f = (\S+)/.exec(summary)?.[1]);
      assert.ok(Math.abs(value) < 1e-6, `${summary}: the minimum value is 0`);
    });
  });

  test('clicking "Plot" opens the plot panel and the curves are drawn inside the webview', async () => {
    const { page } = session;
    await step(session, 'plot', async () => {
      await openFile(page, 'plots.calc');
      const plot = activeEditor(page).locator('.codelens-decoration a', { hasText: 'Plot' });
      await plot.waitFor({ state: 'visible', timeout: LONG });
      await plot.click();
      // A webview is an iframe holding another iframe with the page; find the frame that has the plot's element.
      const frame = await waitForFrame(page, async (f) => (await f.locator('#plot').count()) > 0);
      // Two curves (sin and cos): plotly draws each as a line path with many points.
      await frame.waitForFunction(() => Array.from(document.querySelectorAll('#plot .scatterlayer path.js-line'))
        .filter((p) => (p.getAttribute('d') ?? '').length > 100).length >= 2, undefined, { timeout: LONG });
      await session.screenshot('plot-panel');
    });
  });

  test('completion offers built-ins and the worksheet\'s own functions', async () => {
    const { page } = session;
    await step(session, 'completion', async () => {
      await openFile(page, 'names.calc');
      // A new line at the end of the file, where the worksheet's functions are all defined.
      const lines = readFileSync(join(session.workspace, 'names.calc'), 'utf8').replace(/\n$/, '').split('\n');
      await gotoPosition(page, lines.length, lines[lines.length - 1]!.length + 1);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      const suggestions = page.locator('.suggest-widget .monaco-list-row');
      const offered = async (prefix: string, expected: string[]): Promise<void> => {
        await page.keyboard.type(prefix);
        await page.keyboard.press('Control+Space');
        for (const label of expected) {
          await suggestions.locator('.label-name', { hasText: new RegExp(`^${label}$`) }).first().waitFor({ state: 'visible', timeout: LONG });
        }
        await page.keyboard.press('Escape');
        await page.locator('.suggest-widget.visible').waitFor({ state: 'hidden' });
      };
      await offered('si', ['sin', 'sinh', 'sigmoid']);
      await session.screenshot('completion-builtins');
      for (let i = 0; i < 2; i++) await page.keyboard.press('Backspace');
      await offered('sp', ['speed']);
      await session.screenshot('completion-user-function');
      // Back to the file as it is on disk, for the rename scenario.
      await runCommand(page, 'File: Revert File');
      await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached' });
    });
  });

  test('rename changes the function\'s name at every use', async () => {
    const { page } = session;
    await step(session, 'rename', async () => {
      await openFile(page, 'names.calc');
      const file = join(session.workspace, 'names.calc');
      const before = readFileSync(file, 'utf8');
      assert.equal((before.match(/\bspeed\b/g) ?? []).length, 4);
      const def = find(session, 'names.calc', 'speed(t) =');
      await gotoPosition(page, def.line, def.column);
      await page.keyboard.press('F2');
      const input = page.locator('.rename-box input.rename-input:focus');
      await input.waitFor({ state: 'visible' });
      await input.fill('velocity');
      await input.press('Enter');
      await page.waitForFunction(() => !(document.querySelector('.editor-group-container.active .view-lines')?.textContent ?? 'speed').includes('speed'), undefined, { timeout: LONG });
      await session.screenshot('rename');
      await page.keyboard.press('Control+S');
      await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached' });
      // Every use and nothing else: the file is the original with each whole word `speed` replaced.
      assert.equal(readFileSync(file, 'utf8'), before.replace(/\bspeed\b/g, 'velocity'));
    });
  });
});
