/**
 * The syntax tree of a .calc document. Every node carries `start` and `end`
 * (UTF-16 offsets, end exclusive). The tree is never mutated after parsing.
 */

export interface Span { readonly start: number; readonly end: number }

// ---------------------------------------------------------------- expressions

export interface NumberLiteral extends Span { readonly kind: 'number'; readonly value: number }
export interface Identifier extends Span { readonly kind: 'ident'; readonly name: string }
export interface StringLiteral extends Span { readonly kind: 'string'; readonly value: string }
export interface Unary extends Span { readonly kind: 'unary'; readonly op: '-' | '+'; readonly operand: Expression }
export interface Binary extends Span {
  readonly kind: 'binary';
  readonly op: '+' | '-' | '*' | '/' | '^';
  readonly left: Expression;
  readonly right: Expression;
  /** `2x`: a product written without `*`. */
  readonly implicit?: boolean;
}
/**
 * A call: `f(1, 2)`, `sin(x)`, `h'(x)` (primes: 1), `diff(e, x)`,
 * or an operator applied to a bare name: `grad f` (bare: true, one argument).
 */
export interface Call extends Span {
  readonly kind: 'call';
  readonly callee: Identifier;
  readonly primes: number;
  readonly args: readonly Expression[];
  readonly bare?: boolean;
}
/** `[1, 2, 3]`; a matrix is a vector of vectors. */
export interface VectorLiteral extends Span { readonly kind: 'vector'; readonly items: readonly Expression[] }
/** `v[1]`: 1-based indexing. */
export interface Index extends Span { readonly kind: 'index'; readonly target: Expression; readonly index: Expression }
/** A reference to a user function with primes but no call: `h'`. */
export interface Primed extends Span { readonly kind: 'primed'; readonly name: Identifier; readonly primes: number }
/** A placeholder where an expression was expected but could not be parsed; the error is already reported. */
export interface Missing extends Span { readonly kind: 'missing' }

export type Expression =
  | NumberLiteral | Identifier | StringLiteral | Unary | Binary | Call | VectorLiteral | Index | Primed | Missing;

// ---------------------------------------------------------------- clauses

/** `at [1, 2]`, `from x = 0, y = 0`: a point given as a vector or as named values. */
export type PointSpec =
  | (Span & { readonly kind: 'vector-point'; readonly vector: VectorLiteral })
  | (Span & { readonly kind: 'named-point'; readonly bindings: readonly Binding[] });

export interface Binding extends Span { readonly name: Identifier; readonly value: Expression }
/** `by gradient descent`: the words as written, joined by one space. */
export interface MethodName extends Span { readonly name: string }
/** `x^2 + y^2 = 1` */
export interface Constraint extends Span { readonly left: Expression; readonly right: Expression }
/** `x in [-2, 2]` */
export interface PlotRange extends Span { readonly name: Identifier; readonly low: Expression; readonly high: Expression }

// ---------------------------------------------------------------- statements

export interface ConstantDefinition extends Span { readonly kind: 'constant'; readonly name: Identifier; readonly value: Expression }
export interface FunctionDefinition extends Span {
  readonly kind: 'function';
  readonly name: Identifier;
  readonly params: readonly Identifier[];
  readonly body: Expression;
}
/** An expression line, with an optional point: `jacobian(u) at [1, 2]`. */
export interface ExpressionStatement extends Span { readonly kind: 'expression'; readonly expr: Expression; readonly at?: PointSpec }
export interface TaylorStatement extends Span {
  readonly kind: 'taylor'; readonly target: Expression; readonly at?: PointSpec; readonly order?: Expression;
}
export interface RootStatement extends Span {
  readonly kind: 'root'; readonly target: Expression; readonly near?: PointSpec;
  readonly method?: MethodName; readonly options: readonly Binding[];
}
export interface OptimizeStatement extends Span {
  readonly kind: 'optimize';
  readonly sense: 'minimize' | 'maximize';
  readonly keyword: Span;
  readonly target: Expression;
  readonly from?: PointSpec;
  readonly constraints: readonly Constraint[];
  readonly method?: MethodName;
  readonly options: readonly Binding[];
}
export interface DataCell extends Span { readonly text: string }
export interface DataStatement extends Span {
  readonly kind: 'data';
  readonly name: Identifier;
  /** Inline table: the header row and the data rows, as written. */
  readonly table?: { readonly header: readonly DataCell[]; readonly rows: readonly (readonly DataCell[])[]; readonly body: Span };
  /** `csv("file.csv")` */
  readonly csv?: StringLiteral;
}
export interface FitStatement extends Span {
  readonly kind: 'fit';
  readonly response: Identifier;
  readonly model: Expression;
  readonly data?: Identifier;
  readonly from?: PointSpec;
  readonly method?: MethodName;
  readonly options: readonly Binding[];
}
export interface PlotStatement extends Span {
  readonly kind: 'plot'; readonly exprs: readonly Expression[]; readonly ranges: readonly PlotRange[];
}
export interface CheckStatement extends Span { readonly kind: 'check'; readonly target: Expression; readonly at?: PointSpec }
export interface ExpectStatement extends Span {
  readonly kind: 'expect'; readonly left: Expression; readonly right?: Expression; readonly within?: Expression;
  /** `expect grad(f) at [1, 2] == [4, 1]`: the left side's value at a point. */
  readonly at?: PointSpec;
}
/** A line that could not be parsed at all; its error is already reported. */
export interface InvalidStatement extends Span { readonly kind: 'invalid' }

export type Statement =
  | ConstantDefinition | FunctionDefinition | ExpressionStatement | TaylorStatement | RootStatement
  | OptimizeStatement | DataStatement | FitStatement | PlotStatement | CheckStatement | ExpectStatement
  | InvalidStatement;

export interface Program { readonly statements: readonly Statement[]; readonly end: number }

/** Statements that run a numerical method (code lens "▶ Run"). */
export type RunnableStatement = RootStatement | OptimizeStatement | FitStatement;

export function isRunnable(s: Statement): s is RunnableStatement {
  return s.kind === 'root' || s.kind === 'optimize' || s.kind === 'fit';
}

/**
 * Calls `visit` on every expression below `node`, parents before children.
 * `forEachExpression(stmt, (e) => { if (e.kind === 'ident') names.push(e.name) })`
 */
export function forEachExpression(node: Statement | Expression | PointSpec, visit: (e: Expression) => void): void {
  someExpression(node, (e) => { visit(e); return false; });
}

/** True when some expression in `node` (in source order, stopping at the first) satisfies `test`. */
export function someExpression(node: Statement | Expression | PointSpec, test: (e: Expression) => boolean): boolean {
  const stack: (Statement | Expression | PointSpec)[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    for (const child of childrenOf(n).reverse()) stack.push(child);
    if (isExpression(n) && test(n)) return true;
  }
  return false;
}

function isExpression(n: Statement | Expression | PointSpec): n is Expression {
  switch (n.kind) {
    case 'number': case 'ident': case 'string': case 'unary': case 'binary': case 'call':
    case 'vector': case 'index': case 'primed': case 'missing':
      return true;
    default:
      return false;
  }
}

function pointChildren(p: PointSpec | undefined): (Expression | PointSpec)[] {
  if (!p) return [];
  return p.kind === 'vector-point' ? [p.vector] : p.bindings.flatMap((b) => [b.name, b.value]);
}

const bindingChildren = (bs: readonly Binding[]): Expression[] => bs.map((b) => b.value);

/** The direct children of a node (names in definitions are included). */
export function childrenOf(n: Statement | Expression | PointSpec): (Statement | Expression | PointSpec)[] {
  switch (n.kind) {
    case 'number': case 'ident': case 'string': case 'missing': case 'invalid': case 'primed': return [];
    case 'unary': return [n.operand];
    case 'binary': return [n.left, n.right];
    case 'call': return [n.callee, ...n.args];
    case 'vector': return [...n.items];
    case 'index': return [n.target, n.index];
    case 'vector-point': case 'named-point': return pointChildren(n);
    case 'constant': return [n.name, n.value];
    case 'function': return [n.name, ...n.params, n.body];
    case 'expression': return [n.expr, ...pointChildren(n.at)];
    case 'taylor': return [n.target, ...pointChildren(n.at), ...(n.order ? [n.order] : [])];
    case 'root': return [n.target, ...pointChildren(n.near), ...bindingChildren(n.options)];
    case 'optimize': return [n.target, ...pointChildren(n.from), ...n.constraints.flatMap((c) => [c.left, c.right]), ...bindingChildren(n.options)];
    case 'data': return [n.name, ...(n.csv ? [n.csv] : [])];
    case 'fit': return [n.response, n.model, ...(n.data ? [n.data] : []), ...pointChildren(n.from), ...bindingChildren(n.options)];
    case 'plot': return [...n.exprs, ...n.ranges.flatMap((r) => [r.name, r.low, r.high])];
    case 'check': return [n.target, ...pointChildren(n.at)];
    case 'expect': return [n.left, ...pointChildren(n.at), ...(n.right ? [n.right] : []), ...(n.within ? [n.within] : [])];
  }
}
