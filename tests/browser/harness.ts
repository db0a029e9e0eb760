/**
 * Loads the plot panel's page (the HTML from media/html.ts, the bundled dist/media/main.js
 * and styles) in real headless Chromium through playwright-core, with a stub
 * `acquireVsCodeApi` standing in for VS Code. The page is served from a made-up https
 * origin by request interception, so the CSP is enforced as in the editor and nothing
 * touches the network.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildPlotHtml, PLOT_ASSETS } from '../../media/html';
import type { ExtensionToWebview, PlotData, WebviewToExtension } from '../../protocol/plot';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MEDIA = join(ROOT, 'dist', 'media');
export const OUTPUT = join(ROOT, 'test-output', 'browser');
const CHROMIUM = process.env.CALC_CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium tries the network and fails.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ORIGIN = 'https://calc-webview.test';

const MIME: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
};

/** VS Code's default theme colours (Light+, Dark+, High Contrast), as it sets them on <body>. */
export const THEMES = {
  light: { class: 'vscode-light', vars: { '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171', '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace', '--vscode-editor-font-size': '13px', '--vscode-font-family': 'system-ui, "DejaVu Sans", sans-serif', '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b' } },
  dark: { class: 'vscode-dark', vars: { '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace', '--vscode-editor-font-size': '13px', '--vscode-font-family': 'system-ui, "DejaVu Sans", sans-serif', '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc' } },
  'high-contrast': { class: 'vscode-high-contrast', vars: { '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-descriptionForeground': '#ffffff', '--vscode-contrastBorder': '#6fc3df', '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace', '--vscode-editor-font-size': '13px', '--vscode-font-family': 'system-ui, "DejaVu Sans", sans-serif', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df' } },
} as const;
export type ThemeName = keyof typeof THEMES;

/** Fails (never skips) when the browser or the bundle is missing, saying how to get them. */
export function requirements(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get install chromium\` (scripts/setup-system.sh does).`);
  }
  if (!existsSync(join(MEDIA, PLOT_ASSETS.script))) {
    throw new Error('dist/media/main.js is missing: build first with `node scripts/build.mjs` (npm test does).');
  }
}

export interface TraceSummary { type: string; mode?: string; name?: string; points: number; xaxis?: string; yaxis?: string }
export interface Drawn {
  traces: TraceSummary[];
  axes: Record<string, { range: [number, number]; type: string }>;
  has3d: boolean;
  katex: number;
  title: string;
  tableRows: number;
}

export class Panel {
  readonly errors: string[] = [];
  private drawnCount = 0;
  private constructor(readonly browser: Browser, readonly page: Page) {}

  /** Opens the page as the extension would show it, in a theme. */
  static async open(theme: ThemeName = 'light', size = { width: 900, height: 760 }): Promise<Panel> {
    requirements();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    const page = await browser.newPage({ viewport: size, deviceScaleFactor: 1 });
    const panel = new Panel(browser, page);
    page.on('console', (m) => { if (m.type() === 'error') panel.errors.push(m.text()); });
    page.on('pageerror', (e) => panel.errors.push(`pageerror: ${e.stack ?? e.message}`));
    const nonce = randomBytes(18).toString('base64');
    const html = buildPlotHtml({
      cspSource: ORIGIN, nonce,
      scriptUri: `${ORIGIN}/media/${PLOT_ASSETS.script}`,
      styleUris: PLOT_ASSETS.styles.map((s) => `${ORIGIN}/media/${s}`),
    });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
      const file = normalize(join(MEDIA, decodeURIComponent(path.replace(/^\/media\//, ''))));
      if (!file.startsWith(MEDIA + sep) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, contentType: MIME[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
    // Anything else would be remote content: refuse it, and let the test see the attempt.
    await page.route((url) => !url.href.startsWith(ORIGIN) && !url.href.startsWith('data:') && !url.href.startsWith('blob:'), (route) => {
      panel.errors.push(`remote request: ${route.request().url()}`);
      return route.abort();
    });
    const t = THEMES[theme];
    // The stub VS Code API, and the theme as VS Code sets it (variables on <html>, classes on <body>) (through the CSSOM,
    // which the page's CSP allows, as VS Code itself does).
    // tsx compiles this file with esbuild's keepNames, which wraps named functions in calls
    // to a `__name` helper that does not exist in the page: give the page a no-op one.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.addInitScript(({ cls, vars }) => {
      const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
      w.__posted = [];
      w.__state = undefined;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => { w.__posted.push(m); },
        getState: () => w.__state,
        setState: (s: unknown) => { w.__state = s; },
      });
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.add(cls);
      });
    }, { cls: t.class, vars: t.vars as Record<string, string> });
    await page.goto(`${ORIGIN}/index.html`);
    try {
      await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 20_000 });
    } catch (e) {
      await browser.close();
      throw new Error(`the page never said it was ready; console errors: ${JSON.stringify(panel.errors)}`, { cause: e });
    }
    return panel;
  }

  /** Posts a message as the extension would, and waits until the page reports it drawn. */
  async show(plot: PlotData, uri = 'file:///work/example.calc', line = 0): Promise<WebviewToExtension & { type: 'drawn' }> {
    const msg: ExtensionToWebview = { type: 'plot', uri, version: 1, line, plot };
    const want = ++this.drawnCount;
    await this.page.evaluate((m) => window.postMessage(m, '*'), msg);
    await this.page.waitForFunction((n) => Number(document.body.dataset.drawn ?? 0) >= n, want, { timeout: 30_000 });
    const posted = await this.posted();
    const drawn = posted.filter((m): m is WebviewToExtension & { type: 'drawn' } => m.type === 'drawn').pop();
    if (!drawn) throw new Error(`the page drew but did not report it; it posted ${JSON.stringify(posted)}`);
    const problems = posted.filter((m) => m.type === 'error');
    if (problems.length) throw new Error(`the page reported: ${JSON.stringify(problems)}`);
    return drawn;
  }

  async posted(): Promise<WebviewToExtension[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: WebviewToExtension[] }).__posted);
  }

  /** Clicks a toolbar button by its label and waits for the redraw. */
  async toggle(label: string): Promise<void> {
    const before = Number(await this.page.evaluate(() => document.body.dataset.drawn ?? 0));
    await this.page.getByRole('button', { name: label }).click();
    this.drawnCount = before + 1;
    await this.page.waitForFunction((n) => Number(document.body.dataset.drawn ?? 0) >= n, before + 1);
  }

  /** What plotly drew: trace types and sizes, axis ranges, and the KaTeX in the header. */
  async drawn(): Promise<Drawn> {
    return this.page.evaluate(() => {
      type Trace = { type?: string; mode?: string; name?: string; x?: unknown[]; z?: unknown[]; xaxis?: string; yaxis?: string };
      const gd = document.getElementById('plot') as unknown as { _fullData: Trace[]; _fullLayout: Record<string, unknown> };
      const axes: Record<string, { range: [number, number]; type: string }> = {};
      for (const [k, v] of Object.entries(gd._fullLayout)) {
        if (/^[xy]axis\d*$/.test(k) && v && typeof v === 'object' && 'range' in v) {
          // `_rl` is the range plotly actually drew with; `range` can keep its default when
          // autorange is set explicitly.
          const a = v as { range: [number, number]; _rl?: [number, number]; type: string };
          const r = a._rl ?? a.range;
          axes[k] = { range: [Number(r[0]), Number(r[1])], type: a.type };
        }
      }
      return {
        traces: gd._fullData.map((t) => ({ type: t.type ?? '', mode: t.mode, name: t.name, points: (t.x ?? t.z ?? []).length, xaxis: t.xaxis, yaxis: t.yaxis })),
        axes,
        has3d: Boolean(document.querySelector('#plot .gl-container canvas')),
        katex: document.querySelectorAll('#formulas .katex').length,
        title: document.getElementById('title')?.textContent ?? '',
        tableRows: document.querySelectorAll('#table tbody tr').length,
      };
    });
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(OUTPUT, { recursive: true });
    const path = join(OUTPUT, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
