/**
 * Unicode text for hovers and terminals: `2xy + 2.5y·cos(xy)`, superscript powers
 * (x²), √, |x|, σ, π, and matrices drawn over several lines with ⎡ ⎤ ⎢ ⎥ ⎣ ⎦.
 */
import type { Expr } from '../expr';
import { type P, PREC, precOf, present, matrixRows, plainNumber } from './present';

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻',
};
const GREEK: Record<string, string> = {
  pi: 'π', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', eta: 'η', theta: 'θ', lambda: 'λ',
  mu: 'μ', nu: 'ν', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
};
const FNS: Record<string, string> = { sigmoid: 'σ', log: 'ln' };

/** "x²" style superscript digits for an integer, or undefined when it has none. */
export function superscript(n: number): string | undefined {
  if (!Number.isInteger(n) || Math.abs(n) > 1e6) return undefined;
  return [...String(n)].map((c) => SUPERSCRIPT[c]!).join('');
}

const symbolText = (name: string): string => GREEK[name] ?? name;
/** A name that juxtaposes unambiguously: one letter (x, π), optionally with a superscript. */
const isLetter = (s: string): boolean => /^\p{L}[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]*$/u.test(s);

function format(p: P): string {
  const at = (q: P, min: number): string => (precOf(q) < min ? `(${format(q)})` : format(q));
  switch (p.t) {
    case 'num': return Number.isNaN(p.v) ? 'NaN' : Number.isFinite(p.v) ? plainNumber(p.v) : '∞';
    case 'sym': return symbolText(p.name);
    case 'neg': return `-${at(p.a, PREC.mul)}`;
    case 'add': return p.terms.map(({ minus, p: q }, i) =>
      i === 0 ? (minus ? `-${at(q, PREC.mul)}` : at(q, PREC.neg)) : `${minus ? ' - ' : ' + '}${at(q, PREC.mul)}`).join('');
    case 'mul': {
      // juxtapose a number or letter with a following letter (2xy, x²y); a centred dot elsewhere
      let out = '';
      let prev: P | undefined;
      for (const f of p.fs) {
        const s = at(f, PREC.mul);
        if (prev !== undefined) {
          const juxtapose = ((f.t === 'sym' || (f.t === 'pow' && f.b.t === 'sym')) && isLetter(s)
            && (prev.t === 'num' || isLetter(format(prev)))) || (prev.t === 'num' && s.startsWith('√'));
          out += juxtapose ? '' : '·';
        }
        out += s;
        prev = f;
      }
      return out;
    }
    case 'div': return `${at(p.n, PREC.mul)}/${at(p.d, PREC.pow)}`;
    case 'pow': {
      const sup = p.e.t === 'num' ? superscript(p.e.v) : p.e.t === 'neg' && p.e.a.t === 'num' ? superscript(-p.e.a.v) : undefined;
      return `${at(p.b, PREC.atom)}${sup ?? `^${at(p.e, PREC.atom)}`}`;
    }
    case 'call': {
      const args = p.args.map(format).join(', ');
      if (p.fn === 'sqrt' && p.args.length === 1) return `√${at(p.args[0]!, PREC.atom)}`;
      if (p.fn === 'abs') return `|${args}|`;
      return `${FNS[p.fn] ?? p.fn}(${args})`;
    }
    case 'vec': {
      const rows = matrixRows(p);
      if (!rows) return `[${p.items.map(format).join(', ')}]`;
      return drawMatrix(rows.map((r) => r.map(format)));
    }
  }
}

/** A matrix over several lines, columns right-aligned, with bracket pieces at the sides. */
export function drawMatrix(cells: string[][]): string {
  const cols = cells[0]?.length ?? 0;
  const width = Array.from({ length: cols }, (_, j) => Math.max(...cells.map((r) => [...r[j]!].length)));
  const line = (r: string[]): string => r.map((c, j) => ' '.repeat(width[j]! - [...c].length) + c).join('  ');
  if (cells.length === 1) return `[${line(cells[0]!)}]`;
  return cells.map((r, i) => {
    const [l, rt] = i === 0 ? ['⎡', '⎤'] : i === cells.length - 1 ? ['⎣', '⎦'] : ['⎢', '⎥'];
    return `${l}${line(r)}${rt}`;
  }).join('\n');
}

/**
 * Unicode text: superscript powers, implicit products, √, |x|, π; matrices over several lines.
 *
 * @example toUnicode(parseExpr('2*x*y + 2.5*y*cos(x*y)')) // "2xy + 2.5y·cos(xy)"
 */
export function toUnicode(e: Expr): string { return format(present(e)); }
