/**
 * Talks to the real, built language server (`node dist/server/server.js --stdio`) through
 * vscode-languageserver-protocol's client side, as an editor would. Tests wait on events
 * (published diagnostics, progress notifications), never on sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  StreamMessageReader, StreamMessageWriter, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  ExitNotification, ShutdownRequest, type ClientCapabilities, type ProtocolConnection, type PublishDiagnosticsParams,
  ConfigurationRequest,
} from 'vscode-languageserver-protocol/node';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER = join(ROOT, 'dist', 'server', 'server.js');

export interface TestServer {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything the server logged to its console, and stderr. */
  readonly log: string[];
  /** Resolves with the first publication for `uri` that satisfies `accept`. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, text: string): void;
  /** Settings answered to workspace/configuration, by section. */
  settings: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startServer(options: { capabilities?: ClientCapabilities; initializationOptions?: unknown; workspace?: string } = {}): Promise<TestServer> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run node scripts/build.mjs`);
  const child = spawn(process.execPath, [...(process.env.CALC_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const log: string[] = [];
  child.stderr.on('data', (d: Buffer) => log.push(d.toString()));
  connection.onNotification('window/logMessage', (p: { message: string }) => { log.push(p.message); });
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p); }
    }
  });
  const server: TestServer = {
    connection, process: child, log, settings: {},
    diagnostics: (uri, accept = () => true) => new Promise((resolve) => waiters.push({ uri, accept, resolve })),
    open: (uri, text, version = 1) => void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'calc', version, text } }),
    change: (uri, version, text) => void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    close: async () => {
      try {
        await Promise.race([connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
        await connection.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
      connection.dispose();
      if (child.exitCode === null) child.kill();
    },
  };
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section ? server.settings[i.section] ?? null : null)));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onRequest('workspace/inlayHint/refresh', () => null);
  connection.listen();
  const workspace = options.workspace ?? join(ROOT, 'examples');
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'examples' }],
    capabilities: options.capabilities ?? {},
    initializationOptions: options.initializationOptions ?? {},
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return server;
}

/** The file uri of a path below the repository. */
export function uriOf(...parts: string[]): string {
  return pathToFileURL(join(ROOT, ...parts)).href;
}
