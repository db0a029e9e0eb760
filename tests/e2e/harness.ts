// The end-to-end harness: code-server (VS Code served to a browser) with the packaged .vsix installed into a
// fresh extensions folder, driven through Chromium by playwright-core. Every wait is on something the page
// shows (a selector, a text); none is a fixed sleep.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputDir = join(root, 'test-output', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags the plot issue settled on: no sandbox (root in CI), no GPU, and nothing that reaches the network.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Generous waits: a cold code-server on a shared two-core machine takes tens of seconds to show a workbench. */
export const LONG = 90_000;
export const MEDIUM = 30_000;

function run(cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? root, encoding: 'utf8', timeout: opts.timeout ?? 600_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The folder holding node_modules/code-server, installed and cached by scripts/e2e-setup.sh. */
export function codeServerHome(): string {
  for (const tool of [CHROMIUM, '/usr/bin/rg']) {
    if (!existsSync(tool)) throw new Error(`${tool} is missing: run scripts/setup-system.sh`);
  }
  const lines = run('bash', [join(root, 'scripts', 'e2e-setup.sh')], { timeout: 20 * 60_000 }).trim().split('\n');
  return lines[lines.length - 1]!;
}

/** Builds the production .vsix with `npm run package` (or takes CALC_E2E_VSIX) and returns its path. */
export function packageVsix(): string {
  if (process.env.CALC_E2E_VSIX) return resolve(process.env.CALC_E2E_VSIX);
  run('npm', ['run', 'package', '--silent'], { timeout: 5 * 60_000 });
  const vsix = join(root, 'calc-worksheets.vsix');
  if (!existsSync(vsix)) throw new Error('npm run package made no calc-worksheets.vsix');
  return vsix;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** User settings that keep the workbench quiet and deterministic: no trust prompt, no welcome page, no tips. */
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'editor.minimap.enabled': false,
  'editor.codeLens': true,
  'editor.inlayHints.enabled': 'on',
  'editor.hover.delay': 200,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.acceptSuggestionOnEnter': 'on',
  'files.autoSave': 'off',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface Session {
  page: Page;
  workspace: string;
  /** Saves test-output/e2e/NN-name.png, numbered in the order taken. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Installs `vsix` into a fresh extensions folder, starts code-server on a free port with `workspace` open and
 * a fresh Chromium page on it, and waits until the workbench is shown.
 */
export async function startSession(vsix: string, workspace: string): Promise<Session> {
  const home = codeServerHome();
  const entry = join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const base = mkdtempSync(join(tmpdir(), 'calc-e2e-'));
  const userData = join(base, 'user-data');
  const extensions = join(base, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', join(base, 'config.yaml')];
  const installed = run(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { cwd: base, timeout: 120_000 });
  if (!/successfully installed/i.test(installed)) throw new Error(`the .vsix did not install:\n${installed}`);

  const port = await freePort();
  const server = spawn(process.execPath, [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace],
  { cwd: base, env: { ...process.env, HOME: base, XDG_CONFIG_HOME: join(base, 'config'), XDG_DATA_HOME: join(base, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${log.join('')}`)), LONG);
    const onData = (chunk: Buffer): void => {
      log.push(chunk.toString());
      if (/HTTP server listening on/.test(log.join(''))) { clearTimeout(timer); resolve(); }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited with ${code}:\n${log.join('')}`)); });
  });

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    page.setDefaultTimeout(MEDIUM);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: LONG });
    // The explorer lists the workspace once the remote file system answers: the workbench is ready for input.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: LONG });
    mkdirSync(outputDir, { recursive: true });
    let shot = 0;
    return {
      page,
      workspace,
      screenshot: async (name) => {
        shot += 1;
        await page.screenshot({ path: join(outputDir, `${String(shot).padStart(2, '0')}-${name}.png`) });
      },
      close: async () => {
        await browser?.close();
        await stop(server);
        rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close();
    await stop(server);
    throw new Error(`${String(err)}\ncode-server log:\n${log.join('')}`);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A fresh workspace: every example and every e2e fixture, copied so that edits never touch the repository. */
export function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'calc-e2e-ws-'));
  for (const from of [join(root, 'examples'), join(root, 'tests', 'e2e', 'fixtures')]) {
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) cpSync(join(from, name), join(dir, name), { recursive: true });
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
// Workbench actions, each ending in a wait on what the page shows.
// ---------------------------------------------------------------------------------------------------------

/** The quick input's text box (command palette, quick open, go to line). */
function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** Runs a command by its title from the command palette, e.g. `runCommand(page, 'View: Focus Problems')`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Enter picks the focused row: wait until the list has been filtered down to the command.
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Opens a workspace file through Quick Open and waits for its editor to be the active one. */
export async function openFile(page: Page, name: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible' });
  const editor = activeEditor(page);
  await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible' });
  return editor;
}

/** The active text editor's Monaco element. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/** Gives the active editor keyboard focus (clicking its tab does, wherever the editor has scrolled). */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-group-container.active .tab.active').click();
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ state: 'visible' });
}

/** Moves the cursor to a 1-based line and column with "Go to Line/Column". */
export async function gotoPosition(page: Page, line: number, column: number): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  // Go to Line is Quick Open with the `:` prefix; filling the box replaces the prefix, so write it again.
  await input.fill(`:${line}:${column}`);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ state: 'visible' });
}

/**
 * The TextMate scopes at a position, read from "Developer: Inspect Editor Tokens and Scopes" (innermost first,
 * as VS Code lists them).
 */
export async function scopesAt(page: Page, line: number, column: number): Promise<string[]> {
  await gotoPosition(page, line, column);
  await runCommand(page, 'Developer: Inspect Editor Tokens and Scopes');
  const widget = page.locator('.token-inspect-widget');
  await widget.waitFor({ state: 'visible' });
  // The widget also lists the theme rules a semantic token matched; the TextMate scopes have their own row.
  const scopes = widget.locator('tr', { has: page.locator('td.tiw-metadata-key', { hasText: 'textmate scopes' }) })
    .locator('td.tiw-metadata-value');
  await scopes.waitFor({ state: 'visible' });
  const text = await scopes.innerText();
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden' });
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * The Problems panel's rows for one file, as shown: each row's text includes "[Ln N, Col M]". The panel is a
 * tree (a file row at level 1, its problems at level 2 under it), so rows are grouped by the file row above.
 */
export async function problemRows(page: Page, file: string, expected: number): Promise<string[]> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  // The function returns the rows once there are enough; waitForFunction hands back that value.
  const rows = await page.waitForFunction(({ f, n }) => {
    const out: string[] = [];
    let current = '';
    for (const row of Array.from(document.querySelectorAll('.markers-panel .monaco-list-row'))) {
      const text = (row as HTMLElement).innerText;
      if (row.getAttribute('aria-level') === '1') current = text.split('\n')[0]!.trim();
      else if (current === f) out.push(text);
    }
    return out.length >= n ? out : false;
  }, { f: file, n: expected }, { timeout: LONG });
  return (await rows.jsonValue()) as string[];
}

/** Finds a frame by a predicate, waiting until one appears (webviews nest an iframe inside an iframe). */
export async function waitForFrame(page: Page, test: (f: Frame) => Promise<boolean>, timeout = LONG): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      if (await test(f).catch(() => false)) return f;
    }
    if (Date.now() > deadline) throw new Error('no frame matched');
    await page.waitForEvent('frameattached', { timeout: Math.max(1, Math.min(2_000, deadline - Date.now())) }).catch(() => undefined);
  }
}

/** The visible text of an output channel (e.g. "Calc", where the client and the server log). */
export async function outputChannelText(page: Page, channel: string): Promise<string> {
  // The command opens a second pick list (the channels) in the same quick input, so it is not `runCommand`.
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill('>Output: Show Output Channels...');
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Show Output Channels' }).waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: channel }).first().waitFor({ state: 'visible' });
  await input.fill(channel);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: channel }).waitFor({ state: 'visible' });
  await input.press('Enter');
  const lines = page.locator('.panel .output-view .view-lines');
  await lines.waitFor({ state: 'visible' });
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Runs one scenario step; on failure saves a screenshot named after it and appends the "Calc" output channel
 * to the error, so that a failure in CI explains itself.
 */
export async function step<T>(session: Session, name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    await session.screenshot(`FAILED-${name}`).catch(() => undefined);
    await session.page.keyboard.press('Escape').catch(() => undefined);
    const log = await outputChannelText(session.page, 'Calc').catch((e: unknown) => `(no output channel: ${String(e)})`);
    if (err instanceof Error) err.message += `\n--- Calc output channel ---\n${log}`;
    throw err;
  }
}
