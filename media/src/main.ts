/**
 * The plot panel's page. It receives PlotData from the extension, typesets the header and
 * the table with KaTeX and hands a figure to plotly; it computes nothing mathematical.
 * Every message it sends is validated by the extension (protocol/plot.ts).
 */
// First: lets plotly's own <style> elements through the CSP (see csp.ts).
import './csp';
import katex from 'katex';
import Plotly from 'plotly.js-dist-min';
import type { ExtensionToWebview, PlotData, PlotPanelState, Table, WebviewToExtension } from '../../protocol/plot';
import type { ViewOptions } from './plots/figure';
import { figureFor } from './plots/index';
import { readTheme } from './theme';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: PlotPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
};
const plotDiv = $('plot'), formulas = $('formulas'), titleEl = $('title'), notesEl = $('notes');
const tableEl = $('table'), statusEl = $('status'), toolbar = $('toolbar');

const options: ViewOptions = { view3d: false, arrows: true };
let current: { plot: PlotData; version: number | null } | undefined;
let drawing = Promise.resolve();
/** The kind and view of the figure on screen. */
let figureKey = '';

function post(message: WebviewToExtension): void {
  vscode.postMessage(message);
}

function tex(latex: string, into: HTMLElement, displayMode: boolean): void {
  // KaTeX builds DOM nodes and sets styles through the CSSOM, which the CSP allows.
  katex.render(latex, into, { displayMode, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore', trust: false, maxExpand: 200, maxSize: 50 });
}

function renderHeader(plot: PlotData): void {
  titleEl.textContent = plot.title;
  document.title = plot.title;
  formulas.replaceChildren(...plot.latex.map((line) => {
    const div = document.createElement('div');
    div.className = 'formula';
    tex(line, div, true);
    return div;
  }));
  notesEl.replaceChildren(...(plot.notes ?? []).map((n) => {
    const p = document.createElement('p');
    p.textContent = n;
    return p;
  }));
}

function renderTable(table: Table | undefined): void {
  if (!table) { tableEl.replaceChildren(); return; }
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const c of table.columns) { const th = document.createElement('th'); tex(c, th, false); head.appendChild(th); }
  const body = t.createTBody();
  for (const row of table.rows) {
    const tr = body.insertRow();
    for (const cell of row) tex(cell, tr.insertCell(), false);
  }
  tableEl.replaceChildren(t);
}

function renderToolbar(plot: PlotData): void {
  const buttons: HTMLButtonElement[] = [];
  const toggle = (label: string, key: keyof ViewOptions, enabled: boolean) => {
    const b = document.createElement('button');
    b.textContent = label;
    b.setAttribute('aria-pressed', String(options[key]));
    b.disabled = !enabled;
    b.addEventListener('click', () => {
      options[key] = !options[key];
      if (current) void draw(current.plot, current.version, performance.now(), false);
    });
    buttons.push(b);
  };
  if (plot.kind === 'surface') {
    toggle('3-D surface', 'view3d', true);
    toggle('Gradient arrows', 'arrows', Boolean(plot.gradient) && !options.view3d);
  }
  if (plot.kind === 'taylor-surface') toggle('3-D surfaces', 'view3d', true);
  toolbar.replaceChildren(...buttons);
}

const plotlyConfig = {
  responsive: true,
  displaylogo: false,
  scrollZoom: true,
  toImageButtonOptions: { format: 'png' as const, scale: 2 },
  modeBarButtonsToAdd: [{
    name: 'svg',
    title: 'Download plot as SVG',
    icon: Plotly.Icons.camera,
    click: (gd: HTMLElement) => { void Plotly.downloadImage(gd, { format: 'svg', filename: current?.plot.title ?? 'plot', width: gd.clientWidth, height: gd.clientHeight }); },
  }],
};

/** Draws a plot; `t0` is when its message arrived, for the latency report. */
function draw(plot: PlotData, version: number | null, t0: number, report: boolean): Promise<void> {
  // Serialise draws: plotly.react must not interleave with itself.
  drawing = drawing.then(async () => {
    try {
      renderHeader(plot);
      renderTable(plot.table);
      renderToolbar(plot);
      const fig = figureFor(plot, { theme: readTheme(), options });
      plotDiv.setAttribute('aria-label', plot.title);
      // react() patches the previous figure, which is what edits want (same kind, same axes);
      // with another kind of plot its leftover axis state can defeat autoscaling, so start afresh.
      const key = `${plot.kind}/${options.view3d}`;
      if (key === figureKey) await Plotly.react(plotDiv, fig.data, fig.layout, plotlyConfig as never);
      else await Plotly.newPlot(plotDiv, fig.data, fig.layout, plotlyConfig as never);
      figureKey = key;
      // Wait for the frame that shows it.
      await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const ms = performance.now() - t0;
      document.body.dataset.kind = plot.kind;
      document.body.dataset.drawn = String(Number(document.body.dataset.drawn ?? '0') + 1);
      if (report) post({ type: 'drawn', kind: plot.kind, version, ms: Math.round(ms * 10) / 10 });
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
  return drawing;
}

function showStatus(severity: 'info' | 'error', text: string): void {
  statusEl.textContent = text;
  statusEl.className = severity;
  // Keep the last good plot while the document is being edited, but mark it stale.
  document.body.classList.toggle('stale', Boolean(current));
  if (!current) titleEl.textContent = '';
}

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const t0 = performance.now();
  const msg = event.data;
  if (!msg || typeof msg !== 'object') return;
  switch (msg.type) {
    case 'plot':
      current = { plot: msg.plot, version: msg.version };
      statusEl.textContent = '';
      statusEl.className = '';
      document.body.classList.remove('stale');
      vscode.setState({ uri: msg.uri, line: msg.line });
      void draw(msg.plot, msg.version, t0, true);
      break;
    case 'status':
      // Remembered too, so that a panel showing only a message still comes back after a reload.
      vscode.setState({ uri: msg.uri, line: msg.line });
      showStatus(msg.severity, msg.text);
      break;
  }
});

// A theme switch changes the body's vscode-* classes: redraw in the new colours. (Our own
// class changes, and classList calls that change nothing, also notify: ignore them.)
const themeOf = () => Array.from(document.body.classList).filter((c) => c.startsWith('vscode-')).sort().join(' ');
let theme = themeOf();
new MutationObserver(() => {
  const now = themeOf();
  if (now === theme) return;
  theme = now;
  if (current) void draw(current.plot, current.version, performance.now(), false);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('error', (e) => post({ type: 'error', message: String(e.message) }));
post({ type: 'ready' });
