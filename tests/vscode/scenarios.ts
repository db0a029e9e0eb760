// The desktop suite's scenarios, run inside VS Code's extension host against the VS Code API: the same five
// stories as the code-server suite (tests/e2e), read through the API instead of the DOM. The workspace is a
// copy of examples/ and tests/e2e/fixtures/ (whose .vscode/settings.json turns auto-run off, so that "▶ Run"
// has something to do).
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'calc-engineers.calc-worksheets';
const WAIT_MS = 60_000;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with a workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document);
}

/** The position of the first occurrence of `needle` (plus `delta` characters). */
function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.notEqual(offset, -1, `${needle} is not in ${document.uri.path}`);
  return document.positionAt(offset + delta);
}

/** Resolves when `uri` has diagnostics that satisfy `accept`: waits on the diagnostics event, not a clock. */
function diagnosticsFor(uri: vscode.Uri, accept: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const d = vscode.languages.getDiagnostics(uri);
      if (!accept(d)) return false;
      listener.dispose();
      clearTimeout(timer);
      resolve(d);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => { listener.dispose(); reject(new Error(`no matching diagnostics for ${uri.path}`)); }, WAIT_MS);
    check();
  });
}

/**
 * Asks a provider again each time the language server announces new results (diagnostics for the document,
 * which it publishes after every analysis and run), until `accept` holds.
 */
async function until<T>(uri: vscode.Uri, ask: () => Thenable<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await ask();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const listener = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) { listener.dispose(); clearTimeout(t); resolve(); }
      });
      // A provider can change without new diagnostics (a background typesetting pass): ask again after a while.
      const t = setTimeout(() => { listener.dispose(); resolve(); }, 1_000);
    });
  }
}

function codeOf(d: vscode.Diagnostic): number {
  return Number(typeof d.code === 'object' ? d.code.value : d.code);
}

function markdownOf(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

export function defineScenarios(): void {
  suite('Calc in VS Code desktop', () => {
    suiteSetup(async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is not installed in the test instance`);
      await open('tour.calc');
      await extension.activate();
    });

    test('a .calc file opens in the calc language, and the extension is active', async () => {
      const editor = await open('tour.calc');
      assert.equal(editor.document.languageId, 'calc');
      assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['calc.restartServer', 'calc.run', 'calc.showPlot', 'calc.copyText']) assert.ok(commands.includes(c), c);
    });

    test('a broken worksheet gets its diagnostics on their lines, with their codes', async () => {
      const editor = await open('broken.calc');
      const diagnostics = await diagnosticsFor(editor.document.uri, (d) => d.length >= 3);
      const found = diagnostics.map((d) => ({ line: d.range.start.line + 1, code: codeOf(d), error: d.severity === vscode.DiagnosticSeverity.Error }))
        .sort((a, b) => a.line - b.line);
      assert.deepEqual(found, [
        { line: 3, code: 202, error: true }, { line: 4, code: 301, error: true }, { line: 6, code: 303, error: true },
      ]);
      // The lines after the errors are still analysed: the last line's inlay hint shows g(a) = 3² + 1.
      const document = editor.document;
      const last = document.lineAt(document.lineCount - 1).text ? document.lineCount - 1 : document.lineCount - 2;
      const labelOf = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
      const hints = await until(document.uri,
        () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri,
          new vscode.Range(0, 0, document.lineCount, 0)),
        (h) => h.some((x) => x.position.line === last && labelOf(x).includes(`= ${3 ** 2 + 1}`)), 'the inlay hint of g(a)');
      assert.ok(hints.length >= 1);
    });

    test('hovering a function shows its gradient and Hessian, with typeset images', async () => {
      const editor = await open('tour.calc');
      const at = positionOf(editor.document, 'f(x, y) =');
      const markdown = markdownOf(await until(editor.document.uri,
        () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at),
        (h) => /Hessian/.test(markdownOf(h)) && (markdownOf(h).match(/data:image\/svg\+xml/g) ?? []).length >= 3,
        'a hover with the Hessian and typeset images'));
      assert.match(markdown, /∇f/);
      assert.match(markdown, /∂f\/∂x/);
      assert.match(markdown, /command:calc\.copyText/);
    });

    test('"▶ Run" on a minimize runs it, and the lenses then show the Rosenbrock minimum at (1, 1)', async () => {
      const editor = await open('optimize.calc');
      const uri = editor.document.uri;
      const lenses = await until(uri,
        () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri),
        (l) => l.some((x) => x.command?.command === 'calc.run'), 'a ▶ Run lens');
      const run = lenses.find((x) => x.command?.command === 'calc.run')!;
      assert.match(run.command!.title, /Run/);
      await vscode.commands.executeCommand(run.command!.command, ...(run.command!.arguments ?? []));
      const after = await until(uri,
        () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri),
        (l) => l.some((x) => /minimum/.test(x.command?.title ?? '')), 'the run\'s summary lens');
      const summary = after.find((x) => /minimum/.test(x.command?.title ?? ''))!.command!.title;
      const point = /at \(([^)]*)\)/.exec(summary)?.[1]?.split(',').map(Number) ?? [];
      assert.equal(point.length, 2, summary);
      for (const v of point) assert.ok(Math.abs(v - 1) < 1e-3, summary);
      assert.ok(Math.abs(Number(/minimum f = (\S+)/.exec(summary)?.[1])) < 1e-6, `${summary}: the minimum value is 0`);
    });

    test('"Plot" opens the plot panel beside the editor', async () => {
      const editor = await open('plots.calc');
      const uri = editor.document.uri;
      const lenses = await until(uri,
        () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri),
        (l) => l.some((x) => x.command?.command === 'calc.showPlot'), 'a Plot lens');
      const plot = lenses.find((x) => x.command?.command === 'calc.showPlot')!;
      const opened = new Promise<void>((resolve) => {
        const listener = vscode.window.tabGroups.onDidChangeTabs((e) => {
          if (e.opened.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('calc.plot'))) {
            listener.dispose();
            resolve();
          }
        });
      });
      await vscode.commands.executeCommand(plot.command!.command, ...(plot.command!.arguments ?? []));
      await opened;
    });

    test('completion offers built-ins and the worksheet\'s own functions', async () => {
      const editor = await open('names.calc');
      const document = editor.document;
      const end = document.lineAt(document.lineCount - 1).range.end;
      const labels = async (prefix: string): Promise<string[]> => {
        const ok = await editor.edit((b) => b.insert(document.lineAt(document.lineCount - 1).range.end, `\n${prefix}`));
        assert.ok(ok);
        const at = document.lineAt(document.lineCount - 1).range.end;
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at);
        await editor.edit((b) => b.delete(new vscode.Range(end, at)));
        return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      };
      const builtins = await labels('si');
      for (const name of ['sin', 'sinh', 'sigmoid']) assert.ok(builtins.includes(name), `${name} in ${builtins.join(', ')}`);
      assert.ok((await labels('sp')).includes('speed'));
      assert.equal(document.getText(), (await vscode.workspace.fs.readFile(document.uri)).toString());
    });

    test('rename changes the function\'s name at every use and nowhere else', async () => {
      const editor = await open('names.calc');
      const document = editor.document;
      const before = document.getText();
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider',
        document.uri, positionOf(document, 'speed(t) ='), 'velocity');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(document.getText(), before.replace(/\bspeed\b/g, 'velocity'));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    test('"Copy as …" hover links put their text on the clipboard', async () => {
      await vscode.commands.executeCommand('calc.copyText', '\\nabla f = [2x, 2y]');
      assert.equal(await vscode.env.clipboard.readText(), '\\nabla f = [2x, 2y]');
    });

    test('"Calc: Restart Language Server" brings the server back with its diagnostics', async () => {
      const editor = await open('broken.calc');
      await vscode.commands.executeCommand('calc.restartServer');
      const d = await diagnosticsFor(editor.document.uri, (x) => x.length >= 3);
      assert.equal(d.length, 3);
    });
  });
}
