/**
 * Printers to linear text: .calc syntax, Python/NumPy and JavaScript. They share one
 * formatter and differ in a small table of spellings (operators, function names,
 * constants, literals).
 */
import type { Expr } from '../expr';
import { type P, PREC, precOf, present, sigmoidP, plainNumber } from './present';

interface Dialect {
  readonly pow: string;
  /** Function names; a missing entry prints the name as is. */
  readonly fns: Readonly<Record<string, string>>;
  readonly consts: Readonly<Record<string, string>>;
  readonly number: (v: number) => string;
  /** Write σ(u) as 1/(1 + exp(-u)). */
  readonly expandSigmoid: boolean;
  readonly vec: (items: string[]) => string;
  /** JavaScript forbids a unary minus directly before `**`. */
  readonly parenNegPow: boolean;
  /** A name as the language allows it (a keyword or a subscript digit is not). */
  readonly name: (n: string) => string;
}

/**
 * A .calc name that Python or JavaScript can read: subscript digits (x₁, which those languages do not
 * allow in names) become _1, and a word the language reserves (lambda, new) or uses for its maths
 * module (np, Math) gets a trailing underscore. Greek letters are names in both.
 */
function hostName(reserved: ReadonlySet<string>): (n: string) => string {
  return (n) => {
    const plain = n.replace(/[₀-₉]/g, (d) => `_${d.charCodeAt(0) - 0x2080}`);
    return reserved.has(plain) ? `${plain}_` : plain;
  };
}

const PYTHON_RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'np',
]);
const JAVASCRIPT_RESERVED = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new',
  'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'yield', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity', 'Math',
]);

function format(p: P, d: Dialect): string {
  switch (p.t) {
    case 'num': return d.number(p.v);
    case 'sym': return d.consts[p.name] ?? d.name(p.name);
    // JavaScript rejects -a ** b, and -x ** 2/y starts the same way: parenthesise any compound operand
    case 'neg': return `-${d.parenNegPow && precOf(p.a) < PREC.atom ? `(${format(p.a, d)})` : at(p.a, PREC.mul, d)}`;
    case 'add': {
      let out = '';
      p.terms.forEach(({ minus, p: q }, i) => {
        out += i === 0 ? (minus ? format({ t: 'neg', a: q }, d) : at(q, PREC.neg, d)) : `${minus ? ' - ' : ' + '}${at(q, PREC.mul, d)}`;
      });
      return out;
    }
    case 'mul': return p.fs.map((f) => at(f, PREC.mul, d)).join('*');
    case 'div': return `${at(p.n, PREC.mul, d)}/${at(p.d, PREC.pow, d)}`;
    // ^ is right-associative: a^b^c is a^(b^c), so a pow exponent needs no parentheses but a pow base does
    case 'pow': return `${at(p.b, PREC.atom, d)}${d.pow}${at(p.e, PREC.pow, d)}`;
    case 'call': {
      if (p.fn === 'sigmoid' && d.expandSigmoid && p.args.length === 1) return at(sigmoidP(p.args[0]!), PREC.atom, d);
      return `${d.fns[p.fn] ?? p.fn}(${p.args.map((a) => format(a, d)).join(', ')})`;
    }
    case 'vec': return d.vec(p.items.map((q) => format(q, d)));
  }
}

/** `q` printed in a slot that binds at least as tightly as `min`: in parentheses when it binds more weakly. */
function at(q: P, min: number, d: Dialect): string {
  const s = format(q, d);
  return precOf(q) < min || (d.parenNegPow && q.t === 'neg' && min > PREC.add) ? `(${s})` : s;
}

function nonFinite(v: number, nan: string, inf: string): string | undefined {
  if (Number.isNaN(v)) return nan;
  if (!Number.isFinite(v)) return inf;
  return undefined;
}

const CALC: Dialect = {
  pow: '^', fns: {}, consts: {}, expandSigmoid: false, parenNegPow: false, name: (n) => n,
  number: (v) => nonFinite(v, '(0/0)', '(1/0)') ?? plainNumber(v),
  vec: (items) => `[${items.join(', ')}]`,
};

const NUMPY_FNS: Record<string, string> = {
  sin: 'np.sin', cos: 'np.cos', tan: 'np.tan', asin: 'np.arcsin', acos: 'np.arccos', atan: 'np.arctan',
  sinh: 'np.sinh', cosh: 'np.cosh', tanh: 'np.tanh', exp: 'np.exp', log: 'np.log', ln: 'np.log',
  log10: 'np.log10', sqrt: 'np.sqrt', abs: 'np.abs', sign: 'np.sign',
};
const PYTHON: Dialect = {
  pow: '**', fns: NUMPY_FNS, consts: { pi: 'np.pi', e: 'np.e' }, expandSigmoid: true, parenNegPow: false, name: hostName(PYTHON_RESERVED),
  number: (v) => nonFinite(v, 'np.nan', 'np.inf') ?? String(v),
  vec: (items) => `np.array([${items.join(', ')}])`,
};

const MATH_FNS: Record<string, string> = {
  sin: 'Math.sin', cos: 'Math.cos', tan: 'Math.tan', asin: 'Math.asin', acos: 'Math.acos', atan: 'Math.atan',
  sinh: 'Math.sinh', cosh: 'Math.cosh', tanh: 'Math.tanh', exp: 'Math.exp', log: 'Math.log', ln: 'Math.log',
  log10: 'Math.log10', sqrt: 'Math.sqrt', abs: 'Math.abs', sign: 'Math.sign',
};
const JAVASCRIPT: Dialect = {
  pow: ' ** ', fns: MATH_FNS, consts: { pi: 'Math.PI', e: 'Math.E' }, expandSigmoid: true, parenNegPow: true, name: hostName(JAVASCRIPT_RESERVED),
  number: (v) => nonFinite(v, 'NaN', 'Infinity') ?? String(v),
  vec: (items) => `[${items.join(', ')}]`,
};

/**
 * .calc syntax, which parses back to an equal expression.
 *
 * @example toCalc(parseExpr('x*y^-1 - 2*x^2')) // "x/y - 2*x^2"
 */
export function toCalc(e: Expr): string { return format(present(e), CALC); }

/**
 * Python with NumPy (`import numpy as np`); vectors and matrices are `np.array`.
 *
 * @example toPython(parseExpr('sin(x)^2')) // "np.sin(x)**2"
 */
export function toPython(e: Expr): string { return format(present(e), PYTHON); }

/**
 * A JavaScript expression using `Math`; vectors and matrices are arrays.
 *
 * @example toJavaScript(parseExpr('-x^2')) // "-(x ** 2)"
 */
export function toJavaScript(e: Expr): string { return format(present(e), JAVASCRIPT); }
