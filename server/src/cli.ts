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
import { parse } from './core/syntax/parser';
import type { StatementResult } from './core/results';
import { runStatement, summarize } from './core/run';
import { fmt, type Value } from './core/semantics/evaluate';
import { isRunnable, someExpression, type Statement } from './core/syntax/ast';
import { Codes, type Diagnostic } from './core/syntax/diagnostics';
import { createNodeFileHost } from './node/fileHost';

const USAGE = `Calc: multivariate calculus worksheets.

Usage:
  calc run FILE [--json] [--workspace DIR]   analyse FILE and print every line's result
  calc check PATH... [--workspace DIR]       check files or folders of .calc files; exit 1 on any
             [--key KEY.calc]                error or failed expect/check; with --key, grade each
                                             file by the key's expect and check lines, not its own
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
export function processFile(file: string, workspace?: string, { runs = true, ownFolder = false, key = '' } = {}): FileOutcome {
  let text: string;
  try {
    // without the byte-order mark, as an editor loads the file: columns are counted without it
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    // an answer key's lines after the file's own, past a blank line (which ends any statement left open)
    if (key) text = `${text}\n\n${key}`;
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

/** How a file fares in calc check. */
interface Grade {
  readonly ok: boolean;
  /** Error diagnostics in the file (with a key, not its own failed expect or check lines). */
  readonly errors: number;
  /** The graded expect and check lines: the file's own, or with a key the key's. */
  readonly lines: number;
  readonly passed: number;
  /** Graded lines that could not be worked out (an error on their line or in what they use): not passed. */
  readonly unevaluated: number;
  /** Names of the file's constants that captured a key line's variable (see capturedVariables). */
  readonly captured: readonly string[];
}

/**
 * Grades a file: it passes with no error and every graded expect or check line passed. With an
 * answer key appended at `keyStart`, the key's lines are graded and the file's own expect and check
 * lines are not (a student could delete or rig them); a key line that cannot be worked out (the
 * file does not define what it uses) is not passed.
 */
export function grade(o: FileOutcome, keyStart?: number): Grade {
  if (o.error || !o.analysis) return { ok: false, errors: 0, lines: 0, passed: 0, unevaluated: 0, captured: [] };
  const from = keyStart ?? 0;
  const graded = o.analysis.program.statements.filter((st) => (st.kind === 'expect' || st.kind === 'check') && st.start >= from);
  const captured = keyStart === undefined ? new Set<string>() : capturedVariables(o.analysis, keyStart);
  // (a name bound by a point, `at x = 2`, gives the parameter its value: the constant cannot capture it there)
  const uses = (st: Statement, names: ReadonlySet<string>): boolean => {
    const at = st.kind === 'expect' || st.kind === 'check' ? st.at : undefined;
    const bound = new Set<unknown>(at?.kind === 'named-point' ? at.bindings.map((b) => b.name) : []);
    return someExpression(st, (e) => e.kind === 'ident' && names.has(e.name) && !bound.has(e));
  };
  const passed = graded.filter((st) => (o.results.get(st.start) as { passed?: boolean } | undefined)?.passed === true && !uses(st, captured)).length;
  const capturing = [...captured].filter((name) => graded.some((st) => uses(st, new Set([name]))));
  const own = (d: Diagnostic) => keyStart === undefined || (d.offset < keyStart && d.code !== Codes.ExpectFailed && d.code !== Codes.CheckFailed);
  const errors = o.diagnostics.filter((d) => d.severity === 'error' && own(d)).length;
  const unevaluated = graded.filter((st) => !o.results.has(st.start)).length;
  return { ok: errors === 0 && passed === graded.length, errors, lines: graded.length, passed, unevaluated, captured: capturing };
}

/**
 * Names the file defines as constants that are also parameters of its functions: in a key line
 * appended to it, such a name is the constant, not the variable the key means (x = 0 with
 * f(x, y) = 3*y makes `expect grad(f) == [2*x, 3]` pass), so key lines that use one are not passed.
 */
function capturedVariables(a: Analysis, keyStart: number): Set<string> {
  const params = new Set<string>();
  for (const def of a.symbols.globals.values()) if (def.kind === 'function' && def.statement.start < keyStart) for (const p of def.params ?? []) params.add(p);
  const captured = new Set<string>();
  for (const def of a.symbols.globals.values()) if (def.kind === 'constant' && def.statement.start < keyStart && params.has(def.name)) captured.add(def.name);
  return captured;
}

/** Whether a file passes (calc check without a key): no error diagnostic, no failed expect or check. */
export function passes(o: FileOutcome): boolean {
  return grade(o).ok;
}

/**
 * The expect and check lines of an answer key, as text to append to each file; or what is wrong
 * with the key (a usage error: the grader's file, not a student's).
 */
function answerKey(path: string): { text: string; lines: number; ignored: number } | { error: string } {
  let source: string;
  try { source = readFileSync(path, 'utf8').replace(/^\uFEFF/, ''); } catch (e) { return { error: `cannot read the key ${path}: ${e instanceof Error ? e.message : String(e)}` }; }
  const { program, diagnostics } = parse(source);
  const bad = diagnostics.find((d) => d.severity === 'error');
  if (bad) return { error: `the key ${path} has an error at line ${new LineMap(source).position(bad.offset).line}: ${bad.message}` };
  const graded = program.statements.filter((st) => st.kind === 'expect' || st.kind === 'check');
  if (graded.length === 0) return { error: `the key ${path} has no expect or check lines to grade with` };
  return { text: graded.map((st) => source.slice(st.start, st.end)).join('\n') + '\n', lines: graded.length, ignored: program.statements.length - graded.length };
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
  let workspace: string | undefined, keyPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { args.push(...argv.slice(i + 1)); break; } // the rest are files, whatever they start with
    if (a === '--workspace' || a.startsWith('--workspace=')) {
      workspace = a === '--workspace' ? argv[++i] : a.slice('--workspace='.length);
      if (!workspace) { console.error('calc: --workspace needs a folder: --workspace DIR'); return 2; }
    } else if (a === '--key' || a.startsWith('--key=')) {
      keyPath = a === '--key' ? argv[++i] : a.slice('--key='.length);
      if (!keyPath) { console.error('calc: --key needs the answer key: --key KEY.calc'); return 2; }
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
    if (keyPath) { console.error('calc: --key is for calc check'); return 2; }
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
    const key = keyPath ? answerKey(keyPath) : undefined;
    if (key && 'error' in key) { console.error(`calc check: ${key.error}`); return 2; }
    if (key?.ignored) console.error(`calc check: only the key's expect and check lines are applied; its ${key.ignored} other line${key.ignored === 1 ? ' is' : 's are'} not`);
    const keyFile = keyPath ? resolve(keyPath) : undefined;
    const graded = files.filter((file) => resolve(file) !== keyFile);
    let failed = 0;
    for (const f of graded) {
      // expect and check lines are what is graded: runs (minimize, root, fit) are not needed for them
      const o = processFile(f, workspace, { runs: false, ownFolder: true, key: key?.text ?? '' });
      const keyStart = key && o.analysis ? o.analysis.text.length - key.text.length : undefined;
      const g = grade(o, keyStart);
      if (!g.ok) failed++;
      const { unevaluated } = g;
      const what = key ? 'key expect/check passed' : 'expect/check passed';
      const captured = g.captured;
      const capturedNote = captured.length ? `; the file defines ${captured.join(', ')} as a constant as well as a parameter, so key lines using ${captured.length === 1 ? 'it' : 'them'} are not passed` : '';
      console.log(`${g.ok ? 'PASS' : 'FAIL'} ${f}: ${o.error ?? `${g.errors} error${g.errors === 1 ? '' : 's'}, ${g.passed}/${g.lines} ${what}${unevaluated ? ` (${unevaluated} not worked out, for an error on ${unevaluated === 1 ? 'its' : 'their'} line or in a definition ${unevaluated === 1 ? 'it uses' : 'they use'}${key ? ', or one the file does not define' : ''})` : ''}${capturedNote}`}`);
    }
    console.log(`${graded.length - failed} of ${graded.length} file${graded.length === 1 ? '' : 's'} passed`);
    return failed ? 1 : 0;
  }
  console.error(`calc: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
