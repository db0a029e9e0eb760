/**
 * Fast numeric evaluation and automatic differentiation.
 *
 * An expression is flattened once into a tape (a Wengert list): one instruction per
 * distinct subexpression, shared subtrees computed once (hash-consing), operands always
 * earlier on the tape. Evaluation is a loop over typed arrays inside a closure; nothing
 * is ever turned into source code, so a .calc file cannot run code through here.
 *
 * Gradients use reverse mode: one forward sweep for the values, one backward sweep
 * that accumulates adjoints. Each instruction's backward step costs a small constant
 * times its forward step, so a gradient costs a few evaluations of f whatever the
 * number of variables (the cheap-gradient principle; measured in bench/calculus.bench.ts).
 *
 * Hessians use forward-over-reverse: each sweep pushes a tangent direction through
 * the forward pass and differentiates the backward pass along it, giving one Hessian
 * column (a Hessian-vector product) for about twice a gradient's cost. We chose it over
 * differentiating the symbolic gradient because it never builds expressions (no
 * expression swell for a 100-variable network loss), is exact to rounding, and reuses
 * this tape; n sweeps give the full n×n matrix.
 *
 * Domain errors give NaN (log of a negative number, sqrt(-1)), never exceptions. The only
 * exception is ExprTooLarge, at compile time, for an expression nested more than 1,500 deep.
 */
import { type Expr, ExprTooLarge } from './expr';

/** Deepest nesting compiled (each level is a few stack frames); deeper throws ExprTooLarge. */
const MAX_COMPILE_DEPTH = 1500;

const enum Op {
  Const, Var, Add, Mul, Div, Neg, Sq, PowC, Pow,
  Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Exp, Log, Log10, Sqrt, Abs, Sign, Sigmoid,
}

const UNARY: Record<string, Op> = {
  sin: Op.Sin, cos: Op.Cos, tan: Op.Tan, asin: Op.Asin, acos: Op.Acos, atan: Op.Atan,
  sinh: Op.Sinh, cosh: Op.Cosh, tanh: Op.Tanh, exp: Op.Exp, log: Op.Log, ln: Op.Log, log10: Op.Log10,
  sqrt: Op.Sqrt, abs: Op.Abs, sign: Op.Sign, sigmoid: Op.Sigmoid,
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** A flattened expression: instruction i reads operands a[i], b[i] (earlier indices) and constant c[i]. */
interface Tape {
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly c: Float64Array;
  /** Depends on a variable: only these carry adjoints. */
  readonly active: Uint8Array;
  /** Tape index of each output. */
  readonly outputs: readonly number[];
  /** Tape index of each variable's load, or -1 when the variable does not occur. */
  readonly varNode: Int32Array;
  readonly length: number;
}

class TapeBuilder {
  readonly op: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly c: number[] = [];
  private readonly cse = new Map<string, number>();
  private readonly seen = new Map<Expr, number>();
  readonly varNode: Int32Array;

  constructor(private readonly vars: readonly string[]) {
    this.varNode = new Int32Array(vars.length).fill(-1);
  }

  private node(op: Op, a = -1, b = -1, c = 0): number {
    const key = `${op},${a},${b},${c}`;
    const hit = this.cse.get(key);
    if (hit !== undefined) return hit;
    const i = this.op.length;
    this.op.push(op); this.a.push(a); this.b.push(b); this.c.push(c);
    this.cse.set(key, i);
    return i;
  }

  constant(v: number): number { return this.node(Op.Const, -1, -1, v); }

  private depth = 0;

  emit(e: Expr): number {
    const hit = this.seen.get(e);
    if (hit !== undefined) return hit;
    // the tape is as large as the DAG, which may be small for a huge tree; only nesting is limited
    if (++this.depth > MAX_COMPILE_DEPTH) throw new ExprTooLarge(MAX_COMPILE_DEPTH);
    const i = this.emitNew(e);
    this.depth--;
    this.seen.set(e, i);
    return i;
  }

  private emitNew(e: Expr): number {
    switch (e.kind) {
      case 'num': return this.constant(e.value);
      case 'sym': {
        const j = this.vars.indexOf(e.name);
        if (j >= 0) {
          const i = this.node(Op.Var, j);
          this.varNode[j] = i;
          return i;
        }
        // an unbound symbol has no value: NaN, like any other domain error
        return this.constant(CONSTANTS[e.name] ?? NaN);
      }
      case 'add': return e.terms.map((t) => this.emit(t)).reduce((x, y) => this.node(Op.Add, x, y));
      case 'mul': {
        // a·b^(-1) becomes one division, and -1·a a negation, as a reader would compute them
        const numer: number[] = [], denom: number[] = [];
        let negate = false;
        for (const f of e.factors) {
          if (f.kind === 'pow' && f.exp.kind === 'num' && f.exp.value === -1) denom.push(this.emit(f.base));
          else if (f.kind === 'num' && f.value === -1) negate = !negate;
          else numer.push(this.emit(f));
        }
        let r = numer.length ? numer.reduce((x, y) => this.node(Op.Mul, x, y)) : this.constant(1);
        if (denom.length) r = this.node(Op.Div, r, denom.reduce((x, y) => this.node(Op.Mul, x, y)));
        return negate ? this.node(Op.Neg, r) : r;
      }
      case 'pow': {
        const base = this.emit(e.base);
        if (e.exp.kind === 'num') {
          const k = e.exp.value;
          // u^0 = 1 everywhere, as Math.pow has it; its derivative k·u^(k-1) would be 0·∞ at u = 0.
          if (k === 0) return this.constant(1);
          if (k === 1) return base;
          if (k === 2) return this.node(Op.Sq, base);
          if (k === -1) return this.node(Op.Div, this.constant(1), base);
          if (k === 0.5) return this.node(Op.Sqrt, base);
          return this.node(Op.PowC, base, -1, k);
        }
        return this.node(Op.Pow, base, this.emit(e.exp));
      }
      case 'call': {
        const op = UNARY[e.fn];
        const arg = e.args[0];
        if (op === undefined || e.args.length !== 1 || !arg) return this.constant(NaN);
        return this.node(op, this.emit(arg));
      }
      case 'vec': return this.constant(NaN); // vectors are split into outputs before emission
    }
  }

  finish(outputs: number[]): Tape {
    const n = this.op.length;
    const active = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      active[i] = this.op[i] === Op.Var ? 1
        : (this.a[i]! >= 0 && active[this.a[i]!]) || (this.b[i]! >= 0 && active[this.b[i]!]) ? 1 : 0;
    }
    return {
      op: Uint8Array.from(this.op), a: Int32Array.from(this.a), b: Int32Array.from(this.b),
      c: Float64Array.from(this.c), active, outputs, varNode: this.varNode, length: n,
    };
  }
}

/** The scalar leaves of a (nested) vec, in row-major order, and its shape. */
function leaves(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'vec') for (const it of e.items) leaves(it, out); else out.push(e);
  return out;
}

function buildTape(exprs: readonly Expr[], vars: readonly string[]): Tape {
  const b = new TapeBuilder(vars);
  const outputs = exprs.map((e) => b.emit(e));
  return b.finish(outputs);
}

/** The forward sweep: values of every instruction into v. */
function forward(t: Tape, x: ArrayLike<number>, v: Float64Array): void {
  const { op, a, b, c, length } = t;
  for (let i = 0; i < length; i++) {
    switch (op[i]) {
      case Op.Const: v[i] = c[i]!; break;
      case Op.Var: v[i] = x[a[i]!]!; break;
      case Op.Add: v[i] = v[a[i]!]! + v[b[i]!]!; break;
      case Op.Mul: v[i] = v[a[i]!]! * v[b[i]!]!; break;
      case Op.Div: v[i] = v[a[i]!]! / v[b[i]!]!; break;
      case Op.Neg: v[i] = -v[a[i]!]!; break;
      case Op.Sq: { const u = v[a[i]!]!; v[i] = u * u; break; }
      case Op.PowC: v[i] = Math.pow(v[a[i]!]!, c[i]!); break;
      case Op.Pow: v[i] = Math.pow(v[a[i]!]!, v[b[i]!]!); break;
      default: v[i] = unaryValue(op[i]!, v[a[i]!]!);
    }
  }
}

/** The value of a built-in of one argument (Op.Sin to Op.Sigmoid) at u. */
function unaryValue(op: Op, u: number): number {
  switch (op) {
    case Op.Sin: return Math.sin(u);
    case Op.Cos: return Math.cos(u);
    case Op.Tan: return Math.tan(u);
    case Op.Asin: return Math.asin(u);
    case Op.Acos: return Math.acos(u);
    case Op.Atan: return Math.atan(u);
    case Op.Sinh: return Math.sinh(u);
    case Op.Cosh: return Math.cosh(u);
    case Op.Tanh: return Math.tanh(u);
    case Op.Exp: return Math.exp(u);
    case Op.Log: return Math.log(u);
    case Op.Log10: return Math.log10(u);
    case Op.Sqrt: return Math.sqrt(u);
    case Op.Abs: return Math.abs(u);
    case Op.Sign: return Math.sign(u);
    case Op.Sigmoid: return sigmoid(u);
    default: return NaN;
  }
}

/**
 * The derivative of a built-in of one argument at u, given its value y there: the first-derivative
 * rules, written once for the reverse sweeps (`local`) and the forward one (`derivativesAtPoint`).
 */
function unaryFirst(op: Op, u: number, y: number): number {
  switch (op) {
    case Op.Sin: return Math.cos(u); // sin' = cos
    case Op.Cos: return -Math.sin(u); // cos' = -sin
    case Op.Tan: return 1 + y * y; // tan' = 1 + tan²
    case Op.Asin: return 1 / Math.sqrt(1 - u * u); // asin' = (1 - u²)^(-1/2)
    case Op.Acos: return -1 / Math.sqrt(1 - u * u); // acos' = -(1 - u²)^(-1/2)
    case Op.Atan: return 1 / (1 + u * u); // atan' = 1/(1 + u²)
    case Op.Sinh: return Math.cosh(u); // sinh' = cosh
    case Op.Cosh: return Math.sinh(u); // cosh' = sinh
    case Op.Tanh: return 1 - y * y; // tanh' = 1 - tanh²
    case Op.Exp: return y; // exp' = exp
    case Op.Log: return 1 / u; // ln' = 1/u
    case Op.Log10: return 1 / (u * Math.LN10); // log10' = 1/(u ln 10)
    case Op.Sqrt: return 0.5 / y; // sqrt' = 1/(2 sqrt u)
    case Op.Abs: return Math.sign(u); // |u|' = sign(u) (away from 0)
    case Op.Sign: return 0; // sign' = 0 (away from 0)
    case Op.Sigmoid: return y * (1 - y); // σ' = σ(1 - σ)
    default: return 0;
  }
}

/**
 * Local partial derivatives of instruction i: d1 = ∂y/∂a, d2 = ∂y/∂b, and the second
 * partials daa, dab, dbb (for forward-over-reverse). Written once here so the
 * gradient and Hessian sweeps cannot disagree.
 */
interface Local { d1: number; d2: number; daa: number; dab: number; dbb: number }

function local(t: Tape, v: Float64Array, i: number, out: Local): void {
  const u = v[t.a[i]!]!, y = v[i]!;
  const w = t.b[i]! >= 0 ? v[t.b[i]!]! : 0;
  out.d2 = 0; out.dab = 0; out.dbb = 0;
  const op = t.op[i]! as Op;
  switch (op) {
    // y = a + b
    case Op.Add: out.d1 = 1; out.d2 = 1; out.daa = 0; break;
    // y = a·b: y_a = b, y_b = a, y_ab = 1
    case Op.Mul: out.d1 = w; out.d2 = u; out.daa = 0; out.dab = 1; break;
    // y = a/b: y_a = 1/b, y_b = -y/b, y_ab = -1/b², y_bb = 2y/b²
    case Op.Div: out.d1 = 1 / w; out.d2 = -y / w; out.daa = 0; out.dab = -1 / (w * w); out.dbb = 2 * y / (w * w); break;
    // y = -a
    case Op.Neg: out.d1 = -1; out.daa = 0; break;
    // y = a²: y' = 2a, y'' = 2
    case Op.Sq: out.d1 = 2 * u; out.daa = 2; break;
    // y = a^k: y' = k·a^(k-1), y'' = k(k-1)·a^(k-2)
    case Op.PowC: { const k = t.c[i]!; out.d1 = k * Math.pow(u, k - 1); out.daa = k * (k - 1) * Math.pow(u, k - 2); break; }
    // y = a^b: y_a = b·a^(b-1), y_b = y·ln a, y_aa = b(b-1)a^(b-2), y_ab = a^(b-1)(1 + b ln a), y_bb = y ln² a
    case Op.Pow: {
      const lnu = Math.log(u);
      out.d1 = w * Math.pow(u, w - 1); out.d2 = y * lnu;
      out.daa = w * (w - 1) * Math.pow(u, w - 2); out.dab = Math.pow(u, w - 1) * (1 + w * lnu); out.dbb = y * lnu * lnu;
      break;
    }
    // the second derivatives of the built-ins; their first derivatives are unaryFirst's
    case Op.Sin: case Op.Cos: out.d1 = unaryFirst(op, u, y); out.daa = -y; break; // sin'' = -sin, cos'' = -cos
    case Op.Tan: out.d1 = unaryFirst(op, u, y); out.daa = 2 * y * (1 + y * y); break; // tan'' = 2 tan (1 + tan²)
    case Op.Asin: case Op.Acos: { // asin'' = u (1 - u²)^(-3/2), acos'' = -u (1 - u²)^(-3/2)
      const s = 1 - u * u;
      out.d1 = unaryFirst(op, u, y); out.daa = (op === Op.Asin ? u : -u) / (s * Math.sqrt(s));
      break;
    }
    case Op.Atan: { const s = 1 + u * u; out.d1 = unaryFirst(op, u, y); out.daa = -2 * u / (s * s); break; } // atan'' = -2u/(1 + u²)²
    case Op.Sinh: case Op.Cosh: case Op.Exp: out.d1 = unaryFirst(op, u, y); out.daa = y; break; // sinh'' = sinh, cosh'' = cosh, exp'' = exp
    case Op.Tanh: out.d1 = unaryFirst(op, u, y); out.daa = -2 * y * (1 - y * y); break; // tanh'' = -2 tanh (1 - tanh²)
    case Op.Log: out.d1 = unaryFirst(op, u, y); out.daa = -1 / (u * u); break; // ln'' = -1/u²
    case Op.Log10: out.d1 = unaryFirst(op, u, y); out.daa = -1 / (u * u * Math.LN10); break; // log10'' = -1/(u² ln 10)
    case Op.Sqrt: out.d1 = unaryFirst(op, u, y); out.daa = -0.25 / (u * y); break; // sqrt'' = -1/(4 u sqrt u)
    case Op.Sigmoid: out.d1 = unaryFirst(op, u, y); out.daa = y * (1 - y) * (1 - 2 * y); break; // σ'' = σ(1 - σ)(1 - 2σ)
    // |u|'' = 0 and sign'' = 0 (away from 0)
    default: out.d1 = unaryFirst(op, u, y); out.daa = 0;
  }
}

/** The backward sweep for output `o`: adjoints of every active instruction into g. */
function reverse(t: Tape, v: Float64Array, g: Float64Array, o: number, scratch: Local): void {
  g.fill(0);
  g[o] = 1;
  const { op, a, b, active } = t;
  for (let i = o; i >= 0; i--) {
    const gi = g[i]!;
    if (gi === 0 || !active[i]) continue;
    const k = op[i]!;
    // the hottest instructions inline their adjoint rules; the rest share `local`
    if (k === Op.Add) { g[a[i]!] = g[a[i]!]! + gi; g[b[i]!] = g[b[i]!]! + gi; }
    else if (k === Op.Mul) { g[a[i]!] = g[a[i]!]! + gi * v[b[i]!]!; g[b[i]!] = g[b[i]!]! + gi * v[a[i]!]!; }
    else if (k === Op.Sq) { g[a[i]!] = g[a[i]!]! + 2 * gi * v[a[i]!]!; }
    else if (k === Op.Neg) { g[a[i]!] = g[a[i]!]! - gi; }
    else if (k >= Op.Sin) { g[a[i]!] = g[a[i]!]! + gi * unaryFirst(k, v[a[i]!]!, v[i]!); }
    else if (k !== Op.Var && k !== Op.Const) {
      local(t, v, i, scratch);
      g[a[i]!] = g[a[i]!]! + gi * scratch.d1;
      if (b[i]! >= 0) g[b[i]!] = g[b[i]!]! + gi * scratch.d2;
    }
  }
}

function collect(t: Tape, g: Float64Array, out: Float64Array): void {
  for (let j = 0; j < t.varNode.length; j++) {
    const node = t.varNode[j]!;
    out[j] = node >= 0 ? g[node]! : 0;
  }
}

/** Nested numbers: a scalar, a vector or a matrix. */
export type Value = number | number[] | number[][];

/**
 * A fast evaluator for a scalar expression; vectors give NaN (use `compileVector`).
 *
 * @example compile(parseExpr('x^2 + y'), ['x', 'y'])([3, 1]) // 10
 */
export function compile(e: Expr, vars: readonly string[]): (x: ArrayLike<number>) => number {
  if (e.kind === 'vec') return () => NaN;
  const t = buildTape([e], vars);
  const v = new Float64Array(t.length);
  const o = t.outputs[0]!;
  return (x) => { forward(t, x, v); return v[o]!; };
}

/**
 * A fast evaluator for a vector- or matrix-valued expression (a scalar gives a number).
 *
 * @example compileVector(parseExpr('[x*y, x + y]'), ['x', 'y'])([2, 3]) // [6, 5]
 */
export function compileVector(e: Expr, vars: readonly string[]): (x: ArrayLike<number>) => Value {
  const t = buildTape(leaves(e), vars);
  const v = new Float64Array(t.length);
  return (x) => {
    forward(t, x, v);
    let k = 0;
    const rebuild = (node: Expr): number | number[] | number[][] =>
      node.kind === 'vec' ? node.items.map(rebuild) as number[] | number[][] : v[t.outputs[k++]!]!;
    return rebuild(e);
  };
}

/**
 * f and its gradient by reverse-mode automatic differentiation: returns f(x) and fills `gradOut`.
 *
 * @example
 * const fg = compileGradient(parseExpr('x^2*y'), ['x', 'y']);
 * const g = new Float64Array(2); fg([3, 2], g) // 18, and g is [12, 9]
 */
export function compileGradient(e: Expr, vars: readonly string[]): (x: ArrayLike<number>, gradOut: Float64Array) => number {
  if (e.kind === 'vec') return (_x, gradOut) => { gradOut.fill(NaN); return NaN; };
  const t = buildTape([e], vars);
  const v = new Float64Array(t.length), g = new Float64Array(t.length);
  const o = t.outputs[0]!;
  const scratch: Local = { d1: 0, d2: 0, daa: 0, dab: 0, dbb: 0 };
  return (x, gradOut) => {
    forward(t, x, v);
    reverse(t, v, g, o, scratch);
    collect(t, g, gradOut);
    return v[o]!;
  };
}

/**
 * The Jacobian of a vector-valued expression at a point, one reverse sweep per component.
 *
 * @example compileJacobian(parseExpr('[x*y, x + y]'), ['x', 'y'])([2, 3]) // [[3, 2], [1, 1]]
 */
export function compileJacobian(e: Expr, vars: readonly string[]): (x: ArrayLike<number>) => number[][] {
  const t = buildTape(leaves(e), vars);
  const v = new Float64Array(t.length), g = new Float64Array(t.length);
  const row = new Float64Array(vars.length);
  const scratch: Local = { d1: 0, d2: 0, daa: 0, dab: 0, dbb: 0 };
  return (x) => {
    forward(t, x, v);
    return t.outputs.map((o) => { reverse(t, v, g, o, scratch); collect(t, g, row); return Array.from(row); });
  };
}

/**
 * First derivatives at one point: the gradient of a scalar expression, or the Jacobian of a
 * vector of scalars (one row per item). Undefined when any value on the way, or a derivative, is
 * not a finite number (a domain problem, or a derivative that does not exist there), so that the
 * caller can work the point out symbolically and say what is wrong; also for a matrix.
 *
 * Forward mode on the tree, one sweep per variable: for the few variables of a worksheet's
 * function, cheaper than building a tape for one point. Many variables take the tape.
 *
 * @example derivativesAtPoint(parseExpr('x^2*y'), ['x', 'y'], [3, 2]) // [12, 9]
 */
export function derivativesAtPoint(e: Expr, vars: readonly string[], x: ArrayLike<number>): number[] | number[][] | undefined {
  const items = e.kind === 'vec' ? e.items : [e];
  if (items.some((item) => item.kind === 'vec')) return undefined;
  const rows: number[][] = [];
  if (vars.length > FORWARD_MODE_VARIABLES) {
    const t = buildTape(items, vars);
    const v = new Float64Array(t.length), g = new Float64Array(t.length), row = new Float64Array(vars.length);
    forward(t, x, v);
    for (let i = 0; i < t.length; i++) if (!Number.isFinite(v[i]!)) return undefined;
    const scratch: Local = { d1: 0, d2: 0, daa: 0, dab: 0, dbb: 0 };
    for (const o of t.outputs) { reverse(t, v, g, o, scratch); collect(t, g, row); rows.push(Array.from(row)); }
  } else {
    const sweep = new Sweep(vars, x);
    for (const item of items) {
      const row: number[] = [];
      for (let j = 0; j < vars.length; j++) { sweep.along = j; sweep.value(item); row.push(sweep.tangent); }
      rows.push(row);
    }
    if (!sweep.finite) return undefined;
  }
  for (const row of rows) for (const d of row) if (!Number.isFinite(d)) return undefined;
  return e.kind === 'vec' ? rows : rows[0];
}

/**
 * The Hessian of a scalar expression at one point (forward-over-reverse, `compileHessian`);
 * undefined for a vector, or where the value or any entry is not a finite number, so that the
 * caller can work it out symbolically and say what is wrong.
 *
 * @example hessianAtPoint(parseExpr('x^2*y'), ['x', 'y'], [3, 2]) // [[4, 6], [6, 0]]
 */
export function hessianAtPoint(e: Expr, vars: readonly string[], x: ArrayLike<number>): number[][] | undefined {
  if (e.kind === 'vec' || !Number.isFinite(compile(e, vars)(x))) return undefined;
  const H = compileHessian(e, vars)(x);
  return H.every((row) => row.every(Number.isFinite)) ? H : undefined;
}

/** Up to this many variables, `derivativesAtPoint` sweeps forward, once per variable. */
const FORWARD_MODE_VARIABLES = 4;

/** A forward-mode sweep: each value with its derivative along one variable (dual numbers). */
class Sweep {
  /** The variable differentiated by, as an index into vars. */
  along = 0;
  /** The derivative of the last value along that variable. */
  tangent = 0;
  /** False once a value on the way was not a finite number. */
  finite = true;

  constructor(private readonly vars: readonly string[], private readonly x: ArrayLike<number>) {}

  value(e: Expr): number {
    const y = this.valueOf(e);
    if (!Number.isFinite(y)) this.finite = false;
    return y;
  }

  private valueOf(e: Expr): number {
    switch (e.kind) {
      case 'num': this.tangent = 0; return e.value;
      case 'sym': {
        const j = this.vars.indexOf(e.name);
        this.tangent = j === this.along ? 1 : 0;
        return j >= 0 ? this.x[j]! : CONSTANTS[e.name] ?? NaN;
      }
      case 'add': {
        let s = 0, ds = 0;
        for (const t of e.terms) { s += this.value(t); ds += this.tangent; }
        this.tangent = ds;
        return s;
      }
      case 'mul': {
        let p = 1, dp = 0;
        for (const f of e.factors) { const v = this.value(f); dp = dp * v + p * this.tangent; p *= v; }
        this.tangent = dp;
        return p;
      }
      case 'pow': {
        const u = this.value(e.base), du = this.tangent;
        const w = this.value(e.exp), dw = this.tangent;
        const y = Math.pow(u, w);
        // (u^w)' = w·u^(w-1)·u' + u^w·ln u·w'. A term whose tangent is 0 is 0 only where its factor is
        // finite: u' can be 0 at a point where u depends on x ((x³)^(1/3) at 0, where the slope is 0·∞),
        // and such a point must fall back. (u^0 = 1 has no slope at u = 0.)
        const dBase = e.exp.kind === 'num' && w === 0 ? 0 : w * Math.pow(u, w - 1);
        const dExp = e.exp.kind === 'num' ? 0 : y * Math.log(u);
        this.tangent = (du === 0 && Number.isFinite(dBase) ? 0 : dBase * du) + (dw === 0 && Number.isFinite(dExp) ? 0 : dExp * dw);
        return y;
      }
      case 'call': {
        const op = UNARY[e.fn];
        const arg = e.args[0];
        if (op === undefined || e.args.length !== 1 || !arg) { this.tangent = 0; return NaN; }
        const u = this.value(arg), du = this.tangent;
        const y = unaryValue(op, u);
        const d1 = unaryFirst(op, u, y);
        this.tangent = du === 0 && Number.isFinite(d1) ? 0 : d1 * du; // (sqrt(x²) at 0: 0·∞, no slope)
        return y;
      }
      case 'vec': this.tangent = 0; return NaN;
    }
  }
}

/**
 * The Hessian of a scalar expression at a point by forward-over-reverse automatic
 * differentiation (n Hessian-vector products), symmetrised.
 *
 * @example compileHessian(parseExpr('x^2*y'), ['x', 'y'])([3, 2]) // [[4, 6], [6, 0]]
 */
export function compileHessian(e: Expr, vars: readonly string[]): (x: ArrayLike<number>) => number[][] {
  const n = vars.length;
  if (e.kind === 'vec') return () => Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  const t = buildTape([e], vars);
  const len = t.length;
  const v = new Float64Array(len), dv = new Float64Array(len), g = new Float64Array(len), dg = new Float64Array(len);
  const o = t.outputs[0]!;
  const L: Local = { d1: 0, d2: 0, daa: 0, dab: 0, dbb: 0 };
  const { op, a, b, active } = t;
  return (x) => {
    forward(t, x, v);
    const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++) {
      // tangent sweep along the j-th unit vector: dv = ∂v/∂x_j
      for (let i = 0; i < len; i++) {
        if (!active[i]) { dv[i] = 0; continue; }
        if (op[i] === Op.Var) { dv[i] = a[i] === j ? 1 : 0; continue; }
        local(t, v, i, L);
        dv[i] = L.d1 * dv[a[i]!]! + (b[i]! >= 0 ? L.d2 * dv[b[i]!]! : 0);
      }
      // reverse sweep and its tangent: dg = ∂(adjoint)/∂x_j, which at the inputs is column j of H
      g.fill(0); dg.fill(0);
      g[o] = 1;
      for (let i = o; i >= 0; i--) {
        const gi = g[i]!, dgi = dg[i]!;
        if ((gi === 0 && dgi === 0) || !active[i] || op[i] === Op.Var) continue;
        local(t, v, i, L);
        const ta = dv[a[i]!]!, tb = b[i]! >= 0 ? dv[b[i]!]! : 0;
        g[a[i]!] = g[a[i]!]! + gi * L.d1;
        dg[a[i]!] = dg[a[i]!]! + dgi * L.d1 + gi * (L.daa * ta + L.dab * tb);
        if (b[i]! >= 0) {
          g[b[i]!] = g[b[i]!]! + gi * L.d2;
          dg[b[i]!] = dg[b[i]!]! + dgi * L.d2 + gi * (L.dab * ta + L.dbb * tb);
        }
      }
      for (let k = 0; k < n; k++) {
        const node = t.varNode[k]!;
        H[k]![j] = node >= 0 ? dg[node]! : 0;
      }
    }
    // mixed partials agree (Schwarz); averaging removes rounding asymmetry
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const m = (H[i]![j]! + H[j]![i]!) / 2;
      H[i]![j] = m; H[j]![i] = m;
    }
    return H;
  };
}
