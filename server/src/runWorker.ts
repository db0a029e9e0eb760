/**
 * Work off the language server's main thread: runs of numerical statements (root,
 * minimize, maximize, fit, Lagrange), and the evaluation of a document's statements, so
 * that neither a long run nor a slow analysis blocks hovers, completions or the
 * cancellation message that stops them.
 *
 * A pool is one worker thread, started from the server's own bundle (the bundle checks
 * `workerData.role`), that runs jobs one at a time; the server keeps one pool for runs
 * and one for evaluations, so that diagnostics never wait behind a run. The main thread stops a job through a
 * shared flag that the solver polls every iteration and an evaluation before each statement (`shouldStop`); a run
 * that does not stop within a grace period, or any job that outlives its budget, has its worker terminated and a
 * fresh one started. If no worker can be started, jobs run inline with their budget.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { analyze, type Analysis } from './core/analysis';
import type { StatementResult } from './core/results';
import { runStatement } from './core/run';
import type { FileHost } from './core/semantics/data';
import { isRunnable } from './core/syntax/ast';
import type { Diagnostic } from './core/syntax/diagnostics';
import { createNodeFileHost } from './node/fileHost';
import { evaluationOf, type Evaluation } from './service/document';

export const WORKER_ROLE = 'calc-run-worker';

/** What is run: some statements (by start offset) of one version of a document. */
export interface RunJob {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** The statements to run; empty for an evaluation. */
  readonly offsets: readonly number[];
  /** Budget per job in milliseconds (auto-runs) or per statement (explicit runs). */
  readonly budgetMs?: number;
  /** Split the budget across the statements and drop results that ran out of it (auto-run). */
  readonly auto?: boolean;
  /** For an evaluation: keys of the outcomes the main thread already has, which need not be sent back. */
  readonly known?: readonly string[];
  /** For csv data: the document's path and the workspace folder that holds it. */
  readonly documentPath?: string;
  readonly workspaceRoot?: string;
}

export interface RunOutcome {
  readonly offset: number;
  /** An auto-run that ran out of its budget. */
  readonly tooSlow?: boolean;
  readonly result?: StatementResult;
  readonly diagnostics: readonly Diagnostic[];
}

export interface RunHandle {
  readonly done: Promise<{ outcomes: RunOutcome[]; stopped: boolean }>;
  stop(): void;
}

type ToWorker = { type: 'run' | 'evaluate'; id: number; job: RunJob; flag: SharedArrayBuffer };
type FromWorker =
  | { type: 'progress'; id: number; offset: number; iteration: number; value: number }
  | { type: 'evaluation'; id: number; evaluation: Evaluation }
  | { type: 'outcome'; id: number; outcome: RunOutcome }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string };

/** Grace period between asking a job to stop and terminating its worker. */
const STOP_GRACE_MS = 2_000;
/** Time beyond its budget that a job may take before its worker is terminated. */
const BUDGET_GRACE_MS = 5_000;
const DEFAULT_BUDGET_MS = 10_000;
/**
 * Budget for evaluating a document's statements. Off the main thread a large document can
 * have more than the core's default (2 s), past which later statements get no result.
 */
const EVALUATION_BUDGET_MS = 10_000;
/** Documents whose last evaluation the evaluation worker keeps for the next (least recently evaluated dropped first). */
const MAX_REMEMBERED_DOCUMENTS = 16;
/** Progress messages per second, at most. */
const PROGRESS_INTERVAL_MS = 100;

// ------------------------------------------------------------------ the worker side

/** True when this thread is the run worker. */
export function isRunWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE;
}

/** The worker's message loop. */
export function startRunWorker(): void {
  const port = parentPort!;
  let last: { key: string; analysis: Analysis } | undefined;
  const outcomes = new Map<string, Pick<Analysis, 'outcomes'>>();
  port.on('message', (msg: ToWorker) => {
    const flag = new Int32Array(msg.flag);
    // Latched: true from the first time it reads the flag set (so an evaluation knows whether it stopped).
    let stopped = false;
    const shouldStop = (): boolean => (stopped ||= Atomics.load(flag, 0) !== 0);
    try {
      const { job } = msg;
      if (msg.type === 'evaluate') {
        // The main thread holds the result; this worker keeps only each document's last outcomes,
        // so that the next version re-evaluates just what its edit can affect.
        // A newer version stops it (RunPool.evaluate) before its next statement to work out. Every
        // outcome it could reuse it has taken by then, so its outcomes serve the next version as well.
        const previous = outcomes.get(job.uri);
        const analysis = analyze(job.text, { ...hostOption(job), budgetMs: EVALUATION_BUDGET_MS, shouldStop, ...(previous ? { previous } : {}) });
        outcomes.delete(job.uri);
        outcomes.set(job.uri, { outcomes: analysis.outcomes });
        if (outcomes.size > MAX_REMEMBERED_DOCUMENTS) outcomes.delete(outcomes.keys().next().value!);
        const evaluation = evaluationOf(analysis, new Set(job.known));
        post(port, { type: 'evaluation', id: msg.id, evaluation: stopped ? { ...evaluation, stopped: true } : evaluation });
        post(port, { type: 'done', id: msg.id });
        return;
      }
      // An explicit run right after an auto-run of the same version reuses its analysis.
      const key = `${job.uri}\u0000${job.version}\u0000${job.text.length}`;
      // A run needs names, data and lowering, not the evaluation of every other statement.
      const analysis = last?.key === key && last.analysis.text === job.text ? last.analysis : analyze(job.text, { ...hostOption(job), evaluate: false });
      last = { key, analysis };
      for (const outcome of runJob(analysis, job, shouldStop, (offset, iteration, value) => {
        port.postMessage({ type: 'progress', id: msg.id, offset, iteration, value } satisfies FromWorker);
      })) {
        post(port, { type: 'outcome', id: msg.id, outcome });
      }
      port.postMessage({ type: 'done', id: msg.id } satisfies FromWorker);
    } catch (e) {
      port.postMessage({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
    }
  });
}

function hostOption(job: RunJob): { host?: FileHost } {
  return job.documentPath && job.workspaceRoot ? { host: createNodeFileHost(job.documentPath, job.workspaceRoot) } : {};
}

/**
 * Runs a job's statements in order, on either side of the thread boundary.
 * Auto-runs share one budget and drop a result that was stopped by it.
 */
function* runJob(
  analysis: Analysis,
  job: RunJob,
  shouldStop: () => boolean,
  onProgress: (offset: number, iteration: number, value: number) => void,
): Generator<RunOutcome> {
  const budget = job.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = Date.now() + budget;
  for (const offset of job.offsets) {
    if (shouldStop()) return;
    const stmt = analysis.program.statements.find((s) => s.start === offset);
    if (!stmt || !isRunnable(stmt)) { yield { offset, diagnostics: [] }; continue; }
    const left = job.auto ? deadline - Date.now() : budget;
    if (left <= 0) return;
    let lastReport = 0;
    const { result, diagnostics } = runStatement(analysis, stmt, {
      budgetMs: left,
      shouldStop,
      onProgress: (iteration, value) => {
        const now = Date.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        onProgress(offset, iteration, value);
      },
    });
    const stopped = result !== undefined && 'reason' in result && result.reason === 'stopped';
    if (job.auto && stopped) {
      if (shouldStop()) return; // a newer version superseded this auto-run
      // Out of budget: it waits for its "▶ Run" lens, and is not tried again on every keystroke.
      yield { offset, diagnostics: [], tooSlow: true };
      continue;
    }
    yield { offset, ...(result ? { result } : {}), diagnostics };
  }
}

/**
 * Posts a message by structured clone, which keeps NaN and ±Infinity in results. Results
 * are plain data; should one ever hold a function, it goes as JSON instead of failing.
 */
function post(port: NonNullable<typeof parentPort>, message: FromWorker): void {
  try {
    port.postMessage(message);
  } catch {
    port.postMessage(JSON.parse(JSON.stringify(message, (_k, v: unknown) => (typeof v === 'function' ? undefined : v))) as FromWorker);
  }
}

// ------------------------------------------------------------------ the server side

interface Pending {
  readonly id: number;
  readonly kind: ToWorker['type'];
  evaluation?: Evaluation;
  readonly job: RunJob;
  readonly flag: Int32Array;
  readonly outcomes: RunOutcome[];
  readonly onProgress?: (offset: number, iteration: number, value: number) => void;
  readonly resolve: (v: { outcomes: RunOutcome[]; stopped: boolean }) => void;
  stopped: boolean;
  timer?: NodeJS.Timeout;
}

/** Runs jobs in a worker thread, one at a time, in the order they were started. */
export class RunPool {
  private worker: Worker | undefined;
  private workerFailed = false;
  private readonly queue: Pending[] = [];
  private current: Pending | undefined;
  private nextId = 1;

  constructor(private readonly entry: string, private readonly log: (message: string) => void) {}

  /**
   * False once the Worker constructor has thrown: jobs then run on the calling thread, and cannot be
   * stopped. (True before the first worker is started, and after a worker has crashed: the next job starts another.)
   */
  get hasWorker(): boolean {
    return !this.workerFailed;
  }

  /** Starts a job; `stop()` ends it early (its finished statements are kept). */
  start(job: RunJob, onProgress?: (offset: number, iteration: number, value: number) => void): RunHandle {
    const { handle } = this.enqueue('run', job, onProgress);
    return handle;
  }

  /**
   * Evaluates a document's statements (a full `analyze`); undefined when failed or past its budget, or stopped while queued.
   * Evaluations of older versions of the same document are stopped: dropped while queued, and while running
   * ended before their next statement, with what they finished (which the next version can reuse).
   */
  evaluate(job: Omit<RunJob, 'offsets'>): { done: Promise<Evaluation | undefined>; stop(): void } {
    this.stopWhere((j) => j.uri === job.uri && j.version !== job.version);
    const { handle, pending } = this.enqueue('evaluate', { ...job, offsets: [] });
    return { done: handle.done.then(() => pending.evaluation), stop: handle.stop };
  }

  private enqueue(kind: ToWorker['type'], job: RunJob, onProgress?: (offset: number, iteration: number, value: number) => void): { handle: RunHandle; pending: Pending } {
    let resolve!: Pending['resolve'];
    const done = new Promise<{ outcomes: RunOutcome[]; stopped: boolean }>((r) => { resolve = r; });
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const p: Pending = { id: this.nextId++, kind, job, flag, outcomes: [], resolve, stopped: false, ...(onProgress ? { onProgress } : {}) };
    this.queue.push(p);
    this.pump();
    return { handle: { done, stop: () => this.stop(p) }, pending: p };
  }

  /** Stops every job of a document (it was closed, or a newer version superseded an auto-run). */
  stopWhere(predicate: (job: RunJob) => boolean): void {
    for (const p of [...this.queue, ...(this.current ? [this.current] : [])]) if (predicate(p.job)) this.stop(p);
  }

  dispose(): void {
    this.stopWhere(() => true);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private stop(p: Pending): void {
    if (p.stopped) return;
    p.stopped = true;
    Atomics.store(p.flag, 0, 1);
    const queued = this.queue.indexOf(p);
    if (queued >= 0) { this.queue.splice(queued, 1); p.resolve({ outcomes: [], stopped: true }); return; }
    // A running evaluation stops before its next statement and posts what it has; it is not ended after a grace
    // period, which could fall while a new worker is still starting, and would lose the outcomes the worker keeps for
    // every document (its budget's timer still ends one that runs too long).
    if (p === this.current && p.kind === 'evaluate') return;
    // A running run stops at its next check; one that does not within the grace period is ended with its worker.
    if (p === this.current) {
      clearTimeout(p.timer);
      p.timer = setTimeout(() => this.kill(p, 'it did not stop when asked'), STOP_GRACE_MS);
    }
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    this.current = p;
    const worker = this.ensureWorker();
    if (!worker) { this.runInline(p); return; }
    const budget = p.job.budgetMs ?? DEFAULT_BUDGET_MS;
    const total = p.job.auto ? budget : budget * Math.max(1, p.job.offsets.length);
    p.timer = setTimeout(() => this.kill(p, 'it ran past its time budget'), total + BUDGET_GRACE_MS);
    worker.postMessage({ type: p.kind, id: p.id, job: p.job, flag: p.flag.buffer as SharedArrayBuffer } satisfies ToWorker);
  }

  private finish(p: Pending): void {
    clearTimeout(p.timer);
    if (this.current === p) this.current = undefined;
    p.resolve({ outcomes: p.outcomes, stopped: p.stopped });
    this.pump();
  }

  private kill(p: Pending, why: string): void {
    if (this.current !== p) return;
    this.log(`[run] terminated the run worker: ${why}`);
    void this.worker?.terminate();
    this.worker = undefined;
    p.stopped = true;
    this.finish(p);
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerFailed) return this.worker;
    try {
      const worker = new Worker(this.entry, { workerData: { role: WORKER_ROLE } });
      worker.on('message', (m: FromWorker) => this.onMessage(m));
      worker.on('error', (e) => {
        this.log(`[run] worker error: ${e.stack ?? e.message}`);
        if (this.worker === worker) this.worker = undefined;
        if (this.current) this.finish(this.current);
      });
      worker.on('exit', () => { if (this.worker === worker) this.worker = undefined; });
      worker.unref();
      this.worker = worker;
    } catch (e) {
      this.workerFailed = true;
      this.log(`[run] no worker thread (${e instanceof Error ? e.message : String(e)}); running inline`);
    }
    return this.worker;
  }

  private onMessage(m: FromWorker): void {
    const p = this.current;
    if (!p || p.id !== m.id) return;
    switch (m.type) {
      case 'progress': p.onProgress?.(m.offset, m.iteration, m.value); break;
      case 'outcome': p.outcomes.push(m.outcome); break;
      case 'evaluation': p.evaluation = m.evaluation; break;
      case 'failed': this.log(`[run] job failed: ${m.message}`); this.finish(p); break;
      case 'done': this.finish(p); break;
    }
  }

  /** Without a worker: run on this thread, within the budget (cancellation cannot arrive meanwhile). */
  private runInline(p: Pending): void {
    try {
      const analysis = analyze(p.job.text, { ...hostOption(p.job), ...(p.kind === 'evaluate' ? { budgetMs: EVALUATION_BUDGET_MS } : { evaluate: false }) });
      if (p.kind === 'evaluate') p.evaluation = evaluationOf(analysis, new Set(p.job.known));
      else for (const o of runJob(analysis, p.job, () => p.flag[0] !== 0, (offset, iteration, value) => p.onProgress?.(offset, iteration, value))) {
        p.outcomes.push(o);
      }
    } catch (e) {
      this.log(`[run] inline job failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
    this.finish(p);
  }
}
