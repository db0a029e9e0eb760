import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CancellationTokenSource, CodeActionRequest, CodeLensRequest, CompletionRequest, DidChangeConfigurationNotification, DocumentLinkRequest, DocumentSymbolRequest, HoverRequest, InlayHintRequest,
  type CodeAction, type CodeLens, type WorkDoneProgressBegin, type WorkDoneProgressEnd,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PlotDataRequest } from '../../protocol/plot';
import { analyze } from '../../server/src/core/analysis';
import { RunStatementRequest } from '../../protocol/requests';
import { ROOT, startServer, uriOf, type TestServer } from './harness';

interface ProgressParams<T> { token: string | number; value: T }

const tourUri = uriOf('examples', 'tour.calc');
const tour = readFileSync(join(ROOT, 'examples', 'tour.calc'), 'utf8');
const capabilities = { window: { workDoneProgress: true }, workspace: { configuration: true, codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } } };

let server: TestServer;
before(async () => { server = await startServer({ capabilities, initializationOptions: { diagnosticsDebounceMs: 50 } }); });
after(async () => { await server.close(); });

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `'${needle}' is in the text`);
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

test('opening the tour publishes its diagnostics for version 1, with no errors (the csv file is read from the workspace)', async () => {
  const published = server.diagnostics(tourUri);
  server.open(tourUri, tour);
  const p = await published;
  assert.equal(p.version, 1);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 1).map((d) => d.code), []);
});

test('diagnostics are never published for a version that has been superseded', async () => {
  const uri = uriOf('examples', 'stale.calc');
  const seen: number[] = [];
  const first = server.diagnostics(uri, (p) => { seen.push(p.version ?? -1); return p.version === 1; });
  server.open(uri, 'a = 1\n');
  await first;
  const settled = server.diagnostics(uri, (p) => { seen.push(p.version ?? -1); return p.version === 4; });
  server.change(uri, 2, 'a = (1\n');
  server.change(uri, 3, 'a = sn(1)\n');
  server.change(uri, 4, 'a = sin(1\n');
  const p = await settled;
  assert.deepEqual(p.diagnostics.map((d) => d.code), [202]);
  assert.ok(!seen.includes(2) && !seen.includes(3), `published versions: ${seen.join(', ')}`);
});

test('hover on a function name answers with markdown', async () => {
  const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: tourUri }, position: positionOf(tour, 'f(x, y) = x^2') });
  assert.ok(hover, 'a hover');
  const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover.contents);
  assert.match(value, /f/);
});

test('completion in an expression offers the built-in functions with their documentation', async () => {
  const list = await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: tourUri }, position: positionOf(tour, 'sin(x)^2, x, 2)', 2) });
  const items = Array.isArray(list) ? list : list?.items ?? [];
  const sin = items.find((i) => i.label === 'sin');
  assert.ok(sin, 'sin is offered');
  assert.ok(items.some((i) => i.label === 'rosen'), 'user functions are offered');
});

test("the tour's csv file is a link to the file beside it", async () => {
  const links = await server.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: tourUri } });
  assert.deepEqual(links?.map((l) => l.target), [uriOf('examples', 'heights.csv')]);
  assert.deepEqual(links?.[0]?.range.start, positionOf(tour, 'heights.csv"'));
});

test('code lenses put a Run lens above every minimize statement', async () => {
  const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tourUri } }) ?? [];
  const line = positionOf(tour, 'minimize x^2 + y^2 + x*y').line;
  assert.ok(lenses.some((l) => l.range.start.line === line && l.command?.command === 'calc.run' && /Run/.test(l.command.title)));
});

test('running a statement reports work-done progress and answers with its result and summary', async () => {
  const uri = uriOf('examples', 'run.calc');
  const text = 'rosen(x, y) = (1 - x)^2 + 100*(y - x^2)^2\nminimize rosen from [-1.2, 1] by gradient descent with step = 0.001, maxiter = 5000\n';
  const published = server.diagnostics(uri);
  server.open(uri, text);
  await published;
  const token = 'run-progress-1';
  const kinds: string[] = [];
  const ended = new Promise<void>((resolve) => {
    server.connection.onNotification('$/progress', (p: ProgressParams<WorkDoneProgressBegin | WorkDoneProgressEnd>) => {
      if (p.token !== token) return;
      kinds.push(p.value.kind);
      if (p.value.kind === 'end') resolve();
    });
  });
  const result = await server.connection.sendRequest(RunStatementRequest.method, { uri, offset: text.indexOf('minimize'), workDoneToken: token }) as RunStatementRequest.Result;
  await ended;
  assert.ok(!('error' in result), JSON.stringify(result));
  assert.equal(result.kind, 'minimize');
  assert.match(result.summary, /f = .* at \(.*\) · 5000 iterations/);
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds[kinds.length - 1], 'end');
  const lenses: CodeLens[] = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) ?? [];
  assert.ok(lenses.some((l) => l.command?.title === result.summary), 'the summary becomes a lens');
});

test("a run's result is kept across edits that leave what it uses unchanged, and dropped by an edit of a definition it uses", async () => {
  const uri = uriOf('examples', 'kept.calc');
  // No auto-run: a result after an edit can then only be the one kept from the explicit run.
  server.settings.calc = { autoRun: { enabled: false } };
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  try {
    const version = async (n: number, lines: string[]): Promise<string> => {
      const text = lines.join('\n') + '\n';
      const published = server.diagnostics(uri, (p) => p.version === n);
      if (n === 1) server.open(uri, text); else server.change(uri, n, text);
      await published;
      return text;
    };
    const titles = async (): Promise<string[]> => ((await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []).map((l) => l.command?.title ?? '');
    const f = 'f(x, y) = (x - 1)^2 + (y + 2)^2';
    const run = 'minimize f from [0, 0] by newton';
    const text = await version(1, [f, 'g(x) = x^3', run]);
    const result = await server.connection.sendRequest(RunStatementRequest.method, { uri, offset: text.indexOf('minimize') }) as RunStatementRequest.Result;
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.ok((await titles()).includes(result.summary));
    // Another definition edited, and the statement moved down: the result stays.
    await version(2, ['# moved down', f, 'g(x) = x^4', '', run]);
    assert.ok((await titles()).includes(result.summary), 'kept after an unrelated edit');
    // The function it minimizes edited: the result goes.
    await version(3, ['# moved down', 'f(x, y) = (x - 3)^2 + (y + 2)^2', 'g(x) = x^4', '', run]);
    assert.ok(!(await titles()).includes(result.summary), 'dropped after an edit of f');
  } finally {
    server.settings.calc = {};
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  }
});

test('a long run does not block other requests, is cancelled promptly, and the server keeps answering', async () => {
  const uri = uriOf('examples', 'long.calc');
  const text = 'minimize (x - 3)^2 + (y + 1)^4 from [100, 100] by gradient descent with step = 0.0000001, maxiter = 10000000\n';
  const published = server.diagnostics(uri);
  server.open(uri, text);
  await published;
  const token = 'run-progress-2';
  const source = new CancellationTokenSource();
  const started = new Promise<void>((resolve) => {
    server.connection.onNotification('$/progress', (p: ProgressParams<{ kind: string }>) => { if (p.token === token && p.value.kind === 'report') resolve(); });
  });
  const t0 = Date.now();
  const answer = server.connection.sendRequest(RunStatementRequest.method, { uri, offset: 0, workDoneToken: token }, source.token)
    .then((r) => r as RunStatementRequest.Result, (e: unknown) => ({ error: String(e) }));
  await started;
  // The run is in a worker: the server answers other requests meanwhile.
  const during = await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.equal(during?.length, 1);
  source.cancel();
  const result = await answer;
  assert.ok('error' in result, 'a cancelled run answers with an error');
  assert.ok(Date.now() - t0 < 8000, 'it stops long before its 10 s budget');
  const symbols = await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.equal(symbols?.length, 1);
});

test('requests for an unknown document or with bad parameters answer without killing the server', async () => {
  const nowhere = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nowhere.calc' }, position: { line: 0, character: 0 } });
  assert.equal(nowhere, null);
  const bad = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: tourUri } });
  assert.equal(bad, null);
  // Parameters of the wrong shape are refused by the JSON-RPC layer or answered empty; either way, an answer.
  const garbage = await server.connection.sendRequest('textDocument/completion', 42).then((r) => r, (e: { code?: number }) => e);
  assert.ok(garbage === null || typeof garbage === 'object');
  const wrongTypes = await server.connection.sendRequest('textDocument/definition', { textDocument: { uri: tourUri }, position: { line: 'x', character: {} } });
  assert.deepEqual(wrongTypes, []);
  const run = await server.connection.sendRequest(RunStatementRequest.method, { uri: 7 }) as RunStatementRequest.Result;
  assert.ok('error' in run);
  // a code action request without a range, or with one past the end, answers with no actions
  assert.deepEqual(await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: tourUri } }), []);
  assert.deepEqual(await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: tourUri }, range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 5 } }, context: { diagnostics: [] } }), []);
  const symbols = await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: tourUri } });
  assert.ok((symbols?.length ?? 0) > 10, 'the server is still alive');
  assert.equal(server.process.exitCode, null);
});

test('cheap statements run automatically, and their summary shows without a click', async () => {
  const uri = uriOf('examples', 'auto.calc');
  const text = 'minimize (x - 2)^2 + 1 from x = 0\n';
  // Wait for the refresh after which the lenses carry the summary (an event, not a sleep).
  let lenses: CodeLens[] = [];
  const summarised = new Promise<void>((resolve) => server.connection.onRequest('workspace/codeLens/refresh', async () => {
    lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) ?? [];
    if (lenses.some((l) => /minimum/.test(l.command?.title ?? ''))) resolve();
    return null;
  }));
  server.open(uri, text);
  await summarised;
  assert.ok(lenses.some((l) => /minimum f = 1 at \(2\)/.test(l.command?.title ?? '')), JSON.stringify(lenses.map((l) => l.command?.title)));
});

test('the plot of a minimize statement that has not run yet is computed after running it off the main thread', async () => {
  const uri = uriOf('examples', 'plot.calc');
  const text = 'f(x) = x^2\nminimize (x - 1)^2 + (y + 2)^2 from [0, 0] by newton\n';
  const published = server.diagnostics(uri);
  server.open(uri, text);
  await published;
  const curve = await server.connection.sendRequest(PlotDataRequest.method, { textDocument: { uri }, position: { line: 0, character: 0 } }) as PlotDataRequest.Result;
  assert.ok(curve.ok && curve.plot.kind === 'curve', JSON.stringify(curve).slice(0, 200));
  const path = await server.connection.sendRequest(PlotDataRequest.method, { textDocument: { uri }, position: { line: 1, character: 3 } }) as PlotDataRequest.Result;
  assert.ok(path.ok && path.plot.kind === 'optimize', JSON.stringify(path).slice(0, 200));
  const missing = await server.connection.sendRequest(PlotDataRequest.method, { textDocument: { uri: 'file:///nowhere.calc' }, position: { line: 0, character: 0 } }) as PlotDataRequest.Result;
  assert.equal(missing.ok, false);
});

test('versions replaced while their evaluation runs leave the last version exactly its own diagnostics', { timeout: 60_000 }, async () => {
  const uri = uriOf('examples', 'superseded.calc');
  // 300 Taylor expansions that depend on c (tens of milliseconds to evaluate), then ten logarithms that warn where
  // c < i + 0.5 (the first publication with a diagnostic is the one with the evaluation in it)
  const doc = (c: number): string => [
    `c = ${c}`,
    ...Array.from({ length: 300 }, (_, i) => `taylor exp(c*x)*sin(${i + 1}*y) at [0, 0] order 3`),
    ...Array.from({ length: 10 }, (_, i) => `log(c - ${i + 0.5})`),
  ].join('\n') + '\n';
  const expected = (c: number): string[] => {
    const text = doc(c);
    return analyze(text, { budgetMs: 60_000 }).diagnostics.map((d) => `${d.code}@${text.slice(0, d.offset).split('\n').length - 1}`);
  };
  const published = (p: { diagnostics: { code?: number | string; range: { start: { line: number } } }[] }): string[] => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
  const opened = server.diagnostics(uri, (p) => p.version === 1 && p.diagnostics.length > 0);
  server.open(uri, doc(1));
  assert.deepEqual(published(await opened), expected(1));
  // Typing with a pause: version 2's evaluation starts 25 ms into the pause and, on this machine, is still running
  // when version 3 comes (which stops it part way); version 4, with version 2's text, comes at once. Whatever the
  // timing, version 4's diagnostics must be exactly its own. (tests/protocol/runPool.test.ts stops one for certain.)
  const settled = server.diagnostics(uri, (p) => p.version === 4 && p.diagnostics.length > 0);
  server.change(uri, 2, doc(5));
  await new Promise((r) => setTimeout(r, 45));
  server.change(uri, 3, doc(8));
  server.change(uri, 4, doc(5));
  assert.deepEqual(published(await settled), expected(5));
  assert.equal(expected(5).length, 5, 'five logarithms warn at c = 5');
});

test('the published diagnostics include those found by evaluating statements, not only syntax and names', async () => {
  const uri = uriOf('examples', 'evaluated.calc');
  const lines = ['a = (1', ...Array.from({ length: 200 }, (_, i) => `taylor exp(x)*sin(${i + 1}*y) at [0, 0] order 3`), 'log(-1)'];
  const syntax = server.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 202));
  const full = server.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 403));
  server.open(uri, lines.join('\n') + '\n');
  const [first, all] = await Promise.all([syntax, full]);
  assert.equal(first.version, 1);
  assert.equal(all.version, 1);
  assert.ok(all.diagnostics.some((d) => d.code === 202), 'the full publication keeps the syntax error');
  assert.equal(all.diagnostics.find((d) => d.code === 403)?.range.start.line, 201);
});

test('settings are read per document through workspace/configuration: inlay hints can be switched off', async () => {
  const uri = uriOf('examples', 'settings.calc');
  const published = server.diagnostics(uri);
  server.open(uri, '2 + 3\n');
  await published;
  const on = await server.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } });
  assert.deepEqual(on?.map((h) => h.label), ['= 5']);
  server.settings.calc = { inlayHints: { enabled: false } };
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  const off = await server.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } });
  assert.deepEqual(off, []);
  server.settings.calc = {};
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
});

test('a misspelt name has a quick fix through the server, and its edit removes the error', async () => {
  const uri = uriOf('examples', 'quickfix.calc');
  const text = 'f(x) = x^2\nsn(f(2))\n';
  const published = server.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 301));
  server.open(uri, text);
  const diagnostic = (await published).diagnostics.find((d) => d.code === 301)!;
  const actions = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) ?? [];
  const fix = actions.find((a): a is CodeAction => 'edit' in a && a.title === "Change to 'sin'");
  assert.ok(fix, JSON.stringify(actions));
  const edits = fix.edit?.changes?.[uri] ?? [];
  assert.deepEqual(edits, [{ range: diagnostic.range, newText: 'sin' }]);
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'calc', 1, text), edits);
  assert.deepEqual(analyze(fixed).diagnostics.filter((d) => d.severity === 'error'), []);
});
