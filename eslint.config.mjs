// ESLint: TypeScript rules, and the layers of STYLE.md enforced as import restrictions,
// so that a wrong import fails lint rather than review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const editorModules = ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*',
  'vscode-languageserver-types', 'vscode-languageserver-textdocument', 'vscode-languageserver-protocol'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'test-output/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Custom protocol entries are declared once, each a namespace with a literal method (STYLE.md).
    files: ['protocol/**/*.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    // The analysis core: text and numbers only. No editor libraries, no file system (it runs in browsers too).
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...editorModules, 'node:*', 'fs', 'path', 'child_process'], message: 'The analysis core imports no editor or Node modules (STYLE.md).' },
        { group: ['**/service/**', '**/server', '**/cli', '**/node/**', '**/client/**', '**/media/**'], message: 'The core does not import the layers above it.' },
      ] }],
    },
  },
  {
    // The language service: LSP types and text documents only.
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'The language service may import vscode-languageserver-types and -textdocument, nothing heavier (STYLE.md).' },
        { group: ['**/client/**', '**/media/**'], message: 'The service does not import the client or the webview.' },
      ] }],
    },
  },
  {
    // The webview draws; it does no mathematics and knows nothing of the server.
    files: ['media/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/server/**', 'mathjs', ...editorModules], message: 'The webview only draws what it is sent (STYLE.md).' },
      ] }],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/server/**', 'mathjs'], message: 'The client holds no math: it talks to the server through protocol/.' },
      ] }],
    },
  },
);
