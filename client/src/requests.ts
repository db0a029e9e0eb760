// Typed wrappers for the custom requests the client sends. The method names and payloads are declared once,
// by the server side, in protocol/; this file only adapts them to the client's calling convention.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface RunStatementParams {
  /** The document, as the uri string the server knows it by. */
  uri: string;
  /** UTF-16 offset of the statement to run (the code lens sends the statement's start). */
  offset: number;
}

/** Asks the server to run one analysis statement (minimize, fit, root, ...) now, beyond the auto-run budget. */
export function runStatement(client: LanguageClient, params: RunStatementParams, token?: vscode.CancellationToken): Promise<unknown> {
  return client.sendRequest('calc/runStatement', params, token);
}
