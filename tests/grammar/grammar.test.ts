// Runs vscode-tmgrammar-test (the tool VS Code grammar authors use) on the annotated .calc files in cases/,
// so grammar regressions count under node's test runner. Each `^` line in a case asserts the scopes VS Code
// would give the characters above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTINS } from '../../server/src/core/semantics/builtins';
import { KEYWORDS, STATEMENT_KEYWORDS } from '../../server/src/core/syntax/parser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = join(root, 'tests', 'grammar', 'cases');
const grammar = join(root, 'syntaxes', 'calc.tmLanguage.json');
const tool = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

/** Runs the tool on one annotated file; returns its output when an assertion fails. */
function runTool(file: string): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [tool, '--compact', '-g', grammar, relative(root, file)], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { ok: r.error === undefined && r.status === 0 && /run successfu/.test(r.stdout), output: `${r.stdout}\n${r.stderr}\n${String(r.error ?? '')}` };
}

for (const file of readdirSync(cases).filter((f) => f.endsWith('.calc')).sort()) {
  const description = /SYNTAX TEST "source\.calc" "([^"]+)"/.exec(readFileSync(join(cases, file), 'utf8'))?.[1] ?? file;
  test(`the grammar scopes ${description} as the annotations in ${file} say`, () => {
    const r = runTool(join(cases, file));
    assert.ok(r.ok, r.output);
  });
}

test('every reserved word of the parser and every built-in of the semantics table is scoped as such', () => {
  // The language's own tables are the reference: a word added there and forgotten here fails this test.
  const statements = new Set<string>(STATEMENT_KEYWORDS);
  const expected = new Map<string, string>();
  for (const word of KEYWORDS) expected.set(word, statements.has(word) ? 'keyword.control.calc' : 'keyword.other.calc');
  for (const [name, b] of BUILTINS) {
    if (KEYWORDS.has(name)) continue; // `taylor` is a statement first
    expected.set(name, b.kind === 'constant' ? 'constant.language.calc' : b.kind === 'operator' ? 'support.function.calculus.calc' : 'support.function.calc');
  }
  // Each word alone on a line after one space, asserted character by character from column 1.
  const lines = ['# SYNTAX TEST "source.calc" "the language tables"'];
  for (const [word, scope] of expected) lines.push(` ${word}`, `#${'^'.repeat(word.length)} ${scope}`);
  const dir = mkdtempSync(join(tmpdir(), 'calc-grammar-'));
  try {
    const file = join(dir, 'tables.calc');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = runTool(file);
    assert.ok(r.ok, r.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the language configuration parses and its word pattern keeps primes and non-ASCII names whole', () => {
  const config = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string };
    brackets: [string, string][];
    wordPattern: { pattern: string; flags: string };
  };
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['(', ')'], ['[', ']'], ['{', '}']]);
  // VS Code adds the `g` flag to word patterns, as we do here.
  const word = new RegExp(config.wordPattern.pattern, `${config.wordPattern.flags}g`);
  const words = "h''(x) + θ_1*grad(f) - 2.5".match(word);
  assert.deepEqual(words, ["h''", 'x', 'θ_1', 'grad', 'f', '2.5']);
});

test('package.json contributes the calc language with this grammar and configuration', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: {
      languages: { id: string; extensions: string[]; configuration: string }[];
      grammars: { language: string; scopeName: string; path: string }[];
    };
  };
  const language = pkg.contributes.languages.find((l) => l.id === 'calc');
  assert.ok(language, 'no calc language');
  assert.deepEqual(language.extensions, ['.calc']);
  assert.equal(join(root, language.configuration), join(root, 'language-configuration.json'));
  const g = pkg.contributes.grammars.find((x) => x.language === 'calc');
  assert.ok(g, 'no calc grammar');
  assert.equal(join(root, g.path), grammar);
  assert.equal((JSON.parse(readFileSync(grammar, 'utf8')) as { scopeName: string }).scopeName, g.scopeName);
});
