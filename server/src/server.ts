/**
 * The language server: a thin shell around the language service.
 *
 * It negotiates capabilities, keeps one analysed document per uri and version, publishes
 * debounced diagnostics (never for a stale version), runs numerical statements in a
 * worker with progress and cancellation, and wraps every handler in one safe boundary:
 * a handler that throws is logged to the connection's console and answers empty, and a
 * cancelled request answers `RequestCancelled`.
 *
 *   node dist/server/server.js --stdio
 */
import { fileURLToPath } from 'node:url';
import { dirname, sep } from 'node:path';
import {
  CodeActionKind, CodeLensRefreshRequest, createConnection, DidChangeConfigurationNotification, ErrorCodes, LSPErrorCodes,
  ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind,
  type CancellationToken, type ClientCapabilities, type Connection, type InitializeParams, type InitializeResult,
  type WorkDoneProgressReporter, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PlotDataRequest } from '../../protocol/plot';
import { type InitializationOptions, RunStatementRequest } from '../../protocol/requests';
import type { StatementOutcome } from './core/analysis';
import { summarize } from './core/run';
import type { RunnableStatement } from './core/syntax/ast';
import { isRunnable } from './core/syntax/ast';
import { createNodeFileHost } from './node/fileHost';
import { isRunWorker, RunPool, startRunWorker, type RunHandle } from './runWorker';
import { getCodeLenses } from './service/codeLens';
import { doComplete } from './service/completion';
import { findDefinition } from './service/definition';
import { doValidation } from './service/diagnostics';
import { type CalcDocument, createSyntacticDocument, statementAt, withEvaluation } from './service/document';
import { RunRecords } from './service/runRecords';
import { findDocumentHighlights } from './service/documentHighlights';
import { findDocumentSymbols } from './service/documentSymbols';
import { getFoldingRanges } from './service/folding';
import { getDocumentLinks } from './service/documentLinks';
import { getCodeActions } from './service/codeActions';
import { format } from './service/format';
import { doHover } from './service/hover';
import { warmUpTypeset } from './service/typeset';
import { getInlayHints } from './service/inlayHints';
import { getPlotData } from './service/plotData';
import { findReferences } from './service/references';
import { doRename, prepareRename } from './service/rename';
import { getSemanticTokens, SEMANTIC_TOKENS_LEGEND } from './service/semanticTokens';
import { getSignatureHelp } from './service/signatureHelp';

/** Settings under `calc.` (package.json), per document. */
interface Settings {
  autoRun: { enabled: boolean; budgetMs: number };
  inlayHints: { enabled: boolean };
  hover: { typeset: boolean };
}

const DEFAULT_SETTINGS: Settings = { autoRun: { enabled: true, budgetMs: 200 }, inlayHints: { enabled: true }, hover: { typeset: true } };
const DEFAULT_DEBOUNCE_MS = 100;
/** The pause in typing after which a new version is parsed and its evaluation started, ahead of the diagnostics' debounce. */
const PREPARE_MS = 25;
/**
 * How long diagnostics wait for the evaluation before those of parse and names (with the
 * outcomes carried over from earlier versions) go out alone. Short: what is carried over
 * does not flicker, and a document whose evaluation takes longer than this gets its first
 * diagnostics at once.
 */
const EARLY_DIAGNOSTICS_MS = 20;
/** How long a hover or inlay-hint request waits for the evaluation of the current version. */
const EVALUATION_WAIT_MS = 3_000;
/** The answer to calc/plotData for a document that is not open, or when the plot failed. */
const NO_PLOT: PlotDataRequest.Result = { ok: false, version: null, message: 'No plot: the document is not open in the language server, or the plot failed (see the Calc output channel).' };
/** Budget for running a statement so that its plot can be drawn. */
const PLOT_RUN_BUDGET_MS = 3_000;
/** The longest the debounce can be set to. */
const MAX_DEBOUNCE_MS = 5_000;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analysed = new Map<string, CalcDocument>();
  /** Per document, the outcomes of its last evaluation's statements by key: what the next version can reuse. */
  const outcomeTables = new Map<string, Map<string, StatementOutcome>>();
  /** The records of runs, per document and statement key. */
  const runRecords = new RunRecords();
  const settingsCache = new Map<string, Promise<Settings>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const preparers = new Map<string, NodeJS.Timeout>();
  const autoRuns = new Map<string, RunHandle>();
  const log = (message: string): void => connection.console.log(message);
  const pool = new RunPool(workerEntry(), log);
  /** Evaluations have their own worker, so that diagnostics never wait behind a run. */
  const evaluator = new RunPool(workerEntry(), log);
  /** Documents whose statements have been evaluated (the others have only parse, data and names). */
  const evaluated = new WeakSet<CalcDocument>();
  const evaluations = new Map<string, { version: number; done: Promise<CalcDocument | undefined> }>();
  /**
   * How long the diagnostics of each document's last version waited for its evaluation after the
   * debounce, in milliseconds (the evaluation itself starts earlier, when typing pauses).
   */
  const evaluationMs = new Map<string, number>();
  /** Documents whose inlay hints were answered before their evaluation was done. */
  const answeredEarly = new Set<string>();

  let capabilities: ClientCapabilities = {};
  let workspaceFolders: string[] = [];
  let options: InitializationOptions = {};
  let debounceMs = DEFAULT_DEBOUNCE_MS;

  // ---------------------------------------------------------------- the safe boundary

  /** Wraps a request handler: cancellation honoured, exceptions logged, an empty answer instead of a crash. */
  function safe<P, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token?: CancellationToken): Promise<R | ResponseError<void>> => {
      const t: CancellationToken = token ?? { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
      if (t.isCancellationRequested) return cancelled();
      try {
        const result = await handler(params, t);
        return t.isCancellationRequested ? cancelled() : result;
      } catch (e) {
        if (e instanceof ResponseError) return e as ResponseError<void>;
        connection.console.error(`[${name}] ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return empty;
      }
    };
  }

  /** Wraps a notification handler: exceptions are logged, never thrown into the connection. */
  function safeNotify<P>(name: string, handler: (params: P) => void | Promise<void>) {
    return (params: P): void => {
      try {
        const r = handler(params);
        if (r) r.catch((e: unknown) => connection.console.error(`[${name}] ${String(e instanceof Error ? e.stack : e)}`));
      } catch (e) {
        connection.console.error(`[${name}] ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    };
  }

  // The last line of defence: a promise rejected or an exception thrown outside any handler is
  // logged, never the end of the server (Node would otherwise exit on either).
  process.on('unhandledRejection', (e) => connection.console.error(`[unhandled] ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  process.on('uncaughtException', (e) => connection.console.error(`[uncaught] ${e.stack ?? e.message}`));

  const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');

  // ---------------------------------------------------------------- documents

  /** The analysed document for the current version of `uri`, or undefined when it is not open. */
  function getDocument(uri: unknown): CalcDocument | undefined {
    if (typeof uri !== 'string') return undefined;
    const td = documents.get(uri);
    if (!td) return undefined;
    const cached = analysed.get(uri);
    if (cached && cached.version === td.version) return cached;
    // A snapshot: the open document is updated in place by later edits, an analysis must not be.
    const snapshot = TextDocument.create(uri, td.languageId, td.version, td.getText());
    // Parse, data and names only: fast at any size. The statements are evaluated off this thread (`evaluate`).
    const known = outcomeTables.get(uri);
    const doc = createSyntacticDocument(snapshot, hostFor(uri), known ? { outcomes: known } : undefined);
    // Every statement's outcome is known from earlier versions: nothing is left to evaluate.
    if (doc.analysis.pending.length === 0) evaluated.add(doc);
    runRecords.restore(doc);
    analysed.set(uri, doc);
    return doc;
  }

  /**
   * The current version of a document with its statements evaluated (values, derivatives,
   * Taylor polynomials, checks, expects, evaluation diagnostics), computed in the evaluation
   * worker. Undefined when the document is closed, was edited meanwhile, or the worker failed.
   */
  function evaluate(uri: unknown): Promise<CalcDocument | undefined> {
    const doc = getDocument(uri);
    if (!doc) return Promise.resolve(undefined);
    if (evaluated.has(doc)) return Promise.resolve(doc);
    const pending = evaluations.get(doc.uri);
    if (pending?.version === doc.version) return pending.done;
    const request = (known: readonly string[]): Promise<CalcDocument | undefined> => evaluator.evaluate({ ...job(doc), known }).done.then((evaluation) => {
      if (!evaluation) return undefined;
      const table = outcomeTables.get(doc.uri) ?? new Map<string, StatementOutcome>();
      for (const [key, outcome] of evaluation.outcomes) if (outcome.portable) table.set(key, outcome);
      // The evaluation of what is shown: the same version of the same text (a document closed and opened
      // again numbers its versions again), and whole (one stopped part way is of a version left behind).
      const latest = analysed.get(doc.uri);
      const current = latest?.version === doc.version && latest.analysis.text === doc.analysis.text && !evaluation.stopped ? latest : undefined;
      const full = current ? withEvaluation(current, evaluation, table) : undefined;
      // Keep what this version needs: the next version's syntactic pass reuses it. (An evaluation of a
      // version left behind adds what it finished and takes nothing away.)
      if (current) {
        const needed = new Set(evaluation.statements.map(([, key]) => key));
        for (const key of table.keys()) if (!needed.has(key)) table.delete(key);
      }
      if (documents.get(doc.uri)) outcomeTables.set(doc.uri, table);
      if (!current) return undefined;
      // An outcome the worker took as known was dropped here meanwhile: ask for all of them.
      if (!full) return known.length ? request([]) : undefined;
      evaluated.add(full);
      analysed.set(doc.uri, full);
      return full;
    });
    const done = request([...(outcomeTables.get(doc.uri)?.keys() ?? [])]);
    evaluations.set(doc.uri, { version: doc.version, done });
    void done.finally(() => { if (evaluations.get(doc.uri)?.done === done) evaluations.delete(doc.uri); });
    return done;
  }

  /** The evaluated document when it comes within `ms`, else what there is (a request must not wait long). */
  async function evaluatedOrCurrent(uri: unknown, ms = EVALUATION_WAIT_MS): Promise<CalcDocument | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
    const full = await Promise.race([evaluate(uri), late]);
    clearTimeout(timer);
    return full ?? getDocument(uri);
  }

  /** Reads csv files relative to the document, inside its workspace folder (or its own folder when it has none). */
  function hostFor(uri: string) {
    const paths = pathsFor(uri);
    return paths ? createNodeFileHost(paths.documentPath, paths.workspaceRoot) : undefined;
  }

  function pathsFor(uri: string): { documentPath: string; workspaceRoot: string } | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let documentPath: string;
    try { documentPath = fileURLToPath(uri); } catch { return undefined; }
    const folder = workspaceFolders
      .filter((f) => documentPath === f || documentPath.startsWith(f.endsWith(sep) ? f : f + sep))
      .sort((a, b) => b.length - a.length)[0];
    return { documentPath, workspaceRoot: folder ?? dirname(documentPath) };
  }

  // ---------------------------------------------------------------- settings

  function settingsFor(uri: string): Promise<Settings> {
    if (!capabilities.workspace?.configuration) return Promise.resolve(DEFAULT_SETTINGS);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'calc' })
        .then((raw: unknown) => mergeSettings(raw), () => DEFAULT_SETTINGS);
      settingsCache.set(uri, s);
    }
    return s;
  }

  // ---------------------------------------------------------------- diagnostics and auto-run

  /**
   * Diagnostics go out `delay` after the last edit. The version is worked out earlier, as soon as
   * typing pauses for `PREPARE_MS`: its parse, data and names (with the outcomes carried over to it)
   * here, and its evaluation in the evaluation worker, so that when the debounce ends only the
   * publishing is left. On a large document the two take tens of milliseconds each, which would
   * otherwise come on top of the delay. If typing goes on, the next version's evaluation drops this
   * one's while it is queued and stops it before its next statement while it runs; what it finished
   * serves the next version. (Without a worker thread an evaluation would run here, and could not be
   * stopped: then it waits for the debounce.)
   */
  function scheduleValidation(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    clearTimeout(preparers.get(uri));
    if (delay > PREPARE_MS) {
      const prepare = (): void => void (evaluator.hasWorker ? evaluate(uri) : getDocument(uri));
      preparers.set(uri, setTimeout(() => { preparers.delete(uri); safeNotify('prepare', prepare)(undefined); }, PREPARE_MS));
    }
    timers.set(uri, setTimeout(() => { timers.delete(uri); void validate(uri); }, delay));
  }

  /**
   * Publishes a version's diagnostics: all of them once its evaluation is done; if that takes
   * long (a large document), first those of parse, data and names, then all of them.
   */
  async function validate(uri: string): Promise<void> {
    try {
      const doc = getDocument(uri);
      if (!doc) return;
      const started = performance.now();
      const full = evaluate(uri);
      // Wait a little for the evaluation, unless this document's last one was slow anyway.
      const wait = (evaluationMs.get(uri) ?? 0) > EARLY_DIAGNOSTICS_MS ? 0 : EARLY_DIAGNOSTICS_MS;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const early = await Promise.race([full, new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), wait); })]);
      clearTimeout(timer);
      if (early === 'late') publish(doc);
      const done = early === 'late' ? await full : early;
      if (!done) return;
      evaluationMs.set(uri, performance.now() - started);
      publish(done);
      // Inlay hints answered before the evaluation came are incomplete: ask for them again.
      if (answeredEarly.delete(uri)) refreshResults();
      const settings = await settingsFor(uri);
      if (settings.autoRun.enabled && documents.get(uri)?.version === done.version) autoRun(done, settings.autoRun.budgetMs);
    } catch (e) {
      connection.console.error(`[diagnostics] ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  /** Publishes a version's diagnostics, unless the document has moved on since. */
  function publish(doc: CalcDocument): void {
    if (documents.get(doc.uri)?.version !== doc.version) return;
    const diagnostics = doValidation(doc, runRecords.diagnostics(doc));
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  /** After a run: the current version gets the run's result and diagnostics (once it is evaluated; else its evaluation will publish). */
  function republish(uri: string): void {
    const current = getDocument(uri);
    if (!current) return;
    runRecords.restore(current);
    if (evaluated.has(current)) publish(current);
  }

  /** Runs the statements without a result within the auto-run budget, then refreshes lenses and hints. */
  function autoRun(doc: CalcDocument, budgetMs: number): void {
    autoRuns.get(doc.uri)?.stop();
    const todo = doc.analysis.program.statements.filter((s) => isRunnable(s) && !doc.analysis.broken.has(s)
      && !doc.runs.has(s.start) && !runRecords.recordOf(doc, s));
    if (todo.length === 0 || budgetMs <= 0) return;
    const handle = pool.start({ ...job(doc), offsets: todo.map((s) => s.start), budgetMs, auto: true });
    autoRuns.set(doc.uri, handle);
    void handle.done.then(({ outcomes }) => {
      if (autoRuns.get(doc.uri) === handle) autoRuns.delete(doc.uri);
      if (outcomes.length === 0) return;
      for (const o of outcomes) {
        const s = doc.analysis.program.statements.find((x) => x.start === o.offset);
        if (s) runRecords.record(doc, s, o.result, o.diagnostics);
      }
      republish(doc.uri);
      refreshResults();
    });
  }

  function job(doc: CalcDocument) {
    const paths = pathsFor(doc.uri);
    return { uri: doc.uri, version: doc.version, text: doc.analysis.text, ...(paths ?? {}) };
  }

  function refreshResults(): void {
    if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (capabilities.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh().catch(() => undefined);
  }

  // ---------------------------------------------------------------- running a statement

  async function runRequest(params: RunStatementRequest.Params, token: CancellationToken): Promise<RunStatementRequest.Result> {
    if (!params || typeof params.uri !== 'string' || typeof params.offset !== 'number' || !Number.isFinite(params.offset)) {
      return { error: 'calc/runStatement needs { uri: string, offset: number }.' };
    }
    const doc = getDocument(params.uri);
    if (!doc) return { error: `The document ${params.uri} is not open.` };
    const s = statementAt(doc, params.offset);
    if (!s || !isRunnable(s)) return { error: 'There is no root, minimize, maximize or fit statement here.' };
    if (doc.analysis.broken.has(s)) return { error: 'This statement has an error; fix it (see Problems), then run it.' };

    const progress = await progressFor(params, token);
    const title = `Calc: ${doc.analysis.text.slice(s.start, s.end).split(/\r?\n/)[0]!.slice(0, 60)}`;
    progress.begin(title, undefined, 'starting', true);
    const handle = pool.start({ ...job(doc), offsets: [s.start] }, (_offset, iteration, value) => {
      progress.report(`iteration ${iteration}: ${Number.isFinite(value) ? Number(value.toPrecision(6)) : value}`);
    });
    const stop = token.onCancellationRequested(() => handle.stop());
    const stopByUser = 'token' in progress ? (progress as WorkDoneProgressServerReporter).token.onCancellationRequested(() => handle.stop()) : undefined;
    try {
      const { outcomes, stopped } = await handle.done;
      const outcome = outcomes.find((o) => o.offset === s.start);
      if (stopped && (token.isCancellationRequested || !outcome?.result)) return { error: 'The run was cancelled.' };
      if (!outcome) return { error: 'The run failed; see the Calc output channel.' };
      runRecords.record(doc, s, outcome.result, outcome.diagnostics);
      republish(doc.uri);
      refreshResults();
      if (!outcome.result) {
        const first = outcome.diagnostics[0];
        return { error: first ? first.message : 'The statement gave no result.' };
      }
      return { ...outcome.result, summary: summarize(outcome.result), version: doc.version };
    } finally {
      stop.dispose();
      stopByUser?.dispose();
      progress.done();
    }
  }

  /** Progress on the client's token when it sent one, else on a token of our own when the client supports that. */
  async function progressFor(params: RunStatementRequest.Params, token: CancellationToken): Promise<WorkDoneProgressReporter> {
    if (params.workDoneToken !== undefined) return connection.window.attachWorkDoneProgress(params.workDoneToken);
    if (capabilities.window?.workDoneProgress && !token.isCancellationRequested) {
      try { return await connection.window.createWorkDoneProgress(); } catch { /* the client refused: no progress */ }
    }
    return { begin() {}, report() {}, done() {} };
  }

  // ---------------------------------------------------------------- lifecycle

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities ?? {};
    options = (params.initializationOptions ?? {}) as InitializationOptions;
    const requested = Number(options.diagnosticsDebounceMs);
    if (Number.isFinite(requested) && requested >= 0) debounceMs = Math.min(requested, MAX_DEBOUNCE_MS);
    workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []))
      .flatMap((f) => { try { return f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []; } catch { return []; } });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' '] },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [')'] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        documentSymbolProvider: true,
        renameProvider: { prepareProvider: true },
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'calc-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(safeNotify('initialized', () => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'calc' }).catch(() => undefined);
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(safeNotify('workspaceFolders', (e) => {
        const removed = new Set(e.removed.map((f) => { try { return fileURLToPath(f.uri); } catch { return ''; } }));
        workspaceFolders = workspaceFolders.filter((f) => !removed.has(f));
        for (const f of e.added) { try { if (f.uri.startsWith('file:')) workspaceFolders.push(fileURLToPath(f.uri)); } catch { /* not a file folder */ } }
        analysed.clear();
      }));
    }
    // MathJax's first formulas cost many times a warm one: warm it once, after the first
    // diagnostics have had their turn, so that the first hover on a function finds typeset images.
    setTimeout(() => { try { warmUpTypeset(); } catch (e) { connection.console.warn(`typeset warm-up failed: ${String(e)}`); } }, 1500).unref();
  }));

  connection.onDidChangeConfiguration(safeNotify('configuration', () => {
    settingsCache.clear();
    for (const uri of documents.keys()) scheduleValidation(uri, 0);
    refreshResults();
  }));

  documents.onDidOpen(safeNotify('didOpen', (e) => scheduleValidation(e.document.uri, 0)));
  documents.onDidChangeContent(safeNotify('didChange', (e) => {
    const uri = e.document.uri;
    autoRuns.get(uri)?.stop();
    scheduleValidation(uri, debounceMs);
  }));
  documents.onDidClose(safeNotify('didClose', (e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    clearTimeout(preparers.get(uri));
    preparers.delete(uri);
    analysed.delete(uri);
    outcomeTables.delete(uri);
    runRecords.forget(uri);
    settingsCache.delete(uri);
    pool.stopWhere((j) => j.uri === uri);
    evaluator.stopWhere((j) => j.uri === uri);
    evaluations.delete(uri);
    evaluationMs.delete(uri);
    connection.sendDiagnostics({ uri, diagnostics: [] });
  }));

  // ---------------------------------------------------------------- features

  type Pos = { textDocument: { uri: string }; position: { line: number; character: number } };
  const withDoc = <P extends { textDocument: { uri: string } }, R>(name: string, empty: R, f: (doc: CalcDocument, params: P, token: CancellationToken) => R | Promise<R>) =>
    safe<P, R>(name, empty, (params, token) => {
      const doc = getDocument(params?.textDocument?.uri);
      return doc ? f(doc, params, token) : empty;
    });

  connection.onHover(withDoc<Pos, ReturnType<typeof doHover>>('hover', null, async (current, p) => {
    const settings = await settingsFor(current.uri);
    const doc = await evaluatedOrCurrent(current.uri) ?? current;
    return doHover(doc, position(doc, p.position), {
      typeset: settings.hover.typeset,
      ...(options.theme ? { theme: options.theme } : {}),
      ...(typeof options.fontSize === 'number' ? { fontSize: options.fontSize } : {}),
    });
  }));
  connection.onCompletion(withDoc<Pos & { context?: { triggerCharacter?: string } }, ReturnType<typeof doComplete>>('completion', { isIncomplete: false, items: [] }, (doc, p) =>
    doComplete(doc, position(doc, p.position), {
      snippets: capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
      afterSpace: p.context?.triggerCharacter === ' ',
    })));
  connection.onSignatureHelp(withDoc<Pos, ReturnType<typeof getSignatureHelp>>('signatureHelp', null, (doc, p) => getSignatureHelp(doc, position(doc, p.position))));
  connection.onDefinition(withDoc<Pos, ReturnType<typeof findDefinition>>('definition', [], (doc, p) => findDefinition(doc, position(doc, p.position))));
  connection.onReferences(withDoc<Pos & { context?: { includeDeclaration?: boolean } }, ReturnType<typeof findReferences>>('references', [], (doc, p) =>
    findReferences(doc, position(doc, p.position), p.context?.includeDeclaration !== false)));
  connection.onDocumentHighlight(withDoc<Pos, ReturnType<typeof findDocumentHighlights>>('documentHighlight', [], (doc, p) => findDocumentHighlights(doc, position(doc, p.position))));
  connection.onDocumentSymbol(withDoc('documentSymbol', [], (doc) => findDocumentSymbols(doc)));
  connection.onFoldingRanges(withDoc('foldingRange', [], (doc) => getFoldingRanges(doc)));
  connection.onDocumentLinks(withDoc('documentLink', [], (doc) => getDocumentLinks(doc)));
  connection.onCodeAction(withDoc<{ textDocument: { uri: string }; range: Parameters<typeof getCodeActions>[1]; context?: { only?: string[] } }, ReturnType<typeof getCodeActions>>('codeAction', [], (doc, p) =>
    getCodeActions(doc, p.range, p.context?.only)));
  connection.onDocumentFormatting(withDoc('formatting', [], (doc) => format(doc)));
  connection.onDocumentRangeFormatting(withDoc<{ textDocument: { uri: string }; range: Parameters<typeof format>[1] }, ReturnType<typeof format>>('rangeFormatting', [], (doc, p) => format(doc, p.range)));
  connection.languages.semanticTokens.on(withDoc('semanticTokens', { data: [] }, (doc) => getSemanticTokens(doc)));
  connection.languages.inlayHint.on(withDoc<{ textDocument: { uri: string }; range: Parameters<typeof getInlayHints>[1] }, ReturnType<typeof getInlayHints>>('inlayHint', [], async (current, p) => {
    if (!(await settingsFor(current.uri)).inlayHints.enabled) return [];
    const doc = await evaluatedOrCurrent(current.uri) ?? current;
    if (!evaluated.has(doc)) answeredEarly.add(doc.uri);
    return getInlayHints(doc, p.range);
  }));
  connection.onCodeLens(withDoc('codeLens', [], (doc) => getCodeLenses(doc)));
  connection.onPrepareRename(withDoc<Pos, ReturnType<typeof prepareRenameAnswer> | null>('prepareRename', null, (doc, p) => prepareRenameAnswer(doc, p.position)));
  connection.onRenameRequest(withDoc<Pos & { newName: string }, ReturnType<typeof renameAnswer> | null>('rename', null, (doc, p) => renameAnswer(doc, p.position, p.newName)));
  connection.onRequest(RunStatementRequest.method, safe<RunStatementRequest.Params, RunStatementRequest.Result>('runStatement', { error: 'The run failed; see the Calc output channel.' }, runRequest));

  /**
   * The plot of the statement at a position. A runnable statement without a result is run
   * in the worker first (getPlotData names it through its `run` hook), so that the main
   * thread never runs a solver.
   */
  async function plotAnswer(doc: CalcDocument, params: PlotDataRequest.Params, token: CancellationToken): Promise<PlotDataRequest.Result> {
    let needed: RunnableStatement | undefined;
    const first = getPlotData(doc, params, { run: (stmt) => { needed = stmt; return undefined; } });
    if (!needed) return first;
    const stmt: RunnableStatement = needed;
    const handle = pool.start({ ...job(doc), offsets: [stmt.start], budgetMs: PLOT_RUN_BUDGET_MS });
    const stop = token.onCancellationRequested(() => handle.stop());
    try {
      const { outcomes } = await handle.done;
      const outcome = outcomes.find((o) => o.offset === stmt.start);
      if (outcome) runRecords.record(doc, stmt, outcome.result, outcome.diagnostics);
    } finally {
      stop.dispose();
    }
    if (doc.runs.has(stmt.start)) refreshResults();
    return getPlotData(doc, params, { run: () => undefined });
  }

  function prepareRenameAnswer(doc: CalcDocument, pos: { line: number; character: number }) {
    const r = prepareRename(doc, position(doc, pos));
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return r;
  }

  function renameAnswer(doc: CalcDocument, pos: { line: number; character: number }, newName: unknown) {
    if (typeof newName !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'newName must be a string.');
    const r = doRename(doc, position(doc, pos), newName);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return r;
  }

  connection.onRequest(PlotDataRequest.method, withDoc<PlotDataRequest.Params, PlotDataRequest.Result>('plotData', NO_PLOT, async (current, p, token) => {
    position(current, p.position);
    return plotAnswer(await evaluatedOrCurrent(current.uri) ?? current, p, token);
  }));

  connection.onShutdown(() => { pool.dispose(); evaluator.dispose(); for (const t of [...timers.values(), ...preparers.values()]) clearTimeout(t); });

  documents.listen(connection);
  connection.listen();
}

/** A position checked and clamped to the document: bad params must not reach the service. */
function position(doc: CalcDocument, p: { line: number; character: number } | undefined): { line: number; character: number } {
  if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) throw new TypeError('position must be { line, character } integers');
  return doc.textDocument.positionAt(doc.textDocument.offsetAt({ line: Math.max(0, p.line), character: Math.max(0, p.character) }));
}

function mergeSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as { autoRun?: { enabled?: unknown; budgetMs?: unknown }; inlayHints?: { enabled?: unknown }; hover?: { typeset?: unknown } };
  const budget = Number(r.autoRun?.budgetMs);
  return {
    autoRun: {
      enabled: typeof r.autoRun?.enabled === 'boolean' ? r.autoRun.enabled : DEFAULT_SETTINGS.autoRun.enabled,
      budgetMs: Number.isFinite(budget) ? Math.max(0, Math.min(budget, 10_000)) : DEFAULT_SETTINGS.autoRun.budgetMs,
    },
    inlayHints: { enabled: typeof r.inlayHints?.enabled === 'boolean' ? r.inlayHints.enabled : true },
    hover: { typeset: typeof r.hover?.typeset === 'boolean' ? r.hover.typeset : true },
  };
}

/** The bundle that holds this module: the worker is started from the same file. */
function workerEntry(): string {
  return __filename;
}

/** Starts the server on the transport named on the command line (`--stdio`, `--node-ipc`, `--socket=N`). */
export function main(): void {
  startServer(createConnection(ProposedFeatures.all));
}

if (isRunWorker()) startRunWorker();
else if (require.main === module) main();
