/**
 * The generated worksheet the language-server benchmarks analyse (seeded: the same text on every run).
 *
 *   generateWorksheet(5000) // 5,000 lines, 138,514 characters
 */
import { seeded as random } from '../server/src/core/calculus/random';

/** A worksheet as a student writes one: definitions, values, derivatives, a few analyses and data, comments. */
export function generateWorksheet(lines: number, seed = 1): string {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const out: string[] = [];
  const constants: string[] = [];
  const functions: string[] = [];
  /** Each function's ∂/∂x, worked out by hand, as a student would write the answer to check. */
  const answers = new Map<string, string>();
  let data = 0;
  while (out.length < lines) {
    const n = out.length;
    if (n % 100 === 0) { out.push(`# ---- section ${n / 100} ----------------------------------------`); continue; }
    // One domain warning, found only by evaluation: it tells the full diagnostics from the early ones.
    if (n === 3) { out.push('log(-1)'); continue; }
    if (n % 1000 === 500) {
      const name = `d${data++}`;
      out.push(`data ${name} {`, '  x    y     sigma');
      for (let i = 0; i < 6; i++) out.push(`  ${i}.0  ${(2 * i + 1 + next() * 0.2).toFixed(2)}  0.10`);
      out.push('}', `fit y = m*x + c to ${name}`);
      continue;
    }
    const r = next();
    if (r < 0.15 || constants.length < 3) {
      const name = `c${constants.length}`;
      out.push(`${name} = ${(1 + next() * 9).toFixed(2)}${constants.length ? ` * ${pick(constants)}` : ''}`);
      constants.push(name);
    } else if (r < 0.35 || functions.length < 3) {
      const name = `f${functions.length}`;
      // A constant is drawn for every body that takes one, then the body: the draws the generator has always
      // made, so that the worksheet stays the same.
      const cs = BODIES.map((body) => (body.length > 0 ? pick(constants) : ''));
      const b = Math.floor(next() * BODIES.length);
      const [body, dx] = BODIES[b]!(cs[b]!);
      out.push(`${name}(x, y) = ${body}`);
      functions.push(name);
      answers.set(name, dx);
    } else if (r < 0.6) {
      out.push(`${pick(functions)}(${(next() * 2).toFixed(2)}, ${(next() * 2).toFixed(2)})   # a value`);
    } else if (r < 0.75) {
      out.push(`diff(${pick(functions)}(x, y), ${pick(['x', 'y'])})`);
    } else if (r < 0.85) {
      out.push(`grad(${pick(functions)}) at [${(next() * 2).toFixed(1)}, ${(next() * 2).toFixed(1)}]`);
    } else if (r < 0.9) {
      out.push(`taylor ${pick(functions)} at [0.5, 0.5] order 2`);
    } else if (r < 0.93) {
      out.push(`minimize ${pick(functions)} from [${(next()).toFixed(1)}, ${(next()).toFixed(1)}]`);
    } else if (r < 0.96) {
      const f = pick(functions);
      out.push(`expect diff(${f}(x, y), x) == ${answers.get(f)!}`);
    } else {
      out.push('');
    }
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** The function bodies, each with its partial derivative in x as written by hand, given a constant's name. */
const BODIES: readonly ((c: string) => readonly [body: string, dx: string])[] = [
  (c) => [`x^2*y + ${c}*sin(x*y)`, `2*x*y + ${c}*y*cos(x*y)`],
  (c) => [`exp(-x^2 - y^2)*${c}`, `-2*${c}*x*exp(-x^2 - y^2)`],
  (c) => [`(1 - x)^2 + ${c}*(y - x^2)^2`, `-2*(1 - x) - 4*${c}*x*(y - x^2)`],
  (c) => [`log(1 + x^2) + cos(y)/${c}`, `2*x/(1 + x^2)`],
  () => ['sigmoid(x*y) - tanh(x - y)', 'y*sigmoid(x*y)*(1 - sigmoid(x*y)) - (1 - tanh(x - y)^2)'],
];
