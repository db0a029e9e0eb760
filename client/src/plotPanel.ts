// Placeholder until the plot helper lands the real panel: the client imports this signature.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerPlotPanel(_context: vscode.ExtensionContext, _client: LanguageClient): void {
  // The plot panel (client/src/plotPanel.ts) is owned by the plot helper and replaces this file.
}
