/**
 * The presentation tree shared by every printer: the canonical IR (a - b as a + (-1)·b,
 * a/b as a·b^(-1)) turned back into the subtraction, division, negation and square
 * roots a reader expects. Printers differ only in spelling and spacing.
 */
import type { Expr } from '../expr';

export type P =
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'sym'; readonly name: string }
  | { readonly t: 'neg'; readonly a: P }
  | { readonly t: 'add'; readonly terms: readonly { readonly minus: boolean; readonly p: P }[] }
  | { readonly t: 'mul'; readonly fs: readonly P[] }
  | { readonly t: 'div'; readonly n: P; readonly d: P }
  | { readonly t: 'pow'; readonly b: P; readonly e: P }
  | { readonly t: 'call'; readonly fn: string; readonly args: readonly P[] }
  | { readonly t: 'vec'; readonly items: readonly P[] };

/** Binding strength, shared by the printers: a child weaker than its context is parenthesised. */
export const PREC = { add: 1, neg: 2, mul: 3, pow: 4, atom: 5 } as const;

export function precOf(p: P): number {
  switch (p.t) {
    case 'add': return PREC.add;
    case 'neg': return PREC.neg;
    case 'mul': case 'div': return PREC.mul;
    case 'pow': return PREC.pow;
    default: return PREC.atom;
  }
}

const ONE: P = { t: 'num', v: 1 };
const isOne = (p: P): boolean => p.t === 'num' && p.v === 1;
const neg = (a: P): P => (a.t === 'neg' ? a.a : { t: 'neg', a });
const mulP = (fs: P[]): P => (fs.length === 0 ? ONE : fs.length === 1 ? fs[0]! : { t: 'mul', fs });
const half = (p: P): boolean => p.t === 'div' && isOne(p.n) && p.d.t === 'num' && p.d.v === 2;

/** `x^e` where e is presented, with x^(1/2) shown as sqrt(x). */
function powP(b: P, e: P): P {
  if (isOne(e)) return b;
  if (half(e)) return { t: 'call', fn: 'sqrt', args: [b] };
  return { t: 'pow', b, e };
}

/** Present a canonical expression. */
export function present(e: Expr): P {
  switch (e.kind) {
    case 'num': return e.value < 0 || Object.is(e.value, -0) ? neg({ t: 'num', v: -e.value }) : { t: 'num', v: e.value };
    case 'sym': return { t: 'sym', name: e.name };
    case 'call': return { t: 'call', fn: e.fn, args: e.args.map(present) };
    case 'vec': return { t: 'vec', items: e.items.map(present) };
    case 'add': {
      const terms = e.terms.map((term) => {
        const p = present(term);
        return p.t === 'neg' ? { minus: true, p: p.a } : { minus: false, p };
      });
      // a difference of two reads better positive first: 1 - x², not -x² + 1
      if (terms.length === 2 && terms[0]!.minus && !terms[1]!.minus) terms.reverse();
      return { t: 'add', terms };
    }
    case 'pow': case 'mul': {
      let negative = false;
      const nums: P[] = [], dens: P[] = [];
      for (const f of e.kind === 'mul' ? e.factors : [e]) {
        if (f.kind === 'pow') {
          const x = present(f.exp);
          if (x.t === 'neg') { dens.push(powP(present(f.base), x.a)); continue; }
          nums.push(powP(present(f.base), x));
          continue;
        }
        let p = present(f);
        if (p.t === 'neg') { negative = !negative; p = p.a; }
        if (!isOne(p) || e.kind === 'pow') nums.push(p);
      }
      const n = mulP(nums);
      const body = dens.length === 0 ? n : { t: 'div' as const, n, d: mulP(dens) };
      return negative ? neg(body) : body;
    }
  }
}

/** Matrix rows when `p` is a vector of equal-length vectors, else undefined. */
export function matrixRows(p: P): (readonly P[])[] | undefined {
  if (p.t !== 'vec' || p.items.length === 0) return undefined;
  const rows: (readonly P[])[] = [];
  for (const r of p.items) {
    if (r.t !== 'vec') return undefined;
    rows.push(r.items);
  }
  return rows.every((r) => r.length === rows[0]!.length) ? rows : undefined;
}

/** σ(u) written out, for targets without a sigmoid: 1/(1 + exp(-u)). */
export function sigmoidP(u: P): P {
  return { t: 'div', n: ONE, d: { t: 'add', terms: [{ minus: false, p: ONE }, { minus: false, p: { t: 'call', fn: 'exp', args: [neg(u)] } }] } };
}

/** Shortest round-tripping decimal text for a finite number, without exponent notation when it is short. */
export function plainNumber(v: number): string {
  const s = String(v);
  if (!s.includes('e')) return s; // String(v) writes an exponent with a lower-case e
  const fixed = Math.abs(v) >= 1 ? BigInt(Math.round(v)).toString() : v.toFixed(20).replace(/0+$/, '');
  return fixed.length <= 24 && Number(fixed) === v ? fixed : s;
}
