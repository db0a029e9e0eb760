import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import type { Expression, Statement } from '../../server/src/core/syntax/ast';
import { Codes } from '../../server/src/core/syntax/diagnostics';
import { parse, parseExpressionText } from '../../server/src/core/syntax/parser';
import { Scanner } from '../../server/src/core/syntax/scanner';

/** A fully parenthesised rendering of an expression, to assert precedence and associativity. */
function show(e: Expression): string {
  switch (e.kind) {
    case 'number': return String(e.value);
    case 'ident': return e.name;
    case 'string': return JSON.stringify(e.value);
    case 'unary': return `(${e.op}${show(e.operand)})`;
    case 'binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call': return `${e.callee.name}${"'".repeat(e.primes)}(${e.args.map(show).join(', ')})`;
    case 'vector': return `[${e.items.map(show).join(', ')}]`;
    case 'index': return `${show(e.target)}[${show(e.index)}]`;
    case 'primed': return `${e.name.name}${"'".repeat(e.primes)}`;
    case 'missing': return '?';
  }
}
const expr = (text: string): string => {
  const r = parseExpressionText(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], text);
  return show(r.expr);
};
const codes = (text: string): number[] => parse(text).diagnostics.map((d) => d.code);
const kinds = (text: string): string[] => parse(text).program.statements.map((s: Statement) => s.kind);

test('power is right-associative and binds tighter than unary minus', () => {
  assert.equal(expr('-x^2'), '(-(x ^ 2))');
  assert.equal(expr('2^3^2'), '(2 ^ (3 ^ 2))');
  assert.equal(expr('2^-1'), '(2 ^ (-1))');
  assert.equal(expr('a - b - c'), '((a - b) - c)');
  assert.equal(expr('a / b * c'), '((a / b) * c)');
});

test('implicit multiplication follows a number and binds like *', () => {
  assert.equal(expr('2x + 3 sin(x)'), '((2 * x) + (3 * sin(x)))');
  assert.equal(expr('2x^2'), '(2 * (x ^ 2))');
  assert.equal(expr('2(x + 1)'), '(2 * (x + 1))');
  assert.equal(expr('-2x'), '((-2) * x)');
  assert.equal(expr('2 pi'), '(2 * pi)');
});

test('a product of two names without * is a missing-operator error that still parses', () => {
  const r = parseExpressionText('x y');
  assert.deepEqual(r.diagnostics.map((d) => d.code), [Codes.MissingOperator]);
  assert.equal(show(r.expr), '(x * y)');
});

test('1/2x warns that it reads as (1/2)·x', () => {
  const r = parseExpressionText('1/2x');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [[Codes.AmbiguousImplicitProduct, 'warning']]);
  assert.equal(show(r.expr), '((1 / 2) * x)');
});

test('prime notation, bare operators, calls, vectors and indexing parse', () => {
  assert.equal(expr("h''(x)"), "h''(x)");
  assert.equal(expr("h'"), "h'");
  assert.equal(expr('grad f'), 'grad(f)');
  assert.equal(expr('[[1, 2], [3, 4]]'), '[[1, 2], [3, 4]]');
  assert.equal(expr('v[2] + w [1]'.replace(' [1]', '')), '(v[2] + w)');
  assert.equal(expr('1e-3 + 2.5E2 + .5'), '((0.001 + 250) + 0.5)');
  assert.equal(expr('2e'), '(2 * e)');
});

test('every form of the language tour parses without a diagnostic', () => {
  const text = readFileSync(new URL('../../examples/tour.calc', import.meta.url), 'utf8');
  const r = parse(text);
  assert.deepEqual(r.diagnostics, []);
  const k = r.program.statements.map((s) => s.kind);
  for (const want of ['constant', 'function', 'expression', 'taylor', 'root', 'optimize', 'data', 'fit', 'plot', 'check', 'expect']) {
    assert.ok(k.includes(want as Statement['kind']), `tour has a ${want} statement`);
  }
});

test('statement clauses are read in any order', () => {
  const a = parse('minimize f by bfgs from [1, 2] with maxiter = 10').program.statements[0]!;
  assert.equal(a.kind, 'optimize');
  if (a.kind !== 'optimize') return;
  assert.equal(a.method?.name, 'bfgs');
  assert.equal(a.from?.kind, 'vector-point');
  assert.equal(a.options[0]?.name.name, 'maxiter');
  const [b] = parse('fit y = A*exp(-x/t) to d from A = 1, t = 2 by levenberg-marquardt').program.statements;
  assert.equal(b!.kind === 'fit' && b.method?.name, 'levenberg-marquardt');
  const [c] = parse('minimize f from [0, 0] by gradient descent with step = 0.05').program.statements;
  assert.equal(c!.kind === 'optimize' && c.method?.name, 'gradient descent');
});

test('a missing ) on line 3 does not hide the results of the lines after it', () => {
  const text = 'a = 1\nb = 2\nf(x) = sin(x\ng(x) = x^2\nh(x) = x + 1\n';
  assert.deepEqual(kinds(text), ['constant', 'constant', 'function', 'function', 'function']);
  const d = parse(text).diagnostics;
  assert.deepEqual(d.map((x) => x.code), [Codes.MissingCloseBracket]);
  assert.equal(d[0]!.offset, text.indexOf('sin(') + 3, 'reported at the bracket that was opened');
});

test('a bracket open across lines continues the statement', () => {
  const r = parse('M = [[1, 2],\n     [3, 4]]\nM');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.program.statements.map((s) => s.kind), ['constant', 'expression']);
});

test('lists nested in lists keep their own items, also after a statement gave up inside one', () => {
  assert.equal(expr('f(g(1, [2, h(3, 4), [5]], 6), [7, k(8)], 9)'), 'f(g(1, [2, h(3, 4), [5]], 6), [7, k(8)], 9)');
  assert.equal(expr('f([], g(), [[]])'), 'f([], g(), [[]])');
  // The first statement gives up inside a call inside a vector inside a named point.
  const text = 'minimize f from x = [1, g(2, \ny = f(1, [2, 3]) + u(4)\ntaylor f at x = 1, y = h(2, 3) order 2';
  const { program } = parse(text);
  assert.deepEqual(program.statements.map((s) => s.kind), ['optimize', 'constant', 'taylor']);
  const constant = program.statements[1]!;
  assert.ok(constant.kind === 'constant');
  assert.equal(show(constant.value), '(f(1, [2, 3]) + u(4))');
  const taylor = program.statements[2]!;
  assert.ok(taylor.kind === 'taylor' && taylor.at?.kind === 'named-point');
  assert.deepEqual(taylor.at.bindings.map((b) => `${b.name.name} = ${show(b.value)}`), ['x = 1', 'y = h(2, 3)']);
});

test('lists of every length keep their items in order, inside other lists of every length', () => {
  // Short lists are built item by item and longer ones by copying: each length is its own path.
  for (let n = 0; n <= 6; n++) {
    const items = Array.from({ length: n }, (_, i) => `g(${Array.from({ length: (i + 2) % 6 }, (_, j) => 10 * i + j).join(', ')})`);
    const text = `f(${items.join(', ')}) + [${items.join(', ')}]`;
    assert.equal(expr(text), `(${text})`);
  }
});

test('syntax errors report once per statement and recovery continues', () => {
  assert.deepEqual(codes('f(x) = x +\ng(x) = 2'), [Codes.ExpectedExpression]);
  assert.deepEqual(kinds('f(x) = x +\ng(x) = 2'), ['function', 'function']);
  assert.deepEqual(codes('a = 1)'), [Codes.UnexpectedToken]);
  assert.deepEqual(codes('x^2 + 1 = 3'), [Codes.InvalidDefinition]);
  assert.deepEqual(codes('root x^2 - 2'), [Codes.ExpectedKeyword]);
  assert.deepEqual(codes('expect x'), [Codes.ExpectedKeyword]);
  // the skipped character stood where the operator goes: one problem, one error
  assert.deepEqual(codes('a = 2 @ 3'), [Codes.InvalidCharacter]);
  assert.deepEqual(codes('a = 2 3'), [Codes.MissingOperator]);
});

test('data tables keep their rows and cells with offsets', () => {
  const text = 'data p {\n  x y\n  1 2\n  3 4 # comment\n}\nfit y = m*x to p';
  const r = parse(text);
  assert.deepEqual(r.diagnostics, []);
  const d = r.program.statements[0]!;
  assert.equal(d.kind, 'data');
  if (d.kind !== 'data') return;
  assert.deepEqual(d.table!.header.map((c) => c.text), ['x', 'y']);
  assert.deepEqual(d.table!.rows.map((row) => row.map((c) => c.text)), [['1', '2'], ['3', '4']]);
  assert.equal(text.slice(d.table!.rows[1]![0]!.start, d.table!.rows[1]![0]!.end), '3');
  assert.equal(r.program.statements[1]!.kind, 'fit');
});

test('a missing ) does not swallow the expression lines after it, and brackets still continue lines', () => {
  // each line ends with a value and the next starts with one: the bracket is the mistake
  const text = 'a = sin(1 + 2\n1 + 1\n2 + 2\nb = (1 + 2\ndiff(x^2, x)\ngrad(x*y)\n';
  assert.deepEqual(kinds(text), ['constant', 'expression', 'expression', 'constant', 'expression', 'expression']);
  assert.deepEqual(codes(text), [Codes.MissingCloseBracket, Codes.MissingCloseBracket]);
  // after a comma, an operator or an opening bracket, or before a closing bracket or a comma, the next line continues
  for (const multi of ['M = [[1, 2],\n     [3, 4]]', 'v = [\n  1,\n  2\n]', 'w = [1, 2\n     , 3]', 'f(x) = (x +\n   1)', 'g(x) = (x\n  + 1)']) {
    assert.deepEqual(codes(multi), [], multi);
    assert.equal(kinds(multi).length, 1, multi);
  }
});

test('words of prose after an expression are one error, whatever they hold', () => {
  for (const line of ['r = sin(x) for x', 'f(x) = x^2 where x > 0', 'sin(1) for x in [1, 2] | 3']) {
    const d = parse(line).diagnostics;
    assert.deepEqual(d.map((x) => x.code), [Codes.UnexpectedToken], line);
    assert.match(d[0]!.message, /is not \.calc: .* Say more in a # comment\./, line);
  }
  // a character the scanner cannot read is still reported where no error came before it
  assert.deepEqual(codes('f(x) = x > 0'), [Codes.InvalidCharacter]);
});

test('a superscript with nothing to raise is one error, and a line ending in one ends a value', () => {
  assert.deepEqual(codes('f(x) = ²'), [Codes.ExpectedExpression]);
  assert.deepEqual(kinds('g(x) = sin(1 + x²\n2 + 1\n'), ['function', 'expression']);
});

test('a point of several values without brackets is one error that says how to write it', () => {
  for (const line of ['minimize f from (1, 2)', 'minimize f from 1, 2', 'grad(f) at (1, 2)']) {
    const d = parse(line).diagnostics;
    assert.deepEqual(d.map((x) => x.code), [Codes.ExpectedExpression], line);
    assert.match(d[0]!.message, /square brackets/, line);
  }
  // one value in parentheses is a value
  assert.deepEqual(codes('diff(x^2, x) at (1)'), []);
  // and so is a vector anywhere else: read as the vector, not as a bracket never closed
  for (const line of ['b = (1, 2)', 'c = 2*(1, -3) + [1, 1]', 'd = ((x, y))']) {
    const d = parse(line).diagnostics;
    assert.deepEqual(d.map((x) => x.code), [Codes.ExpectedExpression], line);
    assert.match(d[0]!.message, /^A vector is written in square brackets/, line);
  }
  assert.deepEqual(codes('e = (1 + 2)*(3, 4'), [Codes.MissingCloseBracket], 'a bracket that is never closed is that');
});

test('an unclosed data table stops at the next statement', () => {
  const r = parse('data p {\n x y\n 1 2\nf(x) = x\n');
  assert.deepEqual(r.diagnostics.map((d) => d.code), [Codes.MissingCloseBracket]);
  assert.deepEqual(r.program.statements.map((s) => s.kind), ['data', 'function']);
});

test('CRLF line ends, a BOM and non-ASCII names parse', () => {
  const r = parse('\uFEFFθ = 1\r\nf(α, β) = α*β + θ\r\nf(1, 2)\r\n');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.program.statements.length, 3);
});

test('parsing does not mutate its input and gives the same tree twice', () => {
  const text = 'f(x, y) = x^2*y\nminimize f from [1, 1]';
  assert.deepEqual(parse(text).program, parse(text).program);
});

test('every name reads as it is written, among more distinct names than the table of names holds, and after other scripts', () => {
  const names: string[] = [];
  for (let i = 0; i < 30_000; i++) names.push(`n${i.toString(36)}_${i % 7}`);
  // names that continue past ASCII, and ones that differ only in length or in a last character
  names.push('xé', 'a\u0301b', 'ab', 'abc', 'abd', 'Ab', '_', 'x2', 'x20', 'π', 'αβ', 'twelve_chars', 'thirteen_char', 'a_much_longer_name_1', 'a_much_longer_name_2');
  const text = [...names, ...names.slice(0, 5_000).reverse()].join(' + ');
  const scanner = new Scanner(text);
  const read: string[] = [];
  for (let t = scanner.next(); t.kind !== 'eof'; t = scanner.next()) {
    if (t.kind === 'ident') {
      assert.equal(t.text, text.slice(t.start, t.end));
      read.push(t.text);
    }
  }
  assert.deepEqual(read, [...names, ...names.slice(0, 5_000).reverse()]);
});
