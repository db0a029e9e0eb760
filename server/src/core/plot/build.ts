/**
 * Builders: one per plot kind, each turning compiled closures and an analysis's numbers
 * into PlotData. They choose the window, sample, and lay out tables; the webview then
 * only draws. The language service (server/src/service/plotData.ts) feeds them from the
 * document analysis; tests and benchmarks feed them closures directly.
 */
import type {
  CurvePlot, FitPlot, Interval, Iterate, LagrangePlot, OptimizePlot, PlotBase, RootPlot, Sample, SurfacePlot, SystemRootPlot, Table, Tangent, TaylorPlot,
  TaylorSurfacePlot,
} from '../../../../protocol/plot';
import { finiteRange, levelCurves, niceLevels, packCurves, packGrid } from './contour';
import { about, rangeAround, windowAround } from './ranges';
import { adaptiveSample, type Fn1, type Fn2, gradientField, linspace, safeCall1, safeCall2, sampleAt, sampleGrid, sampleSeries, visibleRange } from './sample';

/** Header fields every builder accepts. */
export interface Header {
  title: string;
  latex?: string[];
  notes?: string[];
  table?: Table;
}

const base = (h: Header): PlotBase => ({
  title: h.title,
  latex: h.latex ?? [],
  ...(h.table ? { table: h.table } : {}),
  ...(h.notes && h.notes.length ? { notes: h.notes } : {}),
});

/** Grid resolution of contour maps: 200 × 200 stays well under the 300 ms drawing budget (docs/performance.md). */
export const GRID_RESOLUTION = 200;

/**
 * A number in LaTeX with `digits` significant digits; powers of ten as `\times 10^{k}`.
 *
 *   texNumber(0.000123)  // '1.23 \\times 10^{-4}'
 *   texNumber(2.5)       // '2.5'
 */
export function texNumber(v: number | null | undefined, digits = 6): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '\\text{—}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(digits)));
  const [m, e] = v.toExponential(digits - 1).split('e');
  return `${Number(m)} \\times 10^{${Number(e)}}`;
}

// ---------------------------------------------------------------------------------------

export interface CurveInput extends Header {
  variable: string;
  range: Interval;
  curves: { name: string; f: Fn1 }[];
  derivatives?: { name: string; f: Fn1 }[];
  derivativesVisible?: boolean;
  /** Tangents to the first curve, slope df(x0), at `at` (default: 41 points across the range). */
  tangents?: { df: Fn1; at?: number[]; initial?: number };
}

/**
 * `plot sin(x), tan(x) over x in [-pi, pi]`: adaptive samples of each curve.
 *
 *   curvePlot({ title: 'tan', variable: 'x', range: [-3, 3], curves: [{ name: 'tan(x)', f: Math.tan }] })
 */
export function curvePlot(input: CurveInput): CurvePlot {
  const curves = input.curves.map((c) => sampleSeries(c.name, c.f, input.range));
  const derivatives = input.derivatives?.map((c) => sampleSeries(c.name, c.f, input.range));
  // The y-range holds the curves, and the derivatives when they show from the start.
  const shown = [...input.curves, ...(input.derivativesVisible === false ? [] : input.derivatives ?? [])];
  const yRange = visibleRange(shown.map((c) => c.f), input.range);
  const plot: CurvePlot = { kind: 'curve', ...base(input), variable: input.variable, xRange: input.range, curves };
  if (derivatives && derivatives.length) {
    plot.derivatives = derivatives;
    if (input.derivativesVisible !== undefined) plot.derivativesVisible = input.derivativesVisible;
  }
  if (yRange) plot.yRange = yRange;
  const first = input.curves[0];
  if (input.tangents && first) {
    const { df } = input.tangents;
    const at = input.tangents.at ?? linspace(input.range[0], input.range[1], 41);
    const tangents = at.flatMap((x0) => tangentAt(first.f, df, x0, input.range, input.variable));
    if (tangents.length) {
      plot.tangents = tangents;
      // The first tangent at or after `initial` (default: the middle of the range).
      const initial = input.tangents.initial ?? (input.range[0] + input.range[1]) / 2;
      const k = tangents.findIndex((t) => t.x0 >= initial - 1e-12);
      plot.tangentIndex = k < 0 ? tangents.length - 1 : k;
    }
  }
  return plot;
}

/**
 * The tangent to f at x0 as a segment across `range`: y = f(x0) + f'(x0)(x − x0). None where
 * f or f' is undefined.
 *
 *   tangentAt(Math.sin, Math.cos, 0, [-1, 1], 'x')  // [{ x0: 0, y0: 0, slope: 1, line: { x: [-1, 1], y: [-1, 1] } }]
 */
export function tangentAt(f: Fn1, df: Fn1, x0: number, range: Interval, variable: string): Tangent[] {
  const y0 = safeCall1(f, x0), slope = safeCall1(df, x0);
  if (y0 === null || slope === null) return [];
  const xs = [range[0], range[1]];
  return [{ x0, y0, slope, line: { name: `tangent at ${variable} = ${Number(x0.toPrecision(4))}`, x: xs, y: xs.map((x) => y0 + slope * (x - x0)) } }];
}

export interface SurfaceInput extends Header {
  variables: [string, string];
  xRange: Interval;
  yRange: Interval;
  f: Fn2;
  grad?: (x: number, y: number) => readonly number[];
  resolution?: number;
  view?: '2d' | '3d';
  zLabel?: string;
}

/**
 * A two-variable function on a 200 × 200 grid, with optional gradient arrows.
 *
 *   surfacePlot({ title: 'f', variables: ['x', 'y'], xRange: [-2, 2], yRange: [-2, 2], f: (x, y) => x * x - y * y })
 */
export function surfacePlot(input: SurfaceInput): SurfacePlot {
  const n = input.resolution ?? GRID_RESOLUTION;
  const plot: SurfacePlot = { kind: 'surface', ...base(input), variables: input.variables, grid: packGrid(sampleGrid(input.f, input.xRange, input.yRange, n, n)) };
  if (input.grad) plot.gradient = gradientField(input.grad, input.xRange, input.yRange, 15);
  if (input.view) plot.view = input.view;
  if (input.zLabel) plot.zLabel = input.zLabel;
  return plot;
}

export interface OptimizeInput extends Header {
  goal: 'minimize' | 'maximize';
  method: string;
  variables: string[];
  /** The objective at a point. */
  f: (point: readonly number[]) => number;
  path: Iterate[];
  converged: boolean;
  /** The optimum's value f*, when known better than the last iterate's. */
  fStar?: number;
}

/**
 * The path of iterates on the curve (1-D) or the contour map (2-D), and the convergence:
 * |f(x_k) − f*| and |∇f(x_k)| per iteration k, f* taken as the last iterate's value
 * unless given.
 *
 *   optimizePlot({ title: 'min', goal: 'minimize', method: 'newton', variables: ['x'], f: ([x]) => x! * x!, path, converged: true })
 */
export function optimizePlot(input: OptimizeInput): OptimizePlot {
  const path = input.path;
  const n = input.variables.length;
  const plot: OptimizePlot = {
    kind: 'optimize', ...base(input), goal: input.goal, method: input.method, variables: input.variables,
    path, converged: input.converged, convergence: convergence(path, input.fStar),
  };
  if (n === 1) {
    const range = rangeAround(path.map((p) => p.point[0] ?? NaN), 0.3, 1);
    plot.curve = sampleSeries(`f(${input.variables[0]})`, (x) => input.f([x]), range);
    const height = Math.max(1e-300, ...path.map((p) => Math.abs(p.value)));
    plot.labels = spreadLabels(path.map((p) => [p.point[0]!, p.value]), [range[1] - range[0], height]);
  } else if (n === 2) {
    const [xr, yr] = windowAround(path.map((p) => p.point), 0.3, 1);
    plot.grid = packGrid(sampleGrid((x, y) => input.f([x, y]), xr, yr, GRID_RESOLUTION, GRID_RESOLUTION));
    plot.labels = spreadLabels(path.map((p) => [p.point[0]!, p.point[1]!]), [xr[1] - xr[0], yr[1] - yr[0]]);
  }
  return plot;
}

/**
 * Which points of a path to number: the first, the last, and each one at least `gap` of the
 * window (in each axis's own units) away from the last one numbered, at most `max` of them,
 * so that a path crawling into the optimum does not stack its labels there.
 *
 *   spreadLabels([[0, 0], [0.001, 0], [1, 1]], [2, 2])  // [0, 2]
 */
export function spreadLabels(points: readonly (readonly [number, number])[], size: readonly [number, number], gap = 0.06, max = 15): number[] {
  const n = points.length;
  if (n === 0) return [];
  const [w, h] = [size[0] > 0 ? size[0] : 1, size[1] > 0 ? size[1] : 1];
  const far = (a: readonly [number, number], b: readonly [number, number]) => Math.hypot((a[0] - b[0]) / w, (a[1] - b[1]) / h) >= gap;
  const out = [0];
  // Walk at most ~2000 evenly spaced candidates: paths are thinned already, keep this bounded.
  const stride = Math.max(1, Math.floor(n / 2000));
  for (let i = stride; i < n - 1 && out.length < max - 1; i += stride) {
    if (far(points[i]!, points[out[out.length - 1]!]!) && far(points[i]!, points[n - 1]!)) out.push(i);
  }
  if (n > 1) out.push(n - 1);
  return out;
}

function convergence(path: readonly Iterate[], fStar?: number): OptimizePlot['convergence'] {
  const last = path[path.length - 1];
  const star = fStar ?? last?.value ?? 0;
  // A zero gap (the final iterate itself) has no place on a log axis: it becomes a gap.
  const positive = (v: number | null | undefined): Sample => (v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null);
  return {
    iteration: path.map((p, k) => p.iteration ?? k),
    gap: path.map((p) => positive(Math.abs(p.value - star))),
    gradNorm: path.map((p) => positive(p.gradNorm)),
  };
}

export interface RootInput extends Header {
  variable: string;
  f: Fn1;
  /** x_0, x_1, … as Newton-Raphson produced them. */
  iterates: number[];
  root: number | null;
  converged: boolean;
}

/**
 * Newton-Raphson's steps: from (x_k, f(x_k)) along the tangent to (x_{k+1}, 0), since
 * x_{k+1} = x_k − f(x_k)/f'(x_k) is where the tangent crosses the axis.
 *
 *   rootPlot({ title: 'root', variable: 'x', f: (x) => x * x - 2, iterates: [1, 1.5, 1.4167], root: 1.41421, converged: true })
 */
export function rootPlot(input: RootInput): RootPlot {
  const xs = input.iterates.filter(Number.isFinite);
  const range = rangeAround(input.root !== null ? [...xs, input.root] : xs, 0.25, 1);
  const curve = sampleSeries(`f(${input.variable})`, input.f, range);
  const steps: RootPlot['steps'] = [];
  for (let k = 0; k + 1 < xs.length && k < 200; k++) {
    const fx = safeCall1(input.f, xs[k]!);
    if (fx !== null) steps.push({ x: xs[k]!, fx, next: xs[k + 1]! });
  }
  const plot: RootPlot = { kind: 'root', ...base(input), variable: input.variable, curve, steps, root: input.root, converged: input.converged };
  const yRange = visibleRange([input.f], range);
  if (yRange) plot.yRange = yRange;
  return plot;
}

export interface SystemRootInput extends Header {
  variables: [string, string];
  /** The equations F_i(x, y) = 0, each with a plain-text name for the legend. */
  equations: { name: string; f: Fn2 }[];
  /** x_0, x_1, … as Newton's method produced them. */
  iterates: number[][];
  root: [number, number] | null;
  converged: boolean;
}

/**
 * Newton's method for two equations in two unknowns: the zero curve of each equation (a root
 * is where they cross), sampled around the path, and the path with ‖F(x_k)‖ at each iterate.
 *
 *   systemRootPlot({ title: 'root', variables: ['x', 'y'], equations: [{ name: 'x^2 + y^2 - 4 = 0', f: (x, y) => x * x + y * y - 4 }, { name: 'x - y = 0', f: (x, y) => x - y }], iterates: [[1, 1], [1.5, 1.5]], root: [Math.SQRT2, Math.SQRT2], converged: true })
 */
export function systemRootPlot(input: SystemRootInput): SystemRootPlot {
  const points = input.iterates.filter((p) => p.length === 2 && p.every(Number.isFinite)) as [number, number][];
  const [xRange, yRange] = windowAround(input.root ? [...points, input.root] : points, 0.35, 2);
  const curves = input.equations.map((e) => ({
    name: e.name,
    ...packCurves(levelCurves(sampleGrid(e.f, xRange, yRange, GRID_RESOLUTION, GRID_RESOLUTION), [0]), [0]),
  }));
  const norm = (p: readonly number[]): number => {
    let s = 0;
    for (const e of input.equations) { const v = safeCall2(e.f, p[0]!, p[1]!); s += v === null ? NaN : v * v; }
    return Math.sqrt(s);
  };
  const path: Iterate[] = points.map((p) => ({ point: p, value: norm(p) }));
  return {
    kind: 'system', ...base(input), variables: input.variables, xRange, yRange, curves, path,
    // Newton's few steps shrink fast: a closer spacing than minimize's still keeps labels apart.
    labels: spreadLabels(points, [xRange[1] - xRange[0], yRange[1] - yRange[0]], 0.03),
    root: input.root, converged: input.converged,
  };
}

export interface LagrangeInput extends Header {
  variables: [string, string];
  f: Fn2;
  /** The constraint as g(x, y) = 0 (the analysis moves the right-hand side over). */
  g: Fn2;
  candidates: LagrangePlot['candidates'];
  window?: [Interval, Interval];
}

/**
 * Contours of f, the constraint curve g = 0, the candidates.
 *
 *   lagrangePlot({ title: 'L', variables: ['x', 'y'], f: (x, y) => x * y, g: (x, y) => x + 2 * y - 10, candidates })
 */
export function lagrangePlot(input: LagrangeInput): LagrangePlot {
  // Wide enough to show the constraint curve around the candidates, not only their neighbourhood.
  const reach = Math.max(0, ...input.candidates.flatMap((c) => c.point.map(Math.abs)).filter(Number.isFinite));
  const [xr, yr] = input.window ?? windowAround(input.candidates.map((c) => c.point), 0.6, Math.max(3, 1.2 * reach));
  return {
    kind: 'lagrange', ...base(input), variables: input.variables,
    objective: packGrid(sampleGrid(input.f, xr, yr, GRID_RESOLUTION, GRID_RESOLUTION)),
    constraint: packCurves(levelCurves(sampleGrid(input.g, xr, yr, GRID_RESOLUTION, GRID_RESOLUTION), [0]), [0]),
    candidates: input.candidates,
  };
}

export interface FitInput extends Header {
  xName: string;
  yName: string;
  data: { x: number[]; y: number[]; sigma?: number[] };
  /** The model with the fitted parameters substituted. */
  model: Fn1;
  parameters: FitPlot['parameters'];
  chi2: number;
  dof: number;
}

/**
 * Data, fitted curve and residuals r_i = y_i − model(x_i), with the parameter table
 * (value ± standard uncertainty) and χ²/dof.
 *
 *   fitPlot({ title: 'fit', xName: 'x', yName: 'y', data, model: (x) => 2 * x + 1, parameters, chi2: 3.1, dof: 4 })
 */
export function fitPlot(input: FitInput): FitPlot {
  const { x, y, sigma } = input.data;
  const range = rangeAround(x, 0.05, 1e-9);
  const curve = sampleSeries(`fit`, input.model, range);
  const r: number[] = x.map((xi, i) => {
    const m = safeCall1(input.model, xi);
    return m === null ? NaN : y[i]! - m;
  });
  const rows = input.parameters.map((p) => [p.name, p.uncertainty === null ? texNumber(p.value) : `${texNumber(p.value)} \\pm ${texNumber(p.uncertainty, 2)}`]);
  rows.push(['\\chi^2/\\text{dof}', `${texNumber(input.chi2, 4)} / ${input.dof} = ${texNumber(input.dof > 0 ? input.chi2 / input.dof : NaN, 4)}`]);
  const table: Table = input.table ?? { columns: ['\\text{parameter}', '\\text{value}'], rows };
  return {
    kind: 'fit', ...base({ ...input, table }), xName: input.xName, yName: input.yName,
    data: input.data, curve,
    residuals: sigma ? { x, r, sigma } : { x, r },
    parameters: input.parameters, chi2: input.chi2, dof: input.dof,
  };
}

export interface TaylorInput extends Header {
  variable: string;
  center: number;
  f: Fn1;
  /** T_k for each order k, as closures. */
  polynomials: { order: number; name: string; p: Fn1 }[];
  range?: Interval;
}

/**
 * f with its Taylor polynomials about a, on shared abscissae, and the errors |f − T_k|
 * (log scale; exact agreement is a gap).
 *
 *   taylorPlot({ title: 'cos', variable: 'x', center: 0, f: Math.cos, polynomials: [{ order: 2, name: 'T₂', p: (x) => 1 - x * x / 2 }] })
 */
export function taylorPlot(input: TaylorInput): TaylorPlot {
  const range = input.range ?? about(input.center, 3);
  // Sample f adaptively, then evaluate every polynomial at the same x.
  const fs = adaptiveSample(input.f, range, { initial: 160 });
  const polynomials = input.polynomials.map((t) => ({ order: t.order, name: t.name, x: fs.x, y: sampleAt(t.p, fs.x) }));
  const errors = polynomials.map((t) => ({
    order: t.order, name: `|f − ${t.name}|`, x: fs.x,
    y: t.y.map((v, i) => {
      const fv = fs.y[i];
      if (v === null || fv === null || fv === undefined) return null;
      const e = Math.abs(fv - v);
      return e > 0 ? e : null;
    }),
  }));
  // Polynomials run off to ±∞ away from a: keep the function's own height in view.
  const defined = fs.y.filter((v): v is number => v !== null);
  const plot: TaylorPlot = {
    kind: 'taylor', ...base(input), variable: input.variable, center: input.center, xRange: range,
    function: { name: `f(${input.variable})`, ...fs }, polynomials, errors,
  };
  if (defined.length) {
    const clip = visibleRange([input.f], range);
    const lo = clip?.[0] ?? Math.min(...defined), hi = clip?.[1] ?? Math.max(...defined);
    const h = Math.max(hi - lo, 1e-6);
    plot.yRange = [lo - 0.5 * h, hi + 0.5 * h];
  }
  return plot;
}

export interface TaylorSurfaceInput extends Header {
  variables: [string, string];
  center: [number, number];
  order: number;
  f: Fn2;
  /** T_n as a closure. */
  p: Fn2;
  names: TaylorSurfacePlot['names'];
  /** Half-width of the window about the point in each variable (default 2). */
  radius?: number;
}

/** Grid resolution of the Taylor comparison: three grids, so coarser than a lone contour map. */
const TAYLOR_RESOLUTION = 150;

/**
 * f and T_n about (a, b) on one grid: f with its contour lines, T_n with lines on the same
 * levels (where the two sets of lines coincide the polynomial hugs the function), and
 * log₁₀ |f − T_n|, whose lines fall off steeply towards the point: the error of T_n is
 * O(r^{n+1}) in the distance r from it.
 *
 *   taylorSurfacePlot({ title: 't', variables: ['x', 'y'], center: [0, 0], order: 1, f: (x, y) => Math.exp(x) * Math.sin(y), p: (x, y) => y, names })
 */
export function taylorSurfacePlot(input: TaylorSurfaceInput): TaylorSurfacePlot {
  const [a, b] = input.center;
  const xr = about(a, input.radius ?? 2), yr = about(b, input.radius ?? 2);
  const n = TAYLOR_RESOLUTION;
  const f = sampleGrid(input.f, xr, yr, n, n);
  const p = sampleGrid(input.p, xr, yr, n, n);
  const fGrid = packGrid(f);
  const levels = fGrid.contours?.levels ?? [];
  const pLines = levelCurves(p, levels);
  // T_n beyond f's range, widened by half of it each way, is a gap: it would flatten f in 3-D.
  const range = fGrid.zRange ?? finiteRange(f.z) ?? [-1, 1];
  const pad = Math.max(range[1] - range[0], 1e-9) / 2;
  const clipped = p.z.map((v) => (v >= range[0] - pad && v <= range[1] + pad ? v : NaN));
  const polynomial = { ...packGrid({ ...p, z: clipped }, 0), contours: packCurves(pLines, levels) };
  const logError = new Float64Array(f.z.length);
  for (let k = 0; k < logError.length; k++) {
    const e = Math.abs(f.z[k]! - p.z[k]!);
    logError[k] = e > 0 ? Math.log10(e) : NaN;
  }
  // Whole powers of ten for the error's contour lines when they are not too many.
  const er = finiteRange(logError);
  const decades = er ? niceLevels(er[0], er[1], 12).filter((v) => Number.isInteger(v)) : [];
  const errorGrid = packGrid({ ...f, z: logError }, decades.length >= 3 ? decades : 12);
  // A polynomial f is its own Taylor polynomial from its degree on: nothing to map then.
  const exact = er ? [] : [`${input.names.polynomial} equals f: the error is zero everywhere.`];
  return {
    kind: 'taylor-surface', ...base({ ...input, notes: [...(input.notes ?? []), ...exact] }), variables: input.variables, center: input.center, centerValue: safeCall2(input.f, a, b), order: input.order,
    names: input.names, function: fGrid, polynomial, logError: errorGrid,
  };
}
