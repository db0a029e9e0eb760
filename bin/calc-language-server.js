#!/usr/bin/env node
// The Calc language server for any LSP client: `npx calc-language-server --stdio`.
// The server is bundled by `npm install` (the `prepare` script runs scripts/build.mjs).
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'server', 'server.js');
let server;
try {
  server = require(bundle);
} catch (e) {
  process.stderr.write(`calc-language-server: cannot load ${bundle} (${e && e.message}). Run \`npm run build\` first.\n`);
  process.exit(1);
}
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.argv.push('--stdio');
}
server.main();
