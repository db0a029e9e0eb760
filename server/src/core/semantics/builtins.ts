/**
 * The built-in functions, constants and analysis operators of the .calc language,
 * as data: one table serves evaluation, hover documentation, completion and
 * signature help.
 */

export interface BuiltinFunction {
  readonly kind: 'function';
  readonly name: string;
  /** Parameter names, for signature help. */
  readonly params: readonly string[];
  /** One line, shown in completion and hover. */
  readonly summary: string;
  /** Markdown, shown in hover. */
  readonly doc: string;
  /** The real function; NaN outside the domain. */
  readonly apply: (x: number) => number;
  /** A predicate that is true where the argument is inside the real domain (for domain warnings). */
  readonly domain?: (x: number) => boolean;
  /** Text that names the domain, for messages: "x > 0". */
  readonly domainText?: string;
  /** Another name for the same function (`ln` for `log`). */
  readonly synonymOf?: string;
}

export interface BuiltinConstant {
  readonly kind: 'constant';
  readonly name: string;
  readonly value: number;
  readonly summary: string;
  readonly doc: string;
}

/** Operators with special syntax or arguments that are names: diff, grad, jacobian, hessian, taylor. */
export interface BuiltinOperator {
  readonly kind: 'operator';
  readonly name: string;
  readonly signatures: readonly string[];
  readonly summary: string;
  readonly doc: string;
}

export type Builtin = BuiltinFunction | BuiltinConstant | BuiltinOperator;

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

function fn(
  name: string,
  apply: (x: number) => number,
  summary: string,
  doc: string,
  domain?: { test: (x: number) => boolean; text: string },
  synonymOf?: string,
): BuiltinFunction {
  return {
    kind: 'function', name, params: ['x'], summary, doc, apply,
    ...(domain ? { domain: domain.test, domainText: domain.text } : {}),
    ...(synonymOf ? { synonymOf } : {}),
  };
}

const positive = { test: (x: number) => x > 0, text: 'x > 0' };
const nonNegative = { test: (x: number) => x >= 0, text: 'x ≥ 0' };
const unitInterval = { test: (x: number) => x >= -1 && x <= 1, text: '-1 ≤ x ≤ 1' };
/**
 * Away from the poles π/2 + kπ of tan. A point within rounding of one (4ε·|x|: the float pi/2 is off
 * by 6e-17) is at it: tan there gives 1.6e16, a number of rounding, not a value.
 */
const offPoles = {
  test: (x: number) => {
    const k = Math.round(x / (Math.PI / 2));
    return k % 2 === 0 || Math.abs(x - k * (Math.PI / 2)) > 4 * Number.EPSILON * Math.max(1, Math.abs(x));
  },
  text: 'x ≠ π/2 + kπ',
};

const functions: BuiltinFunction[] = [
  fn('sin', Math.sin, 'Sine of x (radians).', "d/dx sin(x) = cos(x)."),
  fn('cos', Math.cos, 'Cosine of x (radians).', "d/dx cos(x) = -sin(x)."),
  fn('tan', Math.tan, 'Tangent of x (radians).', "d/dx tan(x) = 1/cos(x)^2 = 1 + tan(x)^2. Poles at x = π/2 + kπ.", offPoles),
  fn('asin', Math.asin, 'Inverse sine (arcsine), in radians.', "d/dx asin(x) = 1/√(1 − x²). Defined for −1 ≤ x ≤ 1.", unitInterval),
  fn('acos', Math.acos, 'Inverse cosine (arccosine), in radians.', "d/dx acos(x) = −1/√(1 − x²). Defined for −1 ≤ x ≤ 1.", unitInterval),
  fn('atan', Math.atan, 'Inverse tangent (arctangent), in radians.', "d/dx atan(x) = 1/(1 + x²)."),
  fn('sinh', Math.sinh, 'Hyperbolic sine.', "d/dx sinh(x) = cosh(x)."),
  fn('cosh', Math.cosh, 'Hyperbolic cosine.', "d/dx cosh(x) = sinh(x)."),
  fn('tanh', Math.tanh, 'Hyperbolic tangent, a classic neural-network activation.', "d/dx tanh(x) = 1 − tanh(x)²."),
  fn('exp', Math.exp, 'The exponential function eˣ.', "d/dx exp(x) = exp(x)."),
  fn('log', Math.log, 'Natural logarithm (base e); `ln` is the same function.', "d/dx log(x) = 1/x. Defined for x > 0.", positive),
  fn('ln', Math.log, 'Natural logarithm (base e), the same as `log`.', "d/dx ln(x) = 1/x. Defined for x > 0.", positive, 'log'),
  fn('log10', Math.log10, 'Logarithm to base 10.', "d/dx log10(x) = 1/(x·ln 10). Defined for x > 0.", positive),
  fn('sqrt', Math.sqrt, 'Square root.', "d/dx √x = 1/(2√x). Defined for x ≥ 0.", nonNegative),
  fn('abs', Math.abs, 'Absolute value |x|.', "d/dx |x| = sign(x), undefined at x = 0."),
  fn('sign', Math.sign, 'The sign of x: −1, 0 or 1.', "d/dx sign(x) = 0 where x ≠ 0."),
  fn('sigmoid', sigmoid, 'The logistic sigmoid σ(x) = 1/(1 + e^(−x)), a neural-network activation.', "d/dx σ(x) = σ(x)·(1 − σ(x))."),
];

const constants: BuiltinConstant[] = [
  { kind: 'constant', name: 'pi', value: Math.PI, summary: 'π = 3.14159…, the ratio of a circle\'s circumference to its diameter.', doc: 'π ≈ 3.141592653589793' },
  { kind: 'constant', name: 'e', value: Math.E, summary: 'Euler\'s number e = 2.71828…, the base of the natural logarithm.', doc: 'e ≈ 2.718281828459045' },
];

const operators: BuiltinOperator[] = [
  {
    kind: 'operator', name: 'diff', summary: 'Partial derivative.',
    signatures: ['diff(expr, x)', 'diff(expr, x, y)', 'diff(expr, x, n)'],
    doc: '`diff(f(x, y), x)` is ∂f/∂x; `diff(f(x, y), x, y)` is the mixed partial ∂²f/∂y∂x; `diff(e, x, 2)` is the second derivative.',
  },
  {
    kind: 'operator', name: 'grad', summary: 'Gradient ∇f of a scalar function.',
    signatures: ['grad(f)', 'grad(expr)'],
    doc: '`grad(f)` is the vector of partial derivatives of `f`, in the order of its parameters. Add `at [1, 2]` to evaluate it at a point.',
  },
  {
    kind: 'operator', name: 'jacobian', summary: 'Jacobian matrix of a vector-valued function.',
    signatures: ['jacobian(u)', 'jacobian(expr)'],
    doc: '`jacobian(u)` has one row per component of `u` and one column per parameter: J[i][j] = ∂uᵢ/∂xⱼ.',
  },
  {
    kind: 'operator', name: 'hessian', summary: 'Hessian matrix of second partial derivatives.',
    signatures: ['hessian(f)', 'hessian(expr)'],
    doc: '`hessian(f)` is the symmetric matrix H[i][j] = ∂²f/∂xᵢ∂xⱼ. At a critical point its eigenvalues classify it.',
  },
  {
    kind: 'operator', name: 'taylor', summary: 'Taylor polynomial (statement).',
    signatures: ['taylor f at [a, b] order n', 'taylor expr at x = a order n'],
    doc: 'Writes the Taylor polynomial of order n about a point, expanded and in powers of (x − a). Order 1 is the linearisation.',
  },
];

/** Every built-in, by name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>(
  [...functions, ...constants, ...operators].map((b) => [b.name, b]),
);

/** `builtinFunction('sin')?.apply(0)` is 0. */
export function builtinFunction(name: string): BuiltinFunction | undefined {
  const b = BUILTINS.get(name);
  return b?.kind === 'function' ? b : undefined;
}

/** The canonical name of a function: `ln` is `log`. */
export function canonicalFunctionName(name: string): string {
  return builtinFunction(name)?.synonymOf ?? name;
}
