// The VS Code client: starts the Calc language server and wires editor commands to it. It holds no
// mathematics; every answer comes from the server (STYLE.md, "the client").
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../protocol/requests';
import { registerCommands } from './commands';
import { registerPlotPanel } from './plotPanel';

/** The language id contributed in package.json; also the prefix of every `calc.*` setting. */
export const LANGUAGE_ID = 'calc';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Calc', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // No scheme: `untitled:` buffers and virtual workspaces (vscode-vfs:, github:) get the same analysis.
    documentSelector: [{ language: LANGUAGE_ID }],
    outputChannel: output,
    // The client reads `calc.trace.server` itself because the client id below is `calc`. Other `calc.*` settings
    // the server pulls with workspace/configuration, so no `synchronize` section is needed.
    // A function, so that every (re)start sends the current theme and font size for typeset hovers.
    initializationOptions: (): InitializationOptions => ({
      theme: themeOf(vscode.window.activeColorTheme.kind),
      fontSize: vscode.workspace.getConfiguration('editor').get<number>('fontSize', 14),
    }),
    // Hovers carry "Copy as LaTeX" links and typeset formulas as markdown images; only our own commands may run
    // from them, and raw HTML stays off (nothing the server sends needs it).
    markdown: { isTrusted: { enabledCommands: ['calc.copyText', 'calc.run', 'calc.showPlot'] } },
  };
  client = new LanguageClient(LANGUAGE_ID, 'Calc Language Server', serverOptions, clientOptions);

  registerCommands(context, client, output);
  context.subscriptions.push(registerPlotPanel(context, client));

  // The server typesets hover formulas in the theme's colours and learns the theme only when it starts:
  // a switch between light, dark and high-contrast restarts it (rare, and restarting takes well under a second).
  let theme = themeOf(vscode.window.activeColorTheme.kind);
  context.subscriptions.push(vscode.window.onDidChangeActiveColorTheme((t) => {
    const next = themeOf(t.kind);
    if (next === theme || !client?.isRunning()) return;
    theme = next;
    output.info(`colour theme is now ${next}: restarting the server for typeset hovers`);
    void client.restart();
  }));

  try {
    await client.start();
  } catch (err) {
    // A server that fails to start must not take the extension down: the grammar and commands still work.
    output.error(`the language server did not start: ${String(err)}`);
    void vscode.window.showErrorMessage('Calc: the language server did not start. See the "Calc" output for details.');
  }
}

function themeOf(kind: vscode.ColorThemeKind): NonNullable<InitializationOptions['theme']> {
  switch (kind) {
    // High-contrast light has dark text on a light background: the light rendering reads right there.
    case vscode.ColorThemeKind.Light: case vscode.ColorThemeKind.HighContrastLight: return 'light';
    case vscode.ColorThemeKind.HighContrast: return 'high-contrast';
    default: return 'dark';
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
