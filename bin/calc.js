#!/usr/bin/env node
// The `calc` command: runs the bundled CLI, building it first if `npm install` skipped the build.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'server', 'cli.js');
if (!existsSync(bundle)) {
  require('node:child_process').execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
process.exitCode = require(bundle).main(process.argv.slice(2));
