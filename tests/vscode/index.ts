// The extension-host side of the desktop suite: VS Code loads this bundle (out/vscode-tests/index.js) inside
// its extension host and calls `run`. Mocha is bundled in, so the suite does not depend on how the editor's
// Node loads mocha's ES modules.
import Mocha from 'mocha';
import { defineScenarios } from './scenarios';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 120_000 });
  // What mocha does before it loads a spec file: put suite/test/suiteSetup on the global object.
  mocha.suite.emit('pre-require', globalThis, 'scenarios', mocha);
  defineScenarios();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} desktop test(s) failed`)) : resolve()));
  });
}
