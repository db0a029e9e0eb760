/**
 * Document links: the file named by `data heights = csv("heights.csv")`, which the editor opens
 * on Ctrl+click. Only a path the analysis would read (relative, not climbing out of the .calc
 * file's folder) is a link: any other is an error on the line already.
 */
import type { DocumentLink } from 'vscode-languageserver-types';
import { isRelativePath, leavesFolder } from '../core/semantics/data';
import { type CalcDocument, rangeOf } from './document';

/**
 * `getDocumentLinks(doc)` on `data d = csv("data/d.csv")` in file:///w/sheet.calc links the
 * text data/d.csv to file:///w/data/d.csv.
 */
export function getDocumentLinks(doc: CalcDocument): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const s of doc.analysis.program.statements) {
    if (s.kind !== 'data' || !s.csv) continue;
    const path = s.csv.value;
    if (path === '' || !isRelativePath(path) || leavesFolder(path)) continue;
    let target: string;
    try {
      // relative to the document, whatever its scheme (file, vscode-vfs, …); an untitled one has no folder
      // each segment percent-encoded: data#1.csv is a file, not data with a fragment
      target = new URL(path.split(/[\\/]/).map(encodeURIComponent).join('/'), doc.uri).toString();
    } catch {
      continue;
    }
    const start = s.csv.start + 1; // inside the quotes
    links.push({ range: rangeOf(doc, { start, end: start + path.length }), target, tooltip: `Open ${path}` });
  }
  return links;
}
