import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver-types';
import { getCodeActions } from '../../server/src/service/codeActions';
import { documentOf, withCursor } from './cursor';
import type { CalcDocument } from '../../server/src/service/document';
import { valueOrText } from '../../server/src/core/results';

/** The text after applying one action's edits. */
function applied(doc: CalcDocument, action: CodeAction): string {
  return TextDocument.applyEdits(doc.textDocument, (action.edit?.changes?.[doc.uri] ?? []) as TextEdit[]);
}

/** The quick fixes at the cursor. */
function fixesAt(marked: string): { doc: CalcDocument; actions: CodeAction[] } {
  const { doc, position } = withCursor(marked);
  return { doc, actions: getCodeActions(doc, { start: position, end: position }) };
}

test('each quick fix turns the line into one that has no error and means what was intended', () => {
  // [document with the cursor on the problem, the fixed document, the value of its last line]
  const cases: [string, string, unknown][] = [
    ['s|n(0)', 'sin(0)', 0], // did you mean 'sin'
    ['f(x) = x^2\ng(x) = f|f(x) + 1\ng(2)', 'f(x) = x^2\ng(x) = f(x) + 1\ng(2)', 5], // a misspelt function
    ['l|n x', 'ln(x)', 'log(x)'], // ln is log
    ['-s|in x + 1', '-sin(x) + 1', '1 - sin(x)'], // under a sign
    ['f(x) = 2^-s|in x\nf(0)', 'f(x) = 2^-sin(x)\nf(0)', 1], // in an exponent
    ['s|in 2x', 'sin(2x)', 'sin(2*x)'], // as printed: sin 2x is sin(2x)
    ['x = 3\ns|in 2x', 'x = 3\nsin(2x)', Math.sin(6)], // one factor after the number, no more
    ['2 - c|os^2(0)', '2 - cos(0)^2', 1],
    ['si|n^2(pi/2) + 1', 'sin(pi/2)^2 + 1', 2],
    ['x*|*2', 'x^2', 'x^2'],
    ['f(x) :|= x^2\nf(3)', 'f(x) = x^2\nf(3)', 9],
    ['diff|(x^2, x', 'diff(x^2, x)', '2*x'],
    ['M = |[[1, 2], [3, 4]\nM', 'M = [[1, 2], [3, 4]]\nM', [[1, 2], [3, 4]]],
    ['2 x|', '2 x', null], // an implicit product after a number is .calc: nothing to fix
    ['3 |× 4', '3 * 4', 12],
    ['2|²', '2^2', 4],
    ['f(x) = x|² + 1\nf(3)', 'f(x) = x^2 + 1\nf(3)', 10], // x² was read as a name, whose did-you-mean 'x' changed the function
    ['y = 2\ny|¹⁰', 'y = 2\ny^10', 1024],
    ['si|n² x', 'sin(x)^2', 'sin(x)^2'], // the square is kept, and one fix covers the line
    ['x = 2\nx^|²', 'x = 2\nx^2', 4], // after ^, the digits
    ['s|in x²', 'sin(x^2)', 'sin(x^2)'],
    ['σ|² = 0.25\nσ2', 'σ2 = 0.25\nσ2', 0.25], // a name cannot hold a superscript
    ['σ|² = 0.25\nv = 2*σ² # σ² stays in a comment\nσ²', 'σ2 = 0.25\nv = 2*σ2 # σ² stays in a comment\nσ2', 0.25], // and its uses go with it
    ['(a)|(b)', '(a)*(b)', 'a*b'],
    ['f(x, y) = x*y\ngrad(f) at |(1, 2)', 'f(x, y) = x*y\ngrad(f) at [1, 2]', [2, 1]], // a point as printed
    ['b = |(1, -2)\n2*b', 'b = [1, -2]\n2*b', [2, -4]], // a vector as printed
    ['f(x, y) = x^2*y\nexpect grad(f) == [4, 1] a|t [1, 2]\n1', 'f(x, y) = x^2*y\nexpect grad(f) at [1, 2] == [4, 1]\n1', 1], // the point before ==
    ['gr|ad sin(x)', 'grad(sin(x))', '[cos(x)]'], // a bare operator takes a name; an expression goes in brackets
    ['f(x, y) = x^2*y\ngrad(f)|(1, 2)', 'f(x, y) = x^2*y\ngrad(f) at [1, 2]', [4, 1]], // a derivative at a point
    ['f(x, y) = x^2*y\ngrad(f)|([1, 2])', 'f(x, y) = x^2*y\ngrad(f) at [1, 2]', [4, 1]],
    ['f(x, y) = x^2*y\ngrad(f)|(1, 2) + 1', 'f(x, y) = x^2*y\ngrad(f)(1, 2) + 1', null], // at ends a line: no edit in the middle
    ['f(x) = x^3\ndf/d|x', "f(x) = x^3\nf'(x)", '3*x^2'], // Leibniz's notation
    ['g(x, y) = x*y^2\ndg/d|y', 'g(x, y) = x*y^2\ndiff(g(x, y), y)', '2*x*y'],
  ];
  for (const [marked, fixed, expected] of cases) {
    const { doc, actions } = fixesAt(marked);
    if (fixed === marked.replace('|', '')) {
      assert.deepEqual(actions, [], `${marked}: nothing to fix`);
      continue;
    }
    assert.equal(actions.length, 1, `${marked}: ${actions.map((a) => a.title).join(', ')}`);
    const action = actions[0]!;
    assert.equal(action.kind, CodeActionKind.QuickFix);
    assert.equal(action.isPreferred, true);
    assert.ok(action.diagnostics?.length === 1, 'the action names the diagnostic it fixes');
    const text = applied(doc, action);
    assert.equal(text, fixed, `${marked}: ${action.title}`);
    const after = documentOf(text);
    assert.deepEqual(after.analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], `${fixed} still has errors`);
    const last = [...after.analysis.results.entries()].sort((p, q) => q[0].start - p[0].start)[0]?.[1];
    assert.deepEqual(last?.kind === 'value' ? valueOrText(last) : undefined, expected, fixed);
  }
});

test("'==' on a line of its own offers both readings: a comparison (add expect) and a definition", () => {
  // f(3) cannot be a definition's heading: only the comparison, which then passes (3² = 9)
  const { doc, actions } = fixesAt('f(x) = x^2\nf(3) =|= 9');
  assert.deepEqual(actions.map((a) => a.title), ["Add 'expect'"]);
  const expect = documentOf(applied(doc, actions[0]!));
  assert.equal(expect.textDocument.getText(), 'f(x) = x^2\nexpect f(3) == 9');
  assert.deepEqual(expect.analysis.diagnostics, []);
  // g(x), defined nowhere else, could be either: a definition first
  const define = fixesAt('g(x) =|= x + 1\ng(1)');
  assert.deepEqual(define.actions.map((a) => a.title), ["Change '==' to '='", "Add 'expect'"]);
  assert.equal(define.actions.some((a) => a.isPreferred), false);
  assert.equal(applied(define.doc, define.actions[0]!), 'g(x) = x + 1\ng(1)');
  assert.deepEqual(define.doc.analysis.diagnostics.map((d) => d.code), [201], 'read as the definition: g(1) is not an unknown function');
  // f(a), where f is defined on another line, is a comparison: no fix that would define f twice
  const compare = fixesAt('a = 2\nf(x) = x^2\nf(a) =|= 4');
  assert.deepEqual(compare.actions.map((a) => a.title), ["Add 'expect'"]);
  assert.deepEqual(compare.doc.analysis.diagnostics.map((d) => d.code), [201]);
  assert.deepEqual(documentOf(applied(compare.doc, compare.actions[0]!)).analysis.diagnostics, []);
  assert.deepEqual(fixesAt('1 + 1 =|= 2').actions.map((a) => a.title), ["Add 'expect'"]);
  // a built-in name is never being defined: pi == 3.14 is a comparison
  assert.deepEqual(fixesAt('pi =|= 3.14').actions.map((a) => a.title), ["Add 'expect'"]);
  // nor is a name written as a heading on another line
  assert.deepEqual(fixesAt('g(x) == x\ng(x) =|= x + 1').actions.map((a) => a.title), ["Add 'expect'"]);
});

test("renaming σ² renames its uses, but not a function's own parameter of that name squared", () => {
  const { doc, actions } = fixesAt('r|² = 2\narea(r) = pi*r²\nv = 2*r²');
  assert.deepEqual(actions.map((a) => a.title), ['Rename to r2']);
  assert.equal(applied(doc, actions[0]!), 'r2 = 2\narea(r) = pi*r²\nv = 2*r2');
});

test('each of several characters on a line has its own fix', () => {
  const { doc } = fixesAt('3 × 4 × 5|');
  const all = getCodeActions(doc, { start: doc.textDocument.positionAt(0), end: doc.textDocument.positionAt(9) });
  assert.deepEqual(all.map((a) => a.title), ["Change '×' to '*'", "Change '×' to '*'"]);
});

test('an unknown method or option gets its did-you-mean as a quick fix', () => {
  const { doc, actions } = fixesAt('f(x) = (x - 1)^2\nminimize f from [0] by newtn|');
  assert.deepEqual(actions.map((a) => a.title), ["Change to 'newton'"]);
  assert.equal(applied(doc, actions[0]!), 'f(x) = (x - 1)^2\nminimize f from [0] by newton');
  const option = fixesAt('f(x) = (x - 1)^2\nminimize f from [0] by gradient descent with stpe| = 0.1');
  assert.equal(applied(option.doc, option.actions[0]!), 'f(x) = (x - 1)^2\nminimize f from [0] by gradient descent with step = 0.1');
});

test('no quick fix where nothing is wrong, away from the problem, or when the client asks only for other kinds', () => {
  assert.deepEqual(fixesAt('f(x) = x^|2\nf(2)').actions, []);
  assert.deepEqual(fixesAt('a = 1|\nsn(0)').actions, []);
  const { doc, position } = withCursor('s|n(0)');
  assert.deepEqual(getCodeActions(doc, { start: position, end: position }, [CodeActionKind.Refactor]), []);
  assert.equal(getCodeActions(doc, { start: position, end: position }, [CodeActionKind.QuickFix]).length, 1);
  // an unknown name with nothing like it has no fix to offer, only its message
  assert.deepEqual(fixesAt('zzz|(1, 2)').actions, []);
  // a word of prose after an expression ends it: no '*' is offered to make it a factor
  assert.deepEqual(fixesAt('sin(x)| for x').actions, []);
  assert.deepEqual(fixesAt('sin(x) f|or x').actions, []);
});

test('an unknown name in a function body can become a parameter, or the name it is like', () => {
  const { doc, actions } = fixesAt('f(x) = x*|z\nf(2)');
  assert.deepEqual(actions.map((a) => a.title), ["Add 'z' as a parameter of f"]);
  assert.equal(applied(doc, actions[0]!), 'f(x, z) = x*z\nf(2)');
  const near = fixesAt('g(x, rate) = x*|rat');
  assert.deepEqual(near.actions.map((a) => a.title), ["Change to 'rate'", "Add 'rat' as a parameter of g"]);
  assert.equal(near.actions.some((a) => a.isPreferred), false, 'two fixes: neither is preferred');
  assert.equal(applied(near.doc, near.actions[0]!), 'g(x, rate) = x*rate');
  assert.equal(applied(near.doc, near.actions[1]!), 'g(x, rate, rat) = x*rat');
  // one letter is not "like" another: z is not offered as x
  assert.deepEqual(fixesAt('h(x) = |z').actions.map((a) => a.title), ["Add 'z' as a parameter of h"]);
  // a constant that uses a free name can become a function of it; a misspelt one, the name it is like
  const constant = fixesAt('c = 2*|y + 1');
  assert.deepEqual(constant.actions.map((a) => a.title), ['Make c a function of y']);
  assert.equal(applied(constant.doc, constant.actions[0]!), 'c(y) = 2*y + 1');
  // of all the names it uses, in the order they come, from each of them
  for (const marked of ['c = y + |x*y', 'c = |y + x*y', 'c = y + x*|y']) {
    const both = fixesAt(marked);
    assert.deepEqual(both.actions.map((a) => a.title), ['Make c a function of y and x'], marked);
    const made = applied(both.doc, both.actions[0]!);
    assert.equal(made, 'c(y, x) = y + x*y');
    assert.deepEqual(documentOf(made).analysis.diagnostics, []);
  }
  assert.match(fixesAt('c = y + |x').doc.analysis.diagnostics[0]!.message, /to depend on y and x, define a function instead, as in c\(y, x\) = …/);
  // not when c is used elsewhere: every use would then need an argument
  assert.deepEqual(fixesAt('c = 2*|y\nd = c + 1').actions, []);
  const misspelt = fixesAt('a = 2\nb = 3*|aa');
  assert.deepEqual(misspelt.actions.map((a) => a.title), ["Change to 'a'", 'Make b a function of aa']);
  assert.equal(applied(misspelt.doc, misspelt.actions[0]!), 'a = 2\nb = 3*a');
  // a heading without parameters, where the bracket may stand apart from the name: no edit is guessed
  assert.deepEqual(fixesAt('g () = |w').actions, []);
});
