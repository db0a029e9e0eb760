/**
 * Language-server benchmark on a generated 5,000-line worksheet:
 *   - full analysis time (analyze(), in process, once the JIT is warm), and the first analyses in
 *     fresh processes (the cold curve), with a fixed reference workload timed after each analysis
 *     that says how fast the machine was running (machineReference.ts),
 *   - hover latency p50/p95 (in process, and through the real server over stdio),
 *   - edit-to-diagnostics latency through the real server over stdio (debounce reported separately),
 *   - server memory (resident set of the server process), the heap one analysis keeps, and what the
 *     scavenger copies per analysis (the kept objects that V8 allocated young).
 *
 *   node scripts/build.mjs && node scripts/bench.mjs lsp [--lines 5000] [--json]
 *
 * (scripts/bench.mjs bundles this file as the server is bundled: tsx's transform wraps every
 * closure to keep its name, which slows the analysis by a quarter or more.)
 *
 * Targets (issue 2): analysis < 100 ms, hover p95 < 10 ms, edit→diagnostics < 50 ms + debounce.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HoverRequest, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { analyze } from '../server/src/core/analysis';
import { createCalcDocument } from '../server/src/service/document';
import { doHover } from '../server/src/service/hover';
import { startServer } from '../tests/protocol/harness';
import { machineReference } from './machineReference';
import { generateWorksheet } from './worksheet';

const args = process.argv.slice(2);
export { generateWorksheet };

const LINES = Number(args[args.indexOf('--lines') + 1]) || 5000;
const DEBOUNCE_MS = 100;


function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Analysis options that evaluate every statement: the default budget (2 s) would cap the figure. */
const everything = { budgetMs: 600_000 };

/** Analyses before the timed ones: enough for the JIT to reach its steady state (see coldCurve). */
const WARM_UP = 15;

/**
 * The first analyses in a new process (one worksheet each, different seeds), in milliseconds: the
 * same bundle run again with `--cold`, so that nothing is compiled or cached yet.
 */
function coldCurve(lines: number): number[] {
  const r = spawnSync(process.execPath, [process.argv[1]!, '--cold', '--lines', String(lines)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the cold run failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[];
}

/** `--cold`: analyses five worksheets in this fresh process and prints their times as JSON. */
function coldRun(): void {
  const texts = Array.from({ length: 5 }, (_, i) => generateWorksheet(LINES, 500 + i));
  console.log(JSON.stringify(texts.map((t) => { const t0 = performance.now(); analyze(t, everything); return performance.now() - t0; })));
}

/**
 * What the scavenger copies per full analysis, in MB: the bytes it moves into the survivor space
 * and into the old generation (`promoted` + `new_space_survived` of V8's `--trace-gc-nvp`), over
 * twenty analyses after the warm-up, in a process of its own run with that flag. An object an
 * analysis keeps is copied twice unless V8 allocated it in the old generation from the start, and
 * what dies young is not copied at all, so this follows what an analysis keeps young; and unlike
 * the times it moves little with the machine's load, which makes it the figure to compare for the
 * collector's share. (It does move from process to process, 8.0 to 9.7 MB on the same code, as V8
 * decides per process, from what it has seen survive, which allocation sites to allocate old.)
 */
function scavengerCopiedMB(lines: number): number {
  const r = spawnSync(process.execPath, ['--trace-gc-nvp', process.argv[1]!, '--copied', '--lines', String(lines)], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`the scavenger run failed: ${r.stderr}`);
  const out = r.stdout.split('\n');
  const { scavenges, analyses } = JSON.parse(out.find((l) => l.startsWith('{"scavenges"'))!) as { scavenges: number; analyses: number };
  // V8 prints one line per collection, in order; the timed analyses' scavenges are the last ones
  const field = (line: string, name: string): number => Number(new RegExp(` ${name}=(\\d+)`).exec(line)?.[1] ?? 0);
  const traced = out.filter((l) => / gc=s /.test(l)).slice(-scavenges);
  if (traced.length !== scavenges) throw new Error(`expected ${scavenges} scavenges in the trace, found ${traced.length}`);
  if (!traced.every((l) => / promoted=\d/.test(l) && / new_space_survived=\d/.test(l))) throw new Error('the trace of a scavenge lacks promoted= or new_space_survived=: V8 changed its format');
  const bytes = traced.reduce((sum, l) => sum + field(l, 'promoted') + field(l, 'new_space_survived'), 0);
  return bytes / analyses / 2 ** 20;
}

/** `--copied`: the warm-up and twenty analyses, then how many scavenges the twenty took, as JSON. */
async function copiedRun(): Promise<void> {
  for (let i = 0; i < WARM_UP; i++) analyze(generateWorksheet(LINES, 1000 + i), everything);
  const others = Array.from({ length: 20 }, (_, i) => generateWorksheet(LINES, 2 + i));
  await new Promise((r) => setTimeout(r, 0)); // the warm-up's last collections are delivered before counting
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++; });
  observer.observe({ entryTypes: ['gc'] });
  for (const o of others) analyze(o, everything);
  await new Promise((r) => setTimeout(r, 0));
  observer.disconnect();
  console.log(JSON.stringify({ scavenges, analyses: others.length }));
}

/**
 * The heap that what `make` returns keeps alive, in MB, measured between two full collections
 * (with the caches it fills on the way, as an analysis in the server does).
 */
function keptHeapMB(make: () => unknown): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('nothing was kept');
  return (after - before) / 2 ** 20;
}

const fmt = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

async function main(): Promise<void> {
  const text = generateWorksheet(LINES);
  const dir = mkdtempSync(join(tmpdir(), 'calc-bench-'));
  const file = join(dir, 'bench.calc');
  writeFileSync(file, text);
  const report: Record<string, number | string> = { lines: LINES, characters: text.length };

  // 1. Full analysis, in process (warm: the first runs compile the code paths), of every statement.
  //    Each timed run analyses a worksheet of its own (the same generator with another seed),
  //    so that nothing one analysis leaves in a cache is found again by the next; the time
  //    spent in garbage collection during the timed runs is reported with it.
  //    The first analyses in a process run while V8 is still compiling and optimising the code:
  //    the cold curve below (fresh processes) shows them, and the steady state takes about fifteen
  //    analyses to reach, so that many are run before timing (as the evaluation worker has after
  //    some minutes of editing: each pause in typing is an analysis, most of them partial).
  const cold = Array.from({ length: 3 }, () => coldCurve(LINES));
  report.coldFirstMs = percentile(cold.map((c) => c[0]!), 50);
  report.coldSecondMs = percentile(cold.map((c) => c[1]!), 50);
  report.coldFifthMs = percentile(cold.map((c) => c[4]!), 50);
  // The machine reference, timed after each analysis: how fast the machine ran while it ran
  // (machineReference.ts). Built and warmed up before the analyses, so that its own set-up is not in
  // their figures; its graph (about 50,000 small objects) stays in the heap while they run.
  const reference = machineReference();
  for (let i = 0; i < WARM_UP; i++) analyze(generateWorksheet(LINES, 1000 + i), everything);
  const others = Array.from({ length: 20 }, (_, i) => generateWorksheet(LINES, 2 + i));
  let gcMs = 0;
  const gcObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; });
  gcObserver.observe({ entryTypes: ['gc'] });
  const analysisTimes: number[] = [];
  const referenceTimes: number[] = [];
  for (const other of others) {
    const t0 = performance.now();
    analyze(other, everything);
    analysisTimes.push(performance.now() - t0);
    referenceTimes.push(reference.run());
  }
  await new Promise((r) => setTimeout(r, 0)); // let the observer deliver the last entries
  gcObserver.disconnect();
  report.analysisGcMs = gcMs / others.length;
  // Parse, data and names only: what the server's main thread does per version.
  const syntacticTimes: number[] = [];
  for (let i = 0; i < 10; i++) { const t0 = performance.now(); analyze(text, { evaluate: false }); syntacticTimes.push(performance.now() - t0); }
  report.syntacticMedianMs = percentile(syntacticTimes, 50);
  report.analysisMedianMs = percentile(analysisTimes, 50);
  report.analysisMinMs = Math.min(...analysisTimes);
  report.analysisP90Ms = percentile(analysisTimes, 90);
  report.analysisMaxMs = Math.max(...analysisTimes);
  report.referenceMedianMs = percentile(referenceTimes, 50);
  report.referenceMinMs = Math.min(...referenceTimes);
  report.referenceMaxMs = Math.max(...referenceTimes);
  const once = analyze(text, everything);
  report.statementsEvaluated = once.results.size;
  report.distinctOutcomes = once.outcomes.size;
  report.analysisKeptMB = keptHeapMB(() => analyze(generateWorksheet(LINES, 99), everything));
  report.scavengerCopiedMB = scavengerCopiedMB(LINES);

  // Re-analysis of an edited version with the last version's outcomes (what the evaluation
  // worker does per edit): a local edit (one value line), and a constant that most of the
  // worksheet depends on (c0: the other constants are multiples of it).
  const edits: Record<string, string> = {
    Local: text.replace(/^(f\d+\()([0-9.]+)/m, (_, head: string) => `${head}1.2345`),
    Constant: text.replace(/^c0 = [0-9.]+/m, 'c0 = 7.5'),
  };
  for (const [name, edited] of Object.entries(edits)) {
    const times: number[] = [];
    let reused = 0;
    for (let i = 0; i < 10; i++) {
      const previous = analyze(text, everything);
      const t0 = performance.now();
      const a = analyze(edited, { ...everything, previous });
      times.push(performance.now() - t0);
      const old = new Set(previous.outcomes.values());
      reused = [...a.outcomes.values()].filter((o) => old.has(o)).length / a.outcomes.size;
    }
    report[`reanalysis${name}MedianMs`] = percentile(times, 50);
    report[`reanalysis${name}ReusedShare`] = reused;
  }
  const diagnostics = analyze(text).diagnostics;
  report.diagnostics = diagnostics.length;

  // 2. Hover, in process, at names spread over the document.
  const doc = createCalcDocument(TextDocument.create(pathToFileURL(file).href, 'calc', 1, text));
  const positions: { line: number; character: number }[] = [];
  const lines = text.split('\n');
  for (let l = 1; l < lines.length && positions.length < 400; l += Math.max(1, Math.floor(lines.length / 400))) {
    const m = /[a-z][a-z0-9]*/.exec(lines[l]!);
    if (m) positions.push({ line: l, character: m.index + 1 });
  }
  for (const typeset of [false, true]) {
    for (const p of positions.slice(0, 20)) doHover(doc, p, { typeset }); // warm-up
    const times: number[] = [];
    for (const p of positions) { const t0 = performance.now(); doHover(doc, p, { typeset }); times.push(performance.now() - t0); }
    report[`hover${typeset ? 'Typeset' : 'Text'}P50Ms`] = percentile(times, 50);
    report[`hover${typeset ? 'Typeset' : 'Text'}P95Ms`] = percentile(times, 95);
  }

  // 3. Through the real server over stdio (auto-run off, so that runs do not compete for the CPU).
  const server = await startServer({ workspace: dir, capabilities: { workspace: { configuration: true } }, initializationOptions: { diagnosticsDebounceMs: DEBOUNCE_MS } });
  server.settings.calc = { autoRun: { enabled: false, budgetMs: 200 }, hover: { typeset: true }, inlayHints: { enabled: true } };
  const uri = pathToFileURL(file).href;
  // The server's copy ends with a failing `expect` on c0, which every edit below changes: the
  // publication whose message has c0's new value is the one with the edit's evaluation in it
  // (the outcomes of unchanged statements, such as line 4's domain warning, come at once).
  const served = `${text}expect c0 == 0\n`;
  const isFull = (p: PublishDiagnosticsParams, c0: string): boolean =>
    p.diagnostics.some((d) => d.code === 520 && String(d.message).includes(`left side is ${c0},`));
  const c0Initial = /^c0 = ([0-9.]+)/m.exec(text)![1]!;
  let t0 = performance.now();
  const openedEarly = server.diagnostics(uri, (p) => p.version === 1);
  const openedFull = server.diagnostics(uri, (p) => p.version === 1 && isFull(p, String(Number(c0Initial))));
  server.open(uri, served);
  await openedEarly;
  report.openToFirstDiagnosticsMs = performance.now() - t0;
  await openedFull;
  report.openToFullDiagnosticsMs = performance.now() - t0;

  for (const typeset of [true, false]) {
    server.settings.calc = { autoRun: { enabled: false, budgetMs: 200 }, hover: { typeset }, inlayHints: { enabled: true } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const times: number[] = [];
    for (const p of positions) {
      t0 = performance.now();
      await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: p });
      times.push(performance.now() - t0);
    }
    report[`stdioHover${typeset ? 'Typeset' : 'Text'}P50Ms`] = percentile(times, 50);
    report[`stdioHover${typeset ? 'Typeset' : 'Text'}P95Ms`] = percentile(times, 95);
  }

  // Edits, each awaited to its full diagnostics before the next: c0, which most of the
  // worksheet depends on, and the last line alone (a local edit). Timed to the first
  // publication of the version and to the one that has the edit's evaluation in it.
  let current = served;
  let version = 1;
  report.debounceMs = DEBOUNCE_MS;
  const editSeries = async (name: string, edit: (text: string, n: number) => { text: string; full: (p: PublishDiagnosticsParams) => boolean }): Promise<void> => {
    const first: number[] = [], full: number[] = [];
    for (let n = 2; n < 22; n++) {
      const v = ++version;
      const e = edit(current, n);
      current = e.text;
      const early = server.diagnostics(uri, (p) => p.version === v);
      const all = server.diagnostics(uri, (p) => p.version === v && e.full(p));
      t0 = performance.now();
      server.change(uri, v, current);
      await early;
      first.push(performance.now() - t0);
      await all;
      full.push(performance.now() - t0);
    }
    report[`edit${name}ToFirstDiagnosticsP50Ms`] = percentile(first, 50);
    report[`edit${name}ToFirstDiagnosticsP95Ms`] = percentile(first, 95);
    report[`edit${name}ToFullDiagnosticsP50Ms`] = percentile(full, 50);
    report[`edit${name}ToFullDiagnosticsP95Ms`] = percentile(full, 95);
  };
  await editSeries('Local', (text, n) => ({
    text: text.replace(/^expect c0 == [0-9.]+$/m, `expect c0 == ${n}`),
    full: (p) => p.diagnostics.some((d) => d.code === 520 && String(d.message).includes(`right side ${n},`)),
  }));
  await editSeries('Constant', (text, n) => ({
    text: text.replace(/^c0 = [0-9.]+/m, `c0 = ${n}.5`),
    full: (p) => isFull(p, `${n}.5`),
  }));

  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  report.serverRssMB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  report.serverPeakRssMB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  await server.close();

  if (args.includes('--json')) { console.log(JSON.stringify(report, null, 2)); return; }
  console.log(`Generated worksheet: ${LINES} lines, ${text.length} characters, ${report.diagnostics} diagnostics`);
  console.log(`Full analysis (in process, 20 worksheets): median ${fmt(report.analysisMedianMs as number)}, min ${fmt(report.analysisMinMs as number)}, p90 ${fmt(report.analysisP90Ms as number)}, max ${fmt(report.analysisMaxMs as number)}`);
  console.log(`  (after ${WARM_UP} warm-up analyses; in a fresh process the first takes ${fmt(report.coldFirstMs as number)}, the second ${fmt(report.coldSecondMs as number)}, the fifth ${fmt(report.coldFifthMs as number)})`);
  console.log(`  (${report.statementsEvaluated} statements with a result, ${report.distinctOutcomes} distinct outcomes; garbage collection ${fmt(report.analysisGcMs as number)} per analysis)`);
  console.log(`  (one analysis keeps ${(report.analysisKeptMB as number).toFixed(1)} MB of heap; the scavenger copies ${(report.scavengerCopiedMB as number).toFixed(2)} MB per analysis)`);
  console.log(`  (machine reference after each analysis: median ${fmt(report.referenceMedianMs as number)}, fastest ${fmt(report.referenceMinMs as number)}, slowest ${fmt(report.referenceMaxMs as number)})`);
  console.log(`Re-analysis after a local edit:    median ${fmt(report.reanalysisLocalMedianMs as number)} (${((report.reanalysisLocalReusedShare as number) * 100).toFixed(1)} % of outcomes reused)`);
  console.log(`Re-analysis after editing c0:      median ${fmt(report.reanalysisConstantMedianMs as number)} (${((report.reanalysisConstantReusedShare as number) * 100).toFixed(1)} % of outcomes reused)`);
  console.log(`Parse + data + names (in process): median ${fmt(report.syntacticMedianMs as number)}`);
  console.log(`Hover, text (in process):          p50 ${fmt(report.hoverTextP50Ms as number)}, p95 ${fmt(report.hoverTextP95Ms as number)}`);
  console.log(`Hover, typeset (in process):       p50 ${fmt(report.hoverTypesetP50Ms as number)}, p95 ${fmt(report.hoverTypesetP95Ms as number)}`);
  console.log(`Hover over stdio, typeset:         p50 ${fmt(report.stdioHoverTypesetP50Ms as number)}, p95 ${fmt(report.stdioHoverTypesetP95Ms as number)}`);
  console.log(`Hover over stdio, text:            p50 ${fmt(report.stdioHoverTextP50Ms as number)}, p95 ${fmt(report.stdioHoverTextP95Ms as number)}`);
  console.log(`Open → first / full diagnostics:   ${fmt(report.openToFirstDiagnosticsMs as number)} / ${fmt(report.openToFullDiagnosticsMs as number)}`);
  for (const [name, what] of [['Local', 'the last line'], ['Constant', 'c0']] as const) {
    console.log(`Edit of ${what} → first / full diagnostics (stdio): p50 ${fmt(report[`edit${name}ToFirstDiagnosticsP50Ms`] as number)} / ${fmt(report[`edit${name}ToFullDiagnosticsP50Ms`] as number)}, p95 ${fmt(report[`edit${name}ToFirstDiagnosticsP95Ms`] as number)} / ${fmt(report[`edit${name}ToFullDiagnosticsP95Ms`] as number)} (debounce ${DEBOUNCE_MS} ms included)`);
  }
  console.log(`Server memory:                     ${(report.serverRssMB as number).toFixed(0)} MB resident, peak ${(report.serverPeakRssMB as number).toFixed(0)} MB`);
}

const isEntry = /lsp\.bench\.m?[jt]s$/.test(process.argv[1] ?? '');
if (isEntry && args.includes('--cold')) coldRun();
else if (isEntry && args.includes('--copied')) void copiedRun();
else if (isEntry) main().catch((e: unknown) => { console.error(e); process.exit(1); });
