/**
 * LaTeX for typeset hovers. Every string must render with KaTeX in `throwOnError` mode
 * (the tests check it over a random corpus), so only commands KaTeX supports are used.
 */
import type { Expr } from '../expr';
import { type P, PREC, precOf, present, matrixRows } from './present';

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]);
const FNS: Record<string, string> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', asin: '\\arcsin', acos: '\\arccos', atan: '\\arctan',
  sinh: '\\sinh', cosh: '\\cosh', tanh: '\\tanh', exp: '\\exp', log: '\\ln', ln: '\\ln', log10: '\\log_{10}',
  sign: '\\operatorname{sign}', sigmoid: '\\sigma',
};

/**
 * A variable name in LaTeX: Greek names as letters, a trailing number as a subscript (x1 is x_{1}),
 * longer names upright.
 *
 * @example latexName('theta2') // "\\theta_{2}"
 */
export function latexName(name: string): string {
  const m = /^([A-Za-z]+?)_?(\d+)$/.exec(name);
  if (m) return `${latexName(m[1]!)}_{${m[2]}}`;
  if (GREEK.has(name)) return `\\${name}`;
  if (/^[A-Za-z]$/.test(name)) return name;
  // anything else: escape TeX's special characters and set the name upright
  const safe = [...name].map((c) => (/[A-Za-z0-9]/.test(c) ? c : c === '_' ? '\\_' : /\p{L}/u.test(c) ? c : '')).join('');
  return `\\mathrm{${safe || '?'}}`;
}

function number(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return '\\infty';
  const s = String(v);
  const m = /^([\d.]+)e([+-]?)(\d+)$/.exec(s);
  return m ? `${m[1]} \\times 10^{${m[2] === '-' ? '-' : ''}${m[3]}}` : s;
}

const isLetterLike = (p: P): boolean => p.t === 'sym' || (p.t === 'pow' && p.b.t === 'sym');

function format(p: P): string {
  const at = (q: P, min: number): string => (precOf(q) < min ? `\\left(${format(q)}\\right)` : format(q));
  switch (p.t) {
    case 'num': return number(p.v);
    case 'sym': return latexName(p.name);
    case 'neg': return `-${at(p.a, PREC.mul)}`;
    case 'add': return p.terms.map(({ minus, p: q }, i) =>
      i === 0 ? (minus ? `-${at(q, PREC.mul)}` : at(q, PREC.neg)) : `${minus ? ' - ' : ' + '}${at(q, PREC.mul)}`).join('');
    case 'mul': return p.fs.map((f, i) => {
      const s = at(f, PREC.mul);
      if (i === 0) return s;
      // 2x y and x y are juxtaposed; a dot separates numbers, calls and parenthesised groups
      const prev = p.fs[i - 1]!;
      return (isLetterLike(f) && (prev.t === 'num' || isLetterLike(prev)) ? ' ' : ' \\cdot ') + s;
    }).join('');
    case 'div': return `\\frac{${format(p.n)}}{${format(p.d)}}`;
    case 'pow': {
      const base = p.b.t === 'call' && p.b.fn !== 'sqrt' && p.b.fn !== 'abs' ? `\\left(${format(p.b)}\\right)` : at(p.b, PREC.atom);
      return `{${base}}^{${format(p.e)}}`;
    }
    case 'call': {
      const args = p.args.map(format).join(', ');
      if (p.fn === 'sqrt') return `\\sqrt{${args}}`;
      // exp(u) as a textbook writes it, e^{u}
      if (p.fn === 'exp' && p.args.length === 1) return `e^{${args}}`;
      if (p.fn === 'abs') return `\\left|${args}\\right|`;
      const name = FNS[p.fn] ?? `\\operatorname{${latexName(p.fn).replace(/^\\mathrm\{(.*)\}$/, '$1')}}`;
      return `${name}\\left(${args}\\right)`;
    }
    case 'vec': {
      const rows = matrixRows(p);
      const body = rows ? rows.map((r) => r.map(format).join(' & ')).join(' \\\\ ') : p.items.map(format).join(' \\\\ ');
      return `\\begin{bmatrix} ${body} \\end{bmatrix}`;
    }
  }
}

/**
 * LaTeX that KaTeX renders with `throwOnError: true`; vectors are columns, matrices `bmatrix`.
 *
 * @example toLatex(parseExpr('x^2/(2*y)')) // "\\frac{{x}^{2}}{2 y}"
 */
export function toLatex(e: Expr): string { return format(present(e)); }
