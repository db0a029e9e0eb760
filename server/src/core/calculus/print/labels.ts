/**
 * Labels for derivatives: ∂f/∂x, ∂²f/∂x², ∂²f/∂y∂x, d²h/dx², in Unicode and LaTeX.
 * Variables are listed in the order of differentiation; the label writes the last one
 * first, as textbooks do (∂²f/∂y∂x is ∂/∂y of ∂f/∂x).
 */
import { superscript } from './unicode';
import { latexName } from './latex';

export interface LabelOptions {
  /** Use d instead of ∂: for functions of one variable. */
  ordinary?: boolean;
}

/** Runs of one variable, last differentiation first: [x, x, y] is [[y, 1], [x, 2]]. */
function runs(vars: readonly string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const v of [...vars].reverse()) {
    const last = out[out.length - 1];
    if (last && last[0] === v) last[1]++; else out.push([v, 1]);
  }
  return out;
}

/**
 * The Unicode label of a derivative.
 *
 * @example partialName('f', ['x', 'y']) // "∂²f/∂y∂x"
 * @example partialName('h', ['x', 'x'], { ordinary: true }) // "d²h/dx²"
 */
export function partialName(f: string, vars: readonly string[], opts?: LabelOptions): string {
  const d = opts?.ordinary ? 'd' : '∂';
  const n = vars.length;
  const den = runs(vars).map(([v, k]) => `${d}${v}${k > 1 ? superscript(k) : ''}`).join('');
  return `${d}${n > 1 ? superscript(n) : ''}${f}/${den}`;
}

/**
 * The LaTeX label of a derivative.
 *
 * @example partialNameLatex('f', ['x', 'y']) // "\\frac{\\partial^{2} f}{\\partial y\\,\\partial x}"
 */
export function partialNameLatex(f: string, vars: readonly string[], opts?: LabelOptions): string {
  const d = opts?.ordinary ? '\\mathrm{d}' : '\\partial';
  const n = vars.length;
  const den = runs(vars).map(([v, k]) => `${d} ${latexName(v)}${k > 1 ? `^{${k}}` : ''}`).join('\\,');
  return `\\frac{${d}${n > 1 ? `^{${n}}` : ''} ${latexName(f)}}{${den}}`;
}
