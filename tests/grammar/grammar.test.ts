// Runs vscode-tmgrammar-test (the tool VS Code grammar authors use) on the annotated .calc files in cases/,
// so grammar regressions count under node's test runner. Each `^` line in a case asserts the scopes VS Code
// would give the characters above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = join(root, 'tests', 'grammar', 'cases');
const grammar = join(root, 'syntaxes', 'calc.tmLanguage.json');
const tool = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

for (const file of readdirSync(cases).filter((f) => f.endsWith('.calc')).sort()) {
  const description = /SYNTAX TEST "source\.calc" "([^"]+)"/.exec(readFileSync(join(cases, file), 'utf8'))?.[1] ?? file;
  test(`the grammar scopes ${description} as the annotations in ${file} say`, () => {
    const r = spawnSync(process.execPath, [tool, '--compact', '-g', grammar, relative(root, join(cases, file))], {
      cwd: root, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /run successfu/);
  });
}

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
