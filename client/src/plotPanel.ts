/**
 * The plot panel: one webview beside the editor per .calc document. It asks the server for
 * the plot of a statement (`calc/plotData`), hands the answer to the page, redraws after
 * edits settle, and comes back after a window reload through a serializer. It computes
 * nothing; every message from the page is validated before it is acted on.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { type LanguageClient, State } from 'vscode-languageclient/node';
import { buildPlotHtml, PLOT_ASSETS } from '../../media/html';
import {
  type ExtensionToWebview, parsePanelState, parseWebviewMessage, PlotDataRequest, type PlotPanelState, type WebviewToExtension,
} from '../../protocol/plot';

const VIEW_TYPE = 'calc.plot';
/** Wait after the last keystroke before asking for a new plot (the server debounces its own analysis too). */
const EDIT_DEBOUNCE_MS = 250;

/**
 * Registers the `calc.showPlot` command (the "Plot" code lens and "Calc: Show Plot"), and the
 * serializer that restores panels after a reload. Returns one disposable for all of it (also
 * added to `context.subscriptions`; disposing it twice is harmless).
 *
 * `calc.showPlot(uri?, at?)`: `uri` is the document (a string or a Uri; default: the active
 * editor's); `at` is a UTF-16 offset (what the code lens sends), or `{ line }` / `{ offset }`
 * (default: the cursor's line).
 */
export function registerPlotPanel(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  const media = vscode.Uri.joinPath(context.extensionUri, 'dist', 'media');
  const panels = new Map<string, PlotPanel>();
  const log = (message: string) => client.outputChannel.appendLine(`[plot] ${message}`);

  const attach = (panel: vscode.WebviewPanel, state: PlotPanelState): PlotPanel => {
    const p = new PlotPanel(panel, state, media, client, log, () => panels.delete(state.uri));
    panels.set(state.uri, p);
    return p;
  };

  const show = async (uriArg?: unknown, at?: unknown) => {
    const target = await resolveTarget(uriArg, at);
    if (!target) {
      void vscode.window.showInformationMessage('Calc: open a .calc file to plot one of its statements.');
      return;
    }
    const existing = panels.get(target.uri);
    if (existing) {
      existing.show(target.line);
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Calc plot', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(media));
    attach(panel, target);
  };

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand('calc.showPlot', (uri?: unknown, at?: unknown) => show(uri, at).catch((e) => log(`showPlot failed: ${String(e)}`))),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown) {
        const state = parsePanelState(raw);
        // A state we did not write, or a second panel for the same document: nothing to restore.
        if (!state || panels.has(state.uri)) { panel.dispose(); return; }
        panel.webview.options = webviewOptions(media);
        attach(panel, state);
      },
    }),
    vscode.workspace.onDidChangeTextDocument((e) => panels.get(e.document.uri.toString())?.documentChanged(e)),
    { dispose: () => { for (const p of [...panels.values()]) p.dispose(); } },
  ];
  const all = vscode.Disposable.from(...disposables);
  context.subscriptions.push(all);
  return all;
}

function webviewOptions(media: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  // Scripts for plotly; resources only from the bundled media; no command links, no forms.
  return { enableScripts: true, localResourceRoots: [media], enableCommandUris: false, enableForms: false, retainContextWhenHidden: false };
}

/** The document and line a showPlot call means. */
async function resolveTarget(uriArg: unknown, at: unknown): Promise<PlotPanelState | undefined> {
  let document: vscode.TextDocument | undefined;
  if (typeof uriArg === 'string' || uriArg instanceof vscode.Uri) {
    const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg, true) : uriArg;
    document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? await vscode.workspace.openTextDocument(uri);
  } else {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'calc') document = editor.document;
  }
  if (!document) return undefined;
  const lineOf = (offset: number) => document.positionAt(Math.max(0, Math.min(offset, document.getText().length))).line;
  let line: number;
  if (typeof at === 'number' && Number.isInteger(at)) line = lineOf(at);
  else if (at && typeof at === 'object' && 'line' in at && typeof at.line === 'number') line = Math.max(0, Math.min(Math.floor(at.line), document.lineCount - 1));
  else if (at && typeof at === 'object' && 'offset' in at && typeof at.offset === 'number') line = lineOf(at.offset);
  else {
    const editor = vscode.window.activeTextEditor;
    line = editor && editor.document === document ? editor.selection.active.line : 0;
  }
  return { uri: document.uri.toString(), line };
}

class PlotPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private request: vscode.CancellationTokenSource | undefined;
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private state: PlotPanelState,
    media: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly log: (message: string) => void,
    private readonly onDispose: () => void,
  ) {
    const webview = panel.webview;
    webview.html = buildPlotHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, PLOT_ASSETS.script)).toString(),
      styleUris: PLOT_ASSETS.styles.map((s) => webview.asWebviewUri(vscode.Uri.joinPath(media, ...s.split('/'))).toString()),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.received(parseWebviewMessage(raw))),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows the plot of the statement on `line`. */
  show(line: number): void {
    this.state = { ...this.state, line };
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.refresh();
  }

  /** Keeps the plotted line in step with edits above it, then redraws once typing pauses. */
  documentChanged(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    let line = this.state.line;
    for (const c of e.contentChanges) {
      if (c.range.end.line < line) {
        const added = c.text.split('\n').length - 1;
        line += added - (c.range.end.line - c.range.start.line);
      } else if (c.range.start.line < line) {
        // The edit swallowed the plotted line: keep to where the edit starts.
        line = c.range.start.line;
      }
    }
    this.state = { ...this.state, line: Math.max(0, line) };
    if (!vscode.workspace.getConfiguration('calc.plot', e.document.uri).get<boolean>('followEdits', true)) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), EDIT_DEBOUNCE_MS);
  }

  private received(msg: WebviewToExtension | undefined): void {
    if (!msg) return; // not ours: ignored
    switch (msg.type) {
      case 'ready': void this.refresh(); break;
      case 'drawn': this.log(`${msg.kind} drawn in ${msg.ms} ms (document version ${msg.version ?? '?'})`); break;
      case 'error': this.log(`the panel reported: ${msg.message}`); break;
    }
  }

  private async refresh(): Promise<void> {
    if (this.disposed) return;
    this.request?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.request = source;
    const { uri, line } = this.state;
    try {
      await whenRunning(this.client);
      const params: PlotDataRequest.Params = { textDocument: { uri }, position: { line, character: 0 } };
      const result = await this.client.sendRequest<PlotDataRequest.Result | null>(PlotDataRequest.method, params, source.token);
      if (source.token.isCancellationRequested || this.disposed) return;
      if (!result) {
        this.post({ type: 'status', uri, line, severity: 'error', text: 'The language server could not plot this; see the Calc output.' });
      } else if (result.ok) {
        this.state = { uri, line: result.line };
        this.panel.title = `Plot: ${result.plot.title.length > 40 ? `${result.plot.title.slice(0, 39)}…` : result.plot.title}`;
        this.post({ type: 'plot', uri, version: result.version, line: result.line, plot: result.plot });
      } else {
        this.post({ type: 'status', uri, line, severity: 'info', text: result.message });
      }
    } catch (e) {
      if (source.token.isCancellationRequested || this.disposed) return;
      this.log(`calc/plotData failed: ${String(e)}`);
      this.post({ type: 'status', uri, line, severity: 'error', text: 'The plot could not be computed; see the Calc output.' });
    } finally {
      if (this.request === source) this.request = undefined;
      source.dispose();
    }
  }

  private post(message: ExtensionToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.debounce);
    this.request?.cancel();
    this.onDispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

/** Resolves once the language client is running (at most 30 s). */
function whenRunning(client: LanguageClient): Promise<void> {
  if (client.state === State.Running) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error('the language server did not start within 30 s')); }, 30_000);
    const sub = client.onDidChangeState((e) => {
      if (e.newState === State.Running) { clearTimeout(timer); sub.dispose(); resolve(); }
    });
  });
}
