/**
 * Data sets: inline tables and CSV files, as named numeric columns.
 *
 * The core reads no files itself: a `FileHost` given by the caller (the CLI,
 * the language server, a web extension) reads them, and refuses any path outside
 * the workspace. The core refuses absolute paths and URLs before asking.
 */
import type { DataStatement, Span } from '../syntax/ast';
import { Codes, type Diagnostic } from '../syntax/diagnostics';

export interface DataSet {
  readonly name: string;
  readonly columns: readonly string[];
  /** Column-major values: `values[j][i]` is row i of column j. */
  readonly values: readonly (readonly number[])[];
  readonly rows: number;
  /** Where the file came from, for csv data. */
  readonly source?: string;
}

/** What a host answers when the core asks for a file. */
export type FileRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'missing' | 'outside-workspace' | 'unreadable' | 'too-large'; readonly message?: string };

/** File access, given by the caller. Paths are relative to the document's folder, with '/' separators. */
export interface FileHost {
  readFile(relativePath: string): FileRead;
}

/** The largest CSV file read, in characters. */
export const MAX_CSV_CHARS = 20_000_000;

/**
 * Builds the data set of a `data` statement.
 * `loadData(stmt, host).data?.columns` is `['x', 'y', 'sigma']` for the table in the language tour.
 */
export function loadData(stmt: DataStatement, host: FileHost | undefined): { data?: DataSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const name = stmt.name.name;
  if (stmt.table) {
    const { header, rows } = stmt.table;
    if (header.length === 0) {
      diagnostics.push(diag(Codes.DataEmpty, 'error', stmt.name, `The table ${name} is empty: write a header row of column names, then rows of numbers.`));
      return { diagnostics };
    }
    const cells = rows.map((r) => r.map((c) => ({ text: c.text, span: c as Span })));
    const data = tabulate(name, header.map((h) => ({ text: h.text, span: h as Span })), cells, diagnostics);
    return { ...(data ? { data } : {}), diagnostics };
  }
  const path = stmt.csv!;
  const p = path.value;
  if (!isRelativePath(p)) {
    diagnostics.push(diag(Codes.DataPathOutsideWorkspace, 'error', path, `"${p}" is not a relative path: name the file relative to this .calc file, inside the workspace.`));
    return { diagnostics };
  }
  if (leavesFolder(p)) {
    diagnostics.push(diag(Codes.DataPathOutsideWorkspace, 'error', path, `"${p}" leaves this folder: for safety, data files must be inside the workspace, next to or below this .calc file.`));
    return { diagnostics };
  }
  if (!host) {
    diagnostics.push(diag(Codes.DataFileMissing, 'error', path, `Cannot read "${p}" here: this editor gives no file access.`));
    return { diagnostics };
  }
  const read = host.readFile(p);
  if (!read.ok) {
    const message = {
      'missing': `The file "${p}" does not exist (paths are relative to this .calc file).`,
      'outside-workspace': `"${p}" is outside the workspace; data files must be inside it.`,
      'unreadable': `The file "${p}" could not be read${read.message ? `: ${read.message}` : ''}.`,
      'too-large': `The file "${p}" is too large to load (over ${MAX_CSV_CHARS / 1e6} million characters).`,
    }[read.reason];
    diagnostics.push(diag(read.reason === 'outside-workspace' ? Codes.DataPathOutsideWorkspace : Codes.DataFileMissing, 'error', path, message));
    return { diagnostics };
  }
  if (read.text.length > MAX_CSV_CHARS) {
    diagnostics.push(diag(Codes.DataFileMissing, 'error', path, `The file "${p}" is too large to load.`));
    return { diagnostics };
  }
  // Cells of a file have no place in the document: their problems are reported on the path, with the file's line.
  const lines = read.text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const table: { text: string; span: Span; line: number }[][] = [];
  lines.forEach((line, i) => {
    const content = line.replace(/#.*/, '').trim();
    if (!content) return;
    const sep = content.includes(',') ? /\s*,\s*/ : content.includes('\t') ? /\t/ : /\s+/;
    table.push(content.split(sep).map((text) => ({ text: text.trim().replace(/^"(.*)"$/, '$1'), span: path, line: i + 1 })));
  });
  const [header, ...rows] = table;
  if (!header) {
    diagnostics.push(diag(Codes.DataEmpty, 'error', path, `The file "${p}" is empty.`));
    return { diagnostics };
  }
  const data = tabulate(name, header, rows, diagnostics, p);
  return { ...(data ? { data: { ...data, source: p } } : {}), diagnostics };
}

interface Cell { readonly text: string; readonly span: Span; readonly line?: number }

function tabulate(name: string, header: readonly Cell[], rows: readonly (readonly Cell[])[], diagnostics: Diagnostic[], file?: string): DataSet | undefined {
  const where = (c: Cell): string => (file && c.line ? ` (line ${c.line} of ${file})` : '');
  const columns: string[] = [];
  for (const h of header) {
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(h.text)) {
      diagnostics.push(diag(Codes.DataNonNumeric, 'error', h.span, `The column name "${h.text}"${where(h)} is not a name: the first row names the columns, with letters, digits and _.`));
      return undefined;
    }
    if (columns.includes(h.text)) {
      diagnostics.push(diag(Codes.DuplicateDefinition, 'error', h.span, `The column "${h.text}"${where(h)} appears twice.`));
      return undefined;
    }
    columns.push(h.text);
  }
  const values: number[][] = columns.map(() => []);
  let ok = true;
  for (const row of rows) {
    if (row.length !== columns.length) {
      const span = row.length ? { start: row[0]!.span.start, end: row[row.length - 1]!.span.end } : header[0]!.span;
      diagnostics.push(diag(Codes.DataRagged, 'error', span,
        `This row${where(row[0]!)} has ${row.length} value${row.length === 1 ? '' : 's'}, but ${name} has ${columns.length} columns (${columns.join(', ')}).`));
      ok = false;
      continue;
    }
    row.forEach((cell, j) => {
      const v = parseNumber(cell.text);
      if (v === undefined) {
        diagnostics.push(diag(Codes.DataNonNumeric, 'error', cell.span, `"${cell.text}"${where(cell)} is not a number; every cell below the header must be a number.`));
        ok = false;
      }
      values[j]!.push(v ?? NaN);
    });
  }
  if (!ok) return undefined;
  if (rows.length === 0) {
    diagnostics.push(diag(Codes.DataEmpty, 'warning', header[0]!.span, `${name} has a header but no rows of data.`));
  }
  return { name, columns, values, rows: rows.length };
}

/** A decimal number as written in a table (`1.5`, `-2e-3`), or undefined. */
function parseNumber(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function diag(code: number, severity: Diagnostic['severity'], span: Span, message: string): Diagnostic {
  return { code, severity, offset: span.start, length: span.end - span.start, message };
}

/**
 * A path named relative to the .calc file: not a URL, an absolute path or a drive.
 *
 * @example isRelativePath('data/heights.csv') // true; isRelativePath('/etc/passwd') // false
 */
export function isRelativePath(p: string): boolean {
  return !(/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('/') || p.startsWith('\\') || /^[a-z]:/i.test(p));
}

/**
 * A relative path that climbs out of the .calc file's folder on the way (`..`).
 *
 * @example leavesFolder('../secret.csv') // true; leavesFolder('data/heights.csv') // false
 */
export function leavesFolder(p: string): boolean {
  return p.split(/[\\/]/).includes('..');
}
