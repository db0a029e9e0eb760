/**
 * The plot panel's protocol, declared once and shared by the server (which computes
 * every sample), the client (which owns the panel) and the webview (which only draws).
 *
 *   server --calc/plotData--> client --ExtensionToWebview--> webview
 *   webview --WebviewToExtension--> client   (validated with parseWebviewMessage)
 *
 * Everything here is plain JSON data: no functions, no class instances, so it crosses
 * both the LSP connection and the webview's postMessage unchanged. A `null` sample is a
 * gap (a pole, a point outside the domain, a non-finite value): drawers break the line
 * there instead of joining across it.
 *
 * This module imports nothing, so the webview bundle can import it without pulling in
 * the language-server libraries.
 */

// ---------------------------------------------------------------------------------------
// PlotData: what is drawn. One interface per plot kind; a new kind is one more member of
// the union, one more builder in server/src/core/plot/ and one more drawer in media/src/plots/.
// ---------------------------------------------------------------------------------------

/** A sample value; `null` marks a gap. */
export type Sample = number | null;

/** A closed interval `[low, high]` with low < high. */
export type Interval = [number, number];

/** One sampled curve y(x). `x` and `y` have equal length; `y[i] === null` is a gap. */
export interface Series {
  /** Plain-text name for the legend and hover ("f(x)", "f'(x)", "T₂"). */
  name: string;
  x: number[];
  y: Sample[];
}

/**
 * Many numbers in little room: little-endian IEEE-754 floats of `dtype` ('f32', single
 * precision, 7 significant digits; 'f64' when a value lies beyond single precision's range),
 * base64-encoded; NaN is a gap. A 200 × 200 grid is 213 KB this way instead of 780 KB of JSON
 * numbers, and decoding it is a byte copy, not a parse. Build with `pack`, read with `unpack`.
 */
export interface Packed {
  dtype: 'f32' | 'f64';
  length: number;
  base64: string;
}

/**
 * Level curves f = c of a sampled function, found by the server (marching squares on its
 * grid): polylines whose points are `(x[k], y[k])`, one line after another with NaN between.
 */
export interface LevelCurves {
  /** The levels c, ascending. */
  levels: number[];
  x: Packed;
  y: Packed;
}

/**
 * A function sampled on a rectangular grid: the value at `(x[i], y[j])` is
 * `unpack(z)[j * x.length + i]` (row by row, plotly's layout), NaN a gap.
 */
export interface Grid {
  x: number[];
  y: number[];
  z: Packed;
  /** Evenly spaced level curves across the grid's values: the contour lines of a contour map. */
  contours?: LevelCurves;
  /**
   * The values the colours span, when a pole or a spike makes the full range useless (values
   * beyond it take the end colours); absent: the full range.
   */
  zRange?: Interval;
}

/** A LaTeX table typeset by KaTeX: every header and cell is a LaTeX fragment. */
export interface Table {
  columns: string[];
  rows: string[][];
}

/** What every plot carries: a header typeset by KaTeX and an optional table under the plot. */
export interface PlotBase {
  /** Short plain-text title (the panel's tab and the accessible name of the plot). */
  title: string;
  /** Display-mode LaTeX lines for the header, e.g. `f(x) = x^{2}`, `f'(x) = 2x`. */
  latex: string[];
  /** A table of results (parameters, candidates, iterates), cells in LaTeX. */
  table?: Table;
  /** Plain-text notes shown under the header (e.g. "did not converge after 200 iterations"). */
  notes?: string[];
}

/** The tangent y = y0 + slope·(x − x0), drawn as the segment `line` across the plot. */
export interface Tangent {
  x0: number;
  y0: number;
  slope: number;
  line: Series;
}

/** `plot f(x), g(x) over x in [a, b]` and one-variable function definitions. */
export interface CurvePlot extends PlotBase {
  kind: 'curve';
  variable: string;
  xRange: Interval;
  /** A y-range that keeps poles from flattening the rest of the curve; absent: automatic. */
  yRange?: Interval;
  /** The curves themselves. */
  curves: Series[];
  /** Derivative curves, drawn dashed in the colour of their function. */
  derivatives?: Series[];
  /** Whether the derivatives show at first (else they wait in the legend, a click away). */
  derivativesVisible?: boolean;
  /**
   * Tangent lines to the first curve at points along it; the panel shows one at a time and a
   * slider moves it (plotly restyles to the precomputed line: the page computes nothing).
   */
  tangents?: Tangent[];
  /** Which of `tangents` shows first. */
  tangentIndex?: number;
}

/** A two-variable function: contour map over a heat map, with a toggle to a 3-D surface. */
export interface SurfacePlot extends PlotBase {
  kind: 'surface';
  variables: [string, string];
  /** What the height is, for the 3-D view's z-axis: `f(x, y)`. */
  zLabel?: string;
  grid: Grid;
  /** Gradient arrows: at `(x[i], y[i])` the arrow `(u[i], v[i])`, already scaled for display. */
  gradient?: { x: number[]; y: number[]; u: number[]; v: number[] };
  /** Which view opens first; the panel's toggle switches between them. */
  view?: '2d' | '3d';
}

/** One iterate of an optimiser or of Newton-Raphson. */
export interface Iterate {
  /** The point (its length is the problem's dimension). */
  point: number[];
  /** The objective (or, for root, the function) at the point. */
  value: number;
  /** |∇f| at the point, when known. */
  gradNorm?: number | null;
  /** The iteration that produced it, when a long path was thinned (else its index in the path). */
  iteration?: number;
}

/** `minimize` / `maximize` (unconstrained): the numbered path of iterates and the convergence. */
export interface OptimizePlot extends PlotBase {
  kind: 'optimize';
  goal: 'minimize' | 'maximize';
  method: string;
  variables: string[];
  /** The background the path is drawn on: the curve (1-D), the contour map (2-D), none (3-D and up). */
  curve?: Series;
  grid?: Grid;
  path: Iterate[];
  /** Which iterates carry their number k on the map: spread out, so labels do not pile up at the optimum. */
  labels?: number[];
  converged: boolean;
  /** Convergence panel, log scale: |f(x_k) − f*| and |∇f(x_k)| against k. */
  convergence: { iteration: number[]; gap: Sample[]; gradNorm: Sample[] };
}

/** `root ... near x0` in one variable: Newton-Raphson's tangent steps on the curve. */
export interface RootPlot extends PlotBase {
  kind: 'root';
  variable: string;
  curve: Series;
  /** Step k goes from (x_k, f(x_k)) down the tangent to (x_{k+1}, 0). */
  steps: { x: number; fx: number; next: number }[];
  root: number | null;
  converged: boolean;
  yRange?: Interval;
}

/**
 * `root F near [x0, y0]` for a system of two equations in two unknowns: the zero curve of
 * each equation, F₁ = 0 and F₂ = 0, whose crossings are the roots, and Newton's numbered path.
 */
export interface SystemRootPlot extends PlotBase {
  kind: 'system';
  variables: [string, string];
  xRange: Interval;
  yRange: Interval;
  /** The curve F_i(x, y) = 0 of each equation, in order; `name` is plain text ("x^2 - y^2 - 1 = 0"). */
  curves: (LevelCurves & { name: string })[];
  /** x_0, x_1, … with ‖F(x_k)‖ as the value. */
  path: Iterate[];
  /** Which iterates carry their number k (spread out, as for minimize). */
  labels?: number[];
  root: [number, number] | null;
  converged: boolean;
}

/** `minimize/maximize f subject to g = 0` in two variables. */
export interface LagrangePlot extends PlotBase {
  kind: 'lagrange';
  variables: [string, string];
  /** f on the grid (contours). */
  objective: Grid;
  /** The constraint curve: the level curve g = 0 on the same grid. */
  constraint: LevelCurves;
  candidates: {
    point: [number, number];
    value: number;
    lambda: number[];
    kind: 'minimum' | 'maximum' | 'saddle' | 'candidate';
  }[];
}

/** `fit y = model to data`: data with error bars, fitted curve, residuals, parameter table. */
export interface FitPlot extends PlotBase {
  kind: 'fit';
  xName: string;
  yName: string;
  data: { x: number[]; y: number[]; sigma?: number[] };
  curve: Series;
  /** r_i = y_i − model(x_i); sigma repeated for the residual error bars. */
  residuals: { x: number[]; r: number[]; sigma?: number[] };
  parameters: { name: string; value: number; uncertainty: number | null }[];
  chi2: number;
  dof: number;
}

/** `taylor f at x = a order n` in one variable: f, T_1..T_n about a, and the errors |f − T_k|. */
export interface TaylorPlot extends PlotBase {
  kind: 'taylor';
  variable: string;
  center: number;
  xRange: Interval;
  yRange?: Interval;
  function: Series;
  /** T_k for k = 0..n (or 1..n), on the same x as `function`. */
  polynomials: (Series & { order: number })[];
  /** |f − T_k| for each polynomial, drawn on a log axis. */
  errors: (Series & { order: number })[];
}

/**
 * `taylor f at [a, b] order n` in two variables: f and its Taylor polynomial T_n together, so
 * the polynomial is seen to hug the function near the point and leave it farther away.
 */
export interface TaylorSurfacePlot extends PlotBase {
  kind: 'taylor-surface';
  variables: [string, string];
  center: [number, number];
  /** f at the centre (null when undefined there). */
  centerValue: number | null;
  order: number;
  /** Plain-text names for legends: "f(x, y)", "T₂(x, y)", "|f − T₂|". */
  names: { function: string; polynomial: string; error: string };
  /** f on the grid, with contour lines. */
  function: Grid;
  /**
   * T_n on the same grid; its contour lines are on f's levels, so the two sets of lines can
   * be compared one by one. Values far outside f's range (T_n grows without bound away from
   * the point) are gaps, so the 3-D view keeps f's scale.
   */
  polynomial: Grid;
  /** log₁₀ |f − T_n| on the same grid (exact agreement is a gap), with contour lines. */
  logError: Grid;
}

export type PlotData = CurvePlot | SurfacePlot | OptimizePlot | RootPlot | SystemRootPlot | LagrangePlot | FitPlot | TaylorPlot | TaylorSurfacePlot;
export type PlotKind = PlotData['kind'];
export const PLOT_KINDS: readonly PlotKind[] = ['curve', 'surface', 'optimize', 'root', 'system', 'lagrange', 'fit', 'taylor', 'taylor-surface'];

// ---------------------------------------------------------------------------------------
// Packing numbers: shared by the server (which packs) and the webview and tests (which unpack).
// ---------------------------------------------------------------------------------------

const F32_MAX = 3.4028234663852886e38;

/**
 * Packs numbers as little-endian floats in base64: single precision unless a finite value
 * lies beyond its range; NaN, ±Infinity and null become NaN (a gap).
 *
 *   pack([1, null, 2.5])             // { dtype: 'f32', length: 3, base64: 'AACAPwAAwH8AACBA' }
 *   unpack(pack([1, null, 2.5]))     // Float64Array [1, NaN, 2.5]
 */
export function pack(values: ArrayLike<number | null>, dtype?: Packed['dtype']): Packed {
  const n = values.length;
  let type = dtype;
  if (!type) {
    type = 'f32';
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) > F32_MAX) { type = 'f64'; break; }
    }
  }
  const floats = type === 'f32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    floats[i] = typeof v === 'number' && Number.isFinite(v) ? v : NaN;
  }
  const bytes = new Uint8Array(floats.buffer);
  if (!LITTLE_ENDIAN) swapBytes(bytes, floats.BYTES_PER_ELEMENT);
  return { dtype: type, length: n, base64: toBase64(bytes) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const ASCII = new TextDecoder('latin1');

/** Base64 of bytes (RFC 4648, padded), written into a byte buffer and decoded once: no per-character strings. */
function toBase64(bytes: Uint8Array): string {
  const n = bytes.length, out = new Uint8Array(4 * Math.ceil(n / 3));
  let o = 0, i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = BASE64_CODES[v >>> 18]!; out[o++] = BASE64_CODES[(v >>> 12) & 63]!;
    out[o++] = BASE64_CODES[(v >>> 6) & 63]!; out[o++] = BASE64_CODES[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out[o++] = BASE64_CODES[v >>> 18]!; out[o++] = BASE64_CODES[(v >>> 12) & 63]!;
    out[o++] = i + 1 < n ? BASE64_CODES[(v >>> 6) & 63]! : 61; out[o++] = 61; // '='
  }
  return ASCII.decode(out);
}

/**
 * The numbers of a `Packed`, NaN for gaps. A malformed one (wrong length, bad base64) gives
 * an empty array rather than an exception: the page must survive any message.
 *
 *   unpack({ dtype: 'f32', length: 1, base64: 'AACAPw==' })  // Float64Array [1]
 */
export function unpack(p: Packed): Float64Array {
  let binary: string;
  try { binary = atob(p.base64); } catch { return new Float64Array(0); }
  const size = p.dtype === 'f64' ? 8 : 4;
  if (!Number.isInteger(p.length) || binary.length !== p.length * size) return new Float64Array(0);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (!LITTLE_ENDIAN) swapBytes(bytes, size);
  return Float64Array.from(size === 4 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer));
}

/**
 * A grid's values as rows, `rows[j][i]` at `(x[i], y[j])`, gaps as null: the shape plotly's
 * heat maps and surfaces take.
 *
 *   gridRows({ x: [0, 1], y: [0], z: pack([1, 2]) })  // [[1, 2]]
 */
export function gridRows(grid: Grid): (number | null)[][] {
  const z = unpack(grid.z), nx = grid.x.length, ny = grid.y.length;
  const rows: (number | null)[][] = new Array(ny);
  for (let j = 0; j < ny; j++) {
    const row: (number | null)[] = new Array(nx);
    for (let i = 0; i < nx; i++) {
      const v = z[j * nx + i];
      row[i] = v === undefined || Number.isNaN(v) ? null : v;
    }
    rows[j] = row;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// The LSP request.
// ---------------------------------------------------------------------------------------

/**
 * `calc/plotData`: sent by the client (client/src/plotPanel.ts) to the server when the plot
 * panel opens, when the "Plot" lens or "Calc: Show Plot" names a statement, and after an
 * edit to the plotted document settles. The server answers with the samples for the
 * plottable statement at or nearest above `position` (server/src/service/plotData.ts).
 */
export namespace PlotDataRequest {
  export const method = 'calc/plotData' as const;
  export interface Params {
    textDocument: { uri: string };
    /** Zero-based line and UTF-16 character, as in LSP. */
    position: { line: number; character: number };
  }
  export type Result =
    | { ok: true; version: number | null; line: number; plot: PlotData }
    | { ok: false; version: number | null; message: string };
}

// ---------------------------------------------------------------------------------------
// The webview message protocol.
// ---------------------------------------------------------------------------------------

/** Messages from the extension to the webview. */
export type ExtensionToWebview =
  | { type: 'plot'; uri: string; version: number | null; line: number; plot: PlotData }
  | { type: 'status'; uri: string; line: number; severity: 'info' | 'error'; text: string };

/** Messages from the webview to the extension; parse them with `parseWebviewMessage`. */
export type WebviewToExtension =
  /** The page has loaded and wants its data. */
  | { type: 'ready' }
  /** A plot was drawn: `ms` from the message's arrival to the drawn page. */
  | { type: 'drawn'; kind: PlotKind; version: number | null; ms: number }
  /** Something went wrong while drawing (reported to the output channel). */
  | { type: 'error'; message: string };

/** What the webview keeps with `vscode.setState`, handed back to the serializer on reload. */
export interface PlotPanelState {
  uri: string;
  line: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e9;

/**
 * Validates a message posted by the webview. The webview runs in a sandbox but is still
 * a page that draws user-controlled data, so the extension trusts nothing it sends.
 *
 *   parseWebviewMessage({ type: 'ready' })        // { type: 'ready' }
 *   parseWebviewMessage({ type: 'openFile', … })  // undefined
 */
export function parseWebviewMessage(raw: unknown): WebviewToExtension | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'drawn': {
      const { kind, version, ms } = raw;
      if (typeof kind !== 'string' || !(PLOT_KINDS as readonly string[]).includes(kind)) return undefined;
      if (!(version === null || isCount(version))) return undefined;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return undefined;
      return { type: 'drawn', kind: kind as PlotKind, version, ms };
    }
    case 'error':
      return typeof raw.message === 'string' ? { type: 'error', message: raw.message.slice(0, 2000) } : undefined;
    default:
      return undefined;
  }
}

/**
 * Validates the state a restored webview hands back (it was written by the page).
 *
 *   parsePanelState({ uri: 'file:///a.calc', line: 3 })  // the same object
 *   parsePanelState(null)                                 // undefined
 */
export function parsePanelState(raw: unknown): PlotPanelState | undefined {
  if (!isObject(raw) || typeof raw.uri !== 'string' || raw.uri.length > 4096 || !isCount(raw.line)) return undefined;
  return { uri: raw.uri, line: raw.line };
}
