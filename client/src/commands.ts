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
      output.info('restarting the language server');
      await client.restart();
    }),

    // Code lens arguments arrive as JSON from the server: the document uri as a string and the statement's offset.
    // The server reports progress (cancellable) while it runs and then refreshes the code lenses and inlay hints,
    // which show the run's summary; the client only reports a failure.
    vscode.commands.registerCommand('calc.run', async (uri: string | vscode.Uri, offset: number) => {
      const target = typeof uri === 'string' ? uri : uri.toString();
      try {
        const result = await runStatement(client, { uri: target, offset });
        if ('error' in result) void vscode.window.showWarningMessage(`Calc: ${result.error}`);
      } catch (err) {
        output.error(`calc/runStatement failed: ${String(err)}`);
        void vscode.window.showErrorMessage(`Calc: the statement did not run (${String(err)}).`);
      }
    }),

    vscode.commands.registerCommand('calc.copyText', async (text: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage('Calc: copied to the clipboard', 3_000);
    }),
  );
}

