/**
 * The command line: the same analysis as the editor, for terminals, scripts and graders.
 *
 *   calc run FILE [--json]     every line's result and every diagnostic
 *   calc check PATH...         exit 1 when a file has an error or a failed expect/check;
 *                              folders are searched for .calc files (a folder of submissions)
 */
import { type Dirent, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { analyze, type Analysis } from './core/analysis';
import { toCalc, toUnicode } from './core/calculus/print';
import { jsonReport, LineMap } from './core/report';
import type { StatementResult } from './core/results';
import { runStatement, summarize } from './core/run';
import { fmt, type Value } from './core/semantics/evaluate';
import { isRunnable } from './core/syntax/ast';
import type { Diagnostic } from './core/syntax/diagnostics';
import { createNodeFileHost } from './node/fileHost';

const USAGE = `Calc: multivariate calculus worksheets.

Usage:
  calc run FILE [--json] [--workspace DIR]   analyse FILE and print every line's result
  calc check PATH... [--workspace DIR]       check files or folders of .calc files; exit 1 on any
                                             error or failed expect/check
  calc --help | --version

Data files named in csv("...") must lie inside the workspace: DIR, by default the current
folder (or the file's own folder when the file is outside the current folder); for calc check,
each file's own folder. calc check grades expect and check lines and does not run minimize,
root or fit statements; symbolic links inside the folders searched are not followed.
`;

const OPTIONS = new Set(['--json', '--help', '-h', '--version']);

interface FileOutcome {
  file: string;
  analysis?: Analysis;
  results: Map<number, StatementResult>;
  diagnostics: Diagnostic[];
  error?: string;
}

/**
 * Analyses a file and, with `runs` (calc run), runs every runnable statement in it. Data files
 * must lie inside `workspace`: by default the current folder (or the file's own folder, when it is
 * outside the current folder); `ownFolder` (calc check, where each file is someone's submission)
 * makes the default the file's own folder.
 */
export function processFile(file: string, workspace?: string, { runs = true, ownFolder = false } = {}): FileOutcome {
  let text: string;
  try {
    // without the byte-order mark, as an editor loads the file: columns are counted without it
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    return { file, results: new Map(), diagnostics: [], error: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const path = resolve(file);
  const cwd = process.cwd();
  const root = workspace ? resolve(workspace) : !ownFolder && isInside(cwd, path) ? cwd : resolve(path, '..');
  const analysis = analyze(text, { host: createNodeFileHost(path, root), budgetMs: 30_000 });
  const results = new Map<number, StatementResult>();
  const diagnostics = [...analysis.diagnostics];
  for (const [s, r] of analysis.results) results.set(s.start, r);
  for (const s of analysis.program.statements) {
    if (!runs || !isRunnable(s)) continue;
    const run = runStatement(analysis, s, { budgetMs: 30_000 });
    diagnostics.push(...run.diagnostics);
    if (run.result) results.set(s.start, run.result);
  }
  return { file, analysis, results, diagnostics };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** Whether a file passes: no error diagnostic, no failed expect or check. */
export function passes(o: FileOutcome): boolean {
  if (o.error) return false;
  if (o.diagnostics.some((d) => d.severity === 'error')) return false;
  return [...o.results.values()].every((r) => (r.kind === 'expect' || r.kind === 'check' ? r.passed : true));
}

function printHuman(o: FileOutcome): void {
  const a = o.analysis!;
  const lines = new LineMap(a.text);
  const sourceLines = a.text.split(/\r\n|\r|\n/);
  const byLine = new Map<number, string[]>();
  const push = (line: number, s: string): void => { byLine.set(line, [...(byLine.get(line) ?? []), s]); };
  // what a diagnostic on a line already says word for word (a failed expect or check, a run that did
  // not converge) is not said again under the line's result
  const saidOn = new Map<number, Set<string>>();
  for (const d of o.diagnostics) {
    const p = lines.position(d.offset);
    push(p.line, `${d.severity}[${d.code}] ${p.line}:${p.column}: ${d.message}`);
    saidOn.set(p.line, (saidOn.get(p.line) ?? new Set()).add(d.message));
  }
  for (const [offset, r] of o.results) {
    const line = lines.position(offset).line;
    const said = saidOn.get(line) ?? new Set<string>();
    if ((r.kind === 'expect' || r.kind === 'check') && said.has(r.message)) continue;
    push(line, describe(r, said));
  }
  for (const line of [...byLine.keys()].sort((x, y) => x - y)) {
    // control characters (a binary file's) are shown as �, not sent to the terminal
    const src = (sourceLines[line - 1] ?? '').replace(/\s+#.*$/, '').trim().replace(CONTROL, '\ufffd');
    console.log(`${String(line).padStart(4)} │ ${src.length > 90 ? src.slice(0, 89) + '…' : src}`);
    for (const s of byLine.get(line)!) console.log(`     │   ${s.split('\n').join('\n     │     ')}`);
  }
}

/** Control characters other than tab (C0 and C1), which a terminal would act on. */
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function describe(r: StatementResult, said: ReadonlySet<string>): string {
  switch (r.kind) {
    case 'value':
      if (r.expr) return `= ${toUnicode(r.expr)}`;
      return `= ${showValue(r.value)}`;
    case 'taylor': {
      // the polynomial in powers of (x - a), then multiplied out; about the origin the two are the same
      // polynomial, and a constant reads the same either way
      const shifted = toCalc(r.shiftedExpr), expanded = toCalc(r.expanded);
      const same = expanded === shifted || Object.values(r.at).every((v) => v === 0);
      return `order ${r.order} about (${Object.entries(r.at).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ')}):\n${shifted}${same ? '' : `\n= ${expanded}`}`;
    }
    case 'fit': {
      const params = r.parameters.map((p) => `${p.name} = ${p.value.toPrecision(8)} ± ${p.stderr.toPrecision(3)}`).join('\n');
      // what a diagnostic on the line already says (a run that did not converge) is not repeated
      const method = r.method === 'qr' ? 'linear least squares (QR)' : r.method === 'lm' ? 'Levenberg–Marquardt' : 'gradient descent';
      const notes = r.notes.filter((n) => ![...said].some((m) => n.toLowerCase().includes(m.toLowerCase())));
      return `${said.has(r.message) ? method : `${method}: ${r.message}`}\n${params}\nχ² = ${fmt(r.chi2)}, dof = ${r.dof}, χ²/dof = ${fmt(r.reducedChi2)}, R² = ${fmt(r.r2)}${notes.length ? '\n' + notes.join('\n') : ''}`;
    }
    case 'lagrange':
      // one line per solution of the Lagrange conditions: where, f, λ, and what the bordered Hessian says it is
      return [r.message, ...r.candidates.map((c) => `(${Object.entries(c.point).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ')}): f = ${fmt(c.value)}, λ = ${c.lambda.map(fmt).join(', ')}, ${c.kind === 'minimum' || c.kind === 'maximum' ? `local ${c.kind}` : c.kind}${c.best ? ` (the ${c.best})` : ''}`),
        ...r.notes.filter((n) => ![...said].some((m) => m.includes(n)) && !/^These are the stationary points found/.test(n))].join('\n');
    case 'root': case 'minimize': case 'maximize':
      // (a run that found nothing has its message in the summary already)
      return [summarize(r), r.message, ...r.notes].filter((x, i, all) => !said.has(x) && !(i > 0 && all[0]!.endsWith(x))).join('\n');
    default: return summarize(r);
  }
}

function showValue(v: Value): string {
  return typeof v === 'number' ? fmt(v) : `[${v.map(showValue).join(', ')}]`;
}

/**
 * The .calc files of the paths given: files as they are, folders searched (not node_modules or
 * hidden folders). A symbolic link met in a folder is not followed (it could lead out of the folder,
 * or round in a loop), and a folder that cannot be read is reported, not fatal: `skipped` says why.
 */
function collect(paths: string[], skipped: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isFolder = false;
    try { isFolder = statSync(p).isDirectory(); } catch { /* not there: reported by the caller */ }
    if (!isFolder) { out.push(p); continue; }
    let entries: Dirent[];
    try {
      entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      skipped.push(`${p}: cannot read this folder (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    for (const entry of entries) {
      const child = join(p, entry.name);
      if (entry.isSymbolicLink()) { if (/\.calc$/i.test(entry.name) || !entry.name.includes('.')) skipped.push(`${child}: a symbolic link, not followed`); }
      else if (entry.isDirectory()) { if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...collect([child], skipped)); }
      else if (entry.isFile() && /\.calc$/i.test(entry.name)) out.push(child);
    }
  }
  return out;
}

/** Runs the command line; returns the exit status. */
export function main(argv: string[]): number {
  const args: string[] = [];
  const flags = new Set<string>();
  let workspace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { args.push(...argv.slice(i + 1)); break; } // the rest are files, whatever they start with
    if (a === '--workspace' || a.startsWith('--workspace=')) {
      workspace = a === '--workspace' ? argv[++i] : a.slice('--workspace='.length);
      if (!workspace) { console.error('calc: --workspace needs a folder: --workspace DIR'); return 2; }
    } else if (a.startsWith('-') && a !== '-') {
      if (!OPTIONS.has(a)) { console.error(`calc: unknown option '${a}'\n\n${USAGE}`); return 2; }
      flags.add(a === '-h' ? '--help' : a);
    } else args.push(a);
  }
  const [command, ...rest] = args;
  if (flags.has('--version')) { console.log('calc 0.1.0'); return 0; }
  if (flags.has('--help') || !command) { console.log(USAGE); return command || flags.has('--help') ? 0 : 2; }
  if (command === 'run') {
    if (rest.length !== 1) { console.error('calc run takes one file: calc run FILE [--json]'); return 2; }
    const o = processFile(rest[0]!, workspace);
    if (o.error) { console.error(`calc: ${o.error}`); return 2; }
    if (flags.has('--json')) console.log(JSON.stringify(jsonReport(o.file, o.analysis!, o.results, o.diagnostics), null, 2));
    else printHuman(o);
    return o.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  }
  if (command === 'check') {
    if (flags.has('--json')) { console.error('calc: --json is for calc run; calc check prints one line per file'); return 2; }
    const missing = rest.filter((p) => !existsSync(p));
    if (missing.length) { console.error(`calc check: no such file or folder: ${missing.join(', ')}`); return 2; }
    const skipped: string[] = [];
    const files = collect(rest, skipped);
    for (const why of skipped) console.error(`calc check: skipped ${why}`);
    if (files.length === 0) { console.error('calc check: no .calc files given'); return 2; }
    let failed = 0;
    for (const f of files) {
      // expect and check lines are what is graded: runs (minimize, root, fit) are not needed for them
      const o = processFile(f, workspace, { runs: false, ownFolder: true });
      const ok = passes(o);
      if (!ok) failed++;
      const errors = o.diagnostics.filter((d) => d.severity === 'error').length;
      const checks = [...o.results.values()].filter((r) => r.kind === 'expect' || r.kind === 'check');
      const passedChecks = checks.filter((r) => (r as { passed: boolean }).passed).length;
      // every expect and check line counts, also one that could not be worked out (its line, or a
      // definition it uses, has an error): it is not passed
      const lines = o.analysis?.program.statements.filter((st) => st.kind === 'expect' || st.kind === 'check').length ?? 0;
      const unevaluated = Math.max(0, lines - checks.length);
      console.log(`${ok ? 'PASS' : 'FAIL'} ${f}: ${o.error ?? `${errors} error${errors === 1 ? '' : 's'}, ${passedChecks}/${lines} expect/check passed${unevaluated ? ` (${unevaluated} not worked out, for an error on ${unevaluated === 1 ? 'its' : 'their'} line or in a definition ${unevaluated === 1 ? 'it uses' : 'they use'})` : ''}`}`);
    }
    console.log(`${files.length - failed} of ${files.length} file${files.length === 1 ? '' : 's'} passed`);
    return failed ? 1 : 0;
  }
  console.error(`calc: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
