/**
 * The language server's custom requests and notifications, declared once and shared by
 * the server (server/src/server.ts), the VS Code client (client/src/) and the protocol
 * tests. Each is a namespace with a literal `method` and typed params and result.
 *
 * The plot panel's request (`calc/plotData`) lives with the rest of the plot protocol in
 * protocol/plot.ts.
 *
 * This module imports only types, so any bundle can import it.
 */
import type { StatementResult } from '../server/src/core/results';

/**
 * `calc/runStatement`: sent by the client when the user clicks a "▶ Run" code lens or runs
 * the `calc.run` command (client/src/commands.ts), and by any LSP client that wants a
 * root/minimize/maximize/fit/Lagrange statement run beyond the auto-run budget.
 *
 * The server runs the runnable statement whose range holds `offset` (the lens sends the
 * statement's start) in the document's current version, off the main thread. It reports
 * LSP work-done progress (on `workDoneToken` when the params carry one, else on a
 * server-created token when the client supports `window.workDoneProgress`) and stops
 * when the request or the progress is cancelled. Afterwards it asks the client to refresh
 * code lenses and inlay hints, which then show the run's summary.
 */
export namespace RunStatementRequest {
  export const method = 'calc/runStatement' as const;
  export interface Params {
    /** The document's uri, as the client knows it. */
    uri: string;
    /** UTF-16 offset of (any point inside) the statement. */
    offset: number;
    /** An LSP progress token created by the client (optional). */
    workDoneToken?: string | number;
  }
  /**
   * The statement's result with a one-line `summary` (what the lens shows), or `{ error }`
   * in plain words when there is nothing to run there, the run failed or was cancelled.
   */
  export type Result = (StatementResult & { summary: string; version: number }) | { error: string };
}

/** The shape of the `initializationOptions` the server understands (all optional). */
export interface InitializationOptions {
  /** Delay between the last edit and the diagnostics, in milliseconds (default 100). */
  diagnosticsDebounceMs?: number;
  /** The editor's colour theme, for typeset hovers. */
  theme?: 'light' | 'dark' | 'high-contrast';
  /** The editor's font size in pixels, for typeset hovers. */
  fontSize?: number;
}
