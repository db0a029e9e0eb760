/**
 * Sampling for the plot panel: closures in, plain arrays out. Pure and bounded: every
 * loop has a point budget, and a closure that throws or returns a non-finite value
 * yields a gap (`null`), never an exception.
 */
import type { Interval, Sample, Series } from '../../../../protocol/plot';
import type { RawGrid } from './contour';

/** A real function of one real variable, as compiled by the calculus core. */
export type Fn1 = (x: number) => number;
/** A real function of two real variables. */
export type Fn2 = (x: number, y: number) => number;

/** Calls `f` and turns exceptions, NaN and ±Infinity into a gap: `safeCall1(Math.log, -1)` is null. */
export function safeCall1(f: Fn1, x: number): Sample {
  try {
    const y = f(x);
    return typeof y === 'number' && Number.isFinite(y) ? y : null;
  } catch {
    return null;
  }
}

/** Two-variable `safeCall1`: `safeCall2((x, y) => x / y, 1, 0)` is null. */
export function safeCall2(f: Fn2, x: number, y: number): Sample {
  try {
    const z = f(x, y);
    return typeof z === 'number' && Number.isFinite(z) ? z : null;
  } catch {
    return null;
  }
}

export interface AdaptiveOptions {
  /** Intervals of the first, uniform pass. */
  initial?: number;
  /** Halvings allowed per initial interval. */
  maxDepth?: number;
  /** Hard cap on the number of samples returned (gaps included). */
  maxPoints?: number;
  /**
   * Flatness tolerance as a fraction of the curve's visible height: an interval is split
   * while its midpoint is farther than this from the chord.
   */
  tolerance?: number;
}

interface Pt { x: number; y: Sample }

/**
 * Samples `f` on `[a, b]`, denser where it curves, with gaps where it is undefined and at
 * jumps (poles such as tan at π/2), so a drawer never joins the two sides of a pole with a
 * vertical line.
 *
 * Refinement: an interval [x0, x1] is split at its midpoint m while
 *   |f(m) − (f(x0) + f(x1))/2| > tolerance · H        (the chord misses the curve)
 * or while exactly one end is defined (to find the domain's edge), where H is a robust
 * height of the curve (the 2nd–98th percentile spread of the first pass). When an interval
 * at the deepest level still rises by more than H/4, or its midpoint lies outside the
 * ends' range by more than that, the function jumps there: a `null` is inserted.
 *
 *   adaptiveSample(Math.tan, [0, Math.PI])   // … 1.5e3, null, -1.5e3 … around π/2
 *   adaptiveSample(Math.log, [-1, 1])        // null for x ≤ 0, then the curve
 */
export function adaptiveSample(f: Fn1, range: Interval, options: AdaptiveOptions = {}): { x: number[]; y: Sample[] } {
  const [a, b] = range;
  const initial = Math.max(2, Math.min(options.initial ?? 96, 4096));
  const maxDepth = Math.max(0, Math.min(options.maxDepth ?? 10, 30));
  const maxPoints = Math.max(initial + 1, Math.min(options.maxPoints ?? 4000, 100_000));
  const tolerance = options.tolerance ?? 0.002;
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) return { x: [], y: [] };

  // First pass: uniform, but nudged off the exact grid so that a pole at a "round" point
  // (tan at π/2 over [0, π]) is not hit exactly, which would hide the jump.
  const h = (b - a) / initial;
  const first: Pt[] = [];
  for (let i = 0; i <= initial; i++) {
    const x = i === 0 ? a : i === initial ? b : a + h * (i + 0.0137 * Math.sin(7.3 * i));
    first.push({ x, y: safeCall1(f, x) });
  }
  const height = robustHeight(first.map((p) => p.y));
  const flat = tolerance * height;
  const jump = height / 4;

  const out: Pt[] = [first[0]!];
  let budget = maxPoints - first.length;
  for (let i = 0; i < initial; i++) {
    // Depth-first refinement of one initial interval with an explicit stack (no recursion).
    const stack: [Pt, Pt, number][] = [[first[i]!, first[i + 1]!, 0]];
    while (stack.length > 0) {
      const [p0, p1, depth] = stack.pop()!;
      const split = budget > 0 && depth < maxDepth && needsSplit(p0, p1, f, flat);
      if (split) {
        const mx = (p0.x + p1.x) / 2;
        const m: Pt = { x: mx, y: safeCall1(f, mx) };
        budget--;
        // Right half pushed first so the left half is emitted first.
        stack.push([m, p1, depth + 1], [p0, m, depth + 1]);
        continue;
      }
      if (depth >= maxDepth && p0.y !== null && p1.y !== null && isJump(p0, p1, f, jump)) {
        out.push({ x: (p0.x + p1.x) / 2, y: null });
      }
      out.push(p1);
    }
  }
  return { x: out.map((p) => p.x), y: out.map((p) => p.y) };
}

function needsSplit(p0: Pt, p1: Pt, f: Fn1, flat: number): boolean {
  if ((p0.y === null) !== (p1.y === null)) return true; // locate the domain's edge
  if (p0.y === null || p1.y === null) return false;
  const m = safeCall1(f, (p0.x + p1.x) / 2);
  if (m === null) return true;
  return Math.abs(m - (p0.y + p1.y) / 2) > flat;
}

function isJump(p0: Pt, p1: Pt, f: Fn1, jump: number): boolean {
  const y0 = p0.y!, y1 = p1.y!;
  if (Math.abs(y1 - y0) > jump) return true;
  // A pole between two close samples of the same height: the midpoint shoots off.
  const m = safeCall1(f, (p0.x + p1.x) / 2);
  if (m === null) return true;
  return m > Math.max(y0, y1) + jump || m < Math.min(y0, y1) - jump;
}

/**
 * The 2nd–98th percentile spread of the defined values (1 when there are none or it is
 * zero), so that a pole's huge values do not decide what "curving" means.
 *
 *   robustHeight([0, 1, 2, 1e9])  // ≈ 2
 */
export function robustHeight(values: readonly Sample[]): number {
  const ys = values.filter((v): v is number => v !== null).sort((p, q) => p - q);
  if (ys.length === 0) return 1;
  const lo = ys[Math.floor(0.02 * (ys.length - 1))]!;
  const hi = ys[Math.ceil(0.98 * (ys.length - 1))]!;
  const spread = hi - lo;
  if (spread > 0) return spread;
  return Math.abs(lo) > 0 ? Math.abs(lo) : 1;
}

/**
 * A y-range for curves with poles: the robust (2nd–98th percentile) range widened by 15 %,
 * or `undefined` when the full range is not much wider (then the drawer autoscales).
 *
 *   clipRange([tan samples])   // ≈ [-40, 40] instead of [-1e16, 1e16]
 */
export function clipRange(values: readonly Sample[]): Interval | undefined {
  const ys = values.filter((v): v is number => v !== null).sort((p, q) => p - q);
  if (ys.length < 8) return undefined;
  const lo = ys[Math.floor(0.02 * (ys.length - 1))]!;
  const hi = ys[Math.ceil(0.98 * (ys.length - 1))]!;
  const min = ys[0]!, max = ys[ys.length - 1]!;
  const spread = Math.max(hi - lo, 1e-12);
  if (max - min <= 3 * spread) return undefined;
  return [lo - 0.15 * spread, hi + 0.15 * spread];
}

/**
 * The y-range to show for curves on `range`: `clipRange` of 401 evenly spaced samples of
 * each (evenly spaced, because adaptive samples crowd around poles and would bias the
 * percentiles towards the pole's huge values), else their whole range padded by 6 %.
 * Fixed, so that lines drawn over the curves (tangents) do not rescale the plot.
 *
 *   visibleRange([Math.tan], [-3, 3])  // ≈ [-20, 20]
 *   visibleRange([Math.sin], [-3, 3])  // ≈ [-1.12, 1.12]
 */
export function visibleRange(fs: readonly Fn1[], range: Interval): Interval | undefined {
  const xs = linspace(range[0], range[1], 401);
  const ys = fs.flatMap((f) => sampleAt(f, xs));
  const clip = clipRange(ys);
  if (clip) return clip;
  let lo = Infinity, hi = -Infinity;
  for (const y of ys) if (y !== null) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  if (lo > hi) return undefined;
  const pad = hi > lo ? 0.06 * (hi - lo) : Math.max(1, Math.abs(lo)) * 0.5;
  return [lo - pad, hi + pad];
}

/**
 * Samples one curve as a named series.
 *
 *   sampleSeries('sin(x)', Math.sin, [-Math.PI, Math.PI])
 */
export function sampleSeries(name: string, f: Fn1, range: Interval, options?: AdaptiveOptions): Series {
  return { name, ...adaptiveSample(f, range, options) };
}

/**
 * Samples a function of one variable on a fixed x (so several curves share abscissae,
 * e.g. a function and its Taylor polynomials).
 *
 *   sampleAt(Math.exp, [0, 1, 2])  // [1, e, e²]
 */
export function sampleAt(f: Fn1, xs: readonly number[]): Sample[] {
  return xs.map((x) => (Number.isFinite(x) ? safeCall1(f, x) : null));
}

/**
 * `n` evenly spaced numbers from a to b inclusive (n ≥ 2).
 *
 *   linspace(0, 1, 3)  // [0, 0.5, 1]
 */
export function linspace(a: number, b: number, n: number): number[] {
  const m = Math.max(2, Math.min(Math.floor(n), 1_000_000));
  const out = new Array<number>(m);
  for (let i = 0; i < m; i++) out[i] = a + ((b - a) * i) / (m - 1);
  out[m - 1] = b;
  return out;
}

/**
 * Samples `f(x, y)` on an nx × ny grid, row by row (plotly's layout: the value at
 * `(x[i], y[j])` is `z[j * nx + i]`), gaps as NaN. 200 × 200 is 40 000 calls of a compiled
 * closure: a few milliseconds. `packGrid` (contour.ts) turns it into the protocol's Grid.
 *
 *   sampleGrid((x, y) => x * y, [-1, 1], [-1, 1], 3, 3).z.subarray(0, 3)  // [1, -0, -1]
 */
export function sampleGrid(f: Fn2, xRange: Interval, yRange: Interval, nx = 200, ny = nx): RawGrid {
  const cap = (n: number) => Math.max(2, Math.min(Math.floor(n), 1000));
  const x = linspace(xRange[0], xRange[1], cap(nx));
  const y = linspace(yRange[0], yRange[1], cap(ny));
  const z = new Float64Array(x.length * y.length);
  for (let j = 0; j < y.length; j++) {
    const yj = y[j]!, row = j * x.length;
    for (let i = 0; i < x.length; i++) z[row + i] = safeCall2(f, x[i]!, yj) ?? NaN;
  }
  return { x, y, z };
}

/**
 * Gradient arrows on an n × n lattice, scaled so the longest arrow spans 90 % of a cell
 * (lengths stay proportional to |∇f|). Points where the gradient is undefined are left out.
 *
 *   gradientField((x, y) => [2 * x, 2 * y], [-1, 1], [-1, 1], 5)
 */
export function gradientField(
  grad: (x: number, y: number) => readonly number[],
  xRange: Interval,
  yRange: Interval,
  n = 15,
): { x: number[]; y: number[]; u: number[]; v: number[] } {
  const m = Math.max(2, Math.min(n, 60));
  // Arrows sit at cell centres so none starts on the frame.
  const dx = (xRange[1] - xRange[0]) / m, dy = (yRange[1] - yRange[0]) / m;
  const raw: { x: number; y: number; gx: number; gy: number }[] = [];
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < m; i++) {
      const x = xRange[0] + dx * (i + 0.5), y = yRange[0] + dy * (j + 0.5);
      let g: readonly number[];
      try { g = grad(x, y); } catch { continue; }
      const gx = g[0], gy = g[1];
      if (typeof gx === 'number' && typeof gy === 'number' && Number.isFinite(gx) && Number.isFinite(gy)) raw.push({ x, y, gx, gy });
    }
  }
  // Scale in cell units, so anisotropic ranges still give readable arrows.
  let longest = 0;
  for (const r of raw) longest = Math.max(longest, Math.hypot(r.gx / dx, r.gy / dy));
  const s = longest > 0 ? 0.9 / longest : 0;
  return {
    x: raw.map((r) => r.x),
    y: raw.map((r) => r.y),
    u: raw.map((r) => r.gx * s),
    v: raw.map((r) => r.gy * s),
  };
}
