// Editor commands. Each forwards to the language server or to the editor; none computes anything itself.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { runStatement } from './requests';

/**
 * Registers `calc.restartServer`, `calc.run` (the "▶ Run" code lens) and `calc.copyText` (hover links such as
 * "Copy as LaTeX"); the disposables go to `context.subscriptions`.
 */
export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('calc.restartServer', async () => {
      output.appendLine('[client] restarting the language server');
      await client.restart();
    }),

    // Code lens arguments arrive as JSON from the server: the document uri as a string and the statement's offset.
    vscode.commands.registerCommand('calc.run', async (uri: string | vscode.Uri, offset: number) => {
      const target = typeof uri === 'string' ? uri : uri.toString();
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Calc: running', cancellable: true },
        (_progress, token) => runStatement(client, { uri: target, offset }, token),
      ).then(undefined, (err: unknown) => {
        output.appendLine(`[client] calc/runStatement failed: ${String(err)}`);
        void vscode.window.showErrorMessage(`Calc: the statement did not run (${String(err)}).`);
        return undefined;
      });
      const summary = summaryOf(result);
      if (summary) vscode.window.setStatusBarMessage(`Calc: ${summary}`, 10_000);
      refreshResults(client, target);
    }),

    vscode.commands.registerCommand('calc.copyText', async (text: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage('Calc: copied to the clipboard', 3_000);
    }),
  );
}

/** A one-line summary from whatever the server answered, when it carries one. */
function summaryOf(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object') {
    for (const key of ['summary', 'message', 'title'] as const) {
      const v = (result as Record<string, unknown>)[key];
      if (typeof v === 'string' && v) return v;
    }
  }
  return undefined;
}

/**
 * After a run the server has new results for the document: ask the editor to fetch the code lenses and inlay
 * hints again (the server may also send workspace/codeLens/refresh; asking twice is harmless).
 */
function refreshResults(client: LanguageClient, uri: string): void {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (!document) return;
  client.getFeature('textDocument/codeLens')?.getProvider(document)?.onDidChangeCodeLensEmitter.fire();
  client.getFeature('textDocument/inlayHint')?.getProvider(document)?.onDidChangeInlayHints.fire();
}
