/**
 * The file host for Node (the CLI and the desktop language server): reads data files
 * relative to the document, and refuses any path that leaves the workspace, symbolic
 * links included.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { MAX_CSV_CHARS, type FileHost, type FileRead } from '../core/semantics/data';

/**
 * `createNodeFileHost('/w/sheets/a.calc', '/w').readFile('data.csv')` reads /w/sheets/data.csv;
 * `readFile('../../etc/passwd')` is refused.
 */
export function createNodeFileHost(documentPath: string, workspaceRoot: string): FileHost {
  const base = dirname(documentPath);
  return {
    readFile(relativePath: string): FileRead {
      const target = resolve(base, relativePath);
      if (!inside(workspaceRoot, target)) return { ok: false, reason: 'outside-workspace' };
      let real: string;
      try {
        real = realpathSync(target);
      } catch {
        return { ok: false, reason: 'missing' };
      }
      let root = workspaceRoot;
      try { root = realpathSync(workspaceRoot); } catch { /* keep as given */ }
      if (!inside(root, real)) return { ok: false, reason: 'outside-workspace' };
      try {
        const st = statSync(real);
        if (!st.isFile()) return { ok: false, reason: 'unreadable', message: 'it is not a file' };
        if (st.size > MAX_CSV_CHARS * 4) return { ok: false, reason: 'too-large' };
        return { ok: true, text: readFileSync(real, 'utf8') };
      } catch (e) {
        return { ok: false, reason: 'unreadable', message: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}
