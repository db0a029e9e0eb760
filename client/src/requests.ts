// The client's side of the custom requests declared once in protocol/requests.ts.
import type { LanguageClient } from 'vscode-languageclient/node';
import { RunStatementRequest } from '../../protocol/requests';

/** Asks the server to run one analysis statement (minimize, fit, root, ...) now, beyond the auto-run budget. */
export function runStatement(client: LanguageClient, params: RunStatementRequest.Params): Promise<RunStatementRequest.Result> {
  return client.sendRequest<RunStatementRequest.Result>(RunStatementRequest.method, params);
}
