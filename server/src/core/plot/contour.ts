/**
 * Level curves of a sampled function, computed here rather than in the page: the page then
 * draws a heat map and ready-made lines, which is several times faster than plotly tracing
 * contours itself, and the same curves serve contour maps, constraint curves and the zero
 * curves of a system of equations. Pure and bounded: a point budget caps every call.
 */
import type { Grid, LevelCurves } from '../../../../protocol/plot';
import { pack } from '../../../../protocol/plot';
import { clipRange } from './sample';

/** A function sampled on a grid, unpacked: the value at `(x[i], y[j])` is `z[j * x.length + i]`, NaN a gap. */
export interface RawGrid {
  x: number[];
  y: number[];
  z: Float64Array;
}

/** Polylines one after another, NaN between them (before packing). */
export interface Polylines {
  x: number[];
  y: number[];
  /** Whether the point budget cut the curves short. */
  truncated: boolean;
}

/**
 * About `n` evenly spaced "round" levels strictly inside (lo, hi): the step is 1, 2, 2.5 or 5
 * times a power of ten, the levels its multiples, as a reader would choose contour values.
 *
 *   niceLevels(0, 1, 4)     // [0.25, 0.5, 0.75]
 *   niceLevels(-3, 7, 5)    // [-2, 0, 2, 4, 6]
 */
export function niceLevels(lo: number, hi: number, n = 24): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) || !(n >= 1)) return [];
  const raw = (hi - lo) / Math.min(n, 1000);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * mag;
  const out: number[] = [];
  // Multiples k·step, not repeated additions, so that levels do not drift (0.1 + 0.2 ≠ 0.3).
  for (let k = Math.floor(lo / step); out.length <= 2 * n + 2; k++) {
    const v = k * step;
    if (v >= hi) break;
    if (v > lo) out.push(v);
  }
  return out;
}

/**
 * The finite values' smallest and largest, or undefined when there are none.
 *
 *   finiteRange(Float64Array.of(3, NaN, -1))  // [-1, 3]
 */
export function finiteRange(z: ArrayLike<number>): [number, number] | undefined {
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < z.length; k++) {
    const v = z[k]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

// Segments of one marching-squares cell by corner case. Corners: bit 1 = (i, j), 2 = (i+1, j),
// 4 = (i+1, j+1), 8 = (i, j+1), set when the value is ≥ the level. Edges: 0 bottom, 1 right,
// 2 top, 3 left. Each segment joins the crossings on two edges.
const SEGMENTS: readonly (readonly number[])[] = [
  [], [3, 0], [0, 1], [3, 1], [1, 2], [], [0, 2], [2, 3],
  [2, 3], [0, 2], [], [1, 2], [1, 3], [0, 1], [3, 0], [],
];

/**
 * The curves f = c for each level c, by marching squares on the grid, joined into polylines
 * (closed curves end where they began). A cell with a gap at a corner has no segment, so
 * curves stop at the edge of the domain. The two saddle cases (opposite corners on the same
 * side) are decided by the cell's mean, the bilinear interpolant's value at its centre.
 * On an edge from p to q the crossing is at the fraction t = (c − p)/(q − p), linear
 * interpolation. At most `maxPoints` points in all (the rest is cut, `truncated`).
 *
 *   levelCurves({ x: [0, 1], y: [0, 1], z: Float64Array.of(0, 1, 1, 2) }, [1])
 *   // one segment from (1, 0) to (0, 1): { x: [1, 0], y: [0, 1], truncated: false } (up to order)
 */
export function levelCurves(grid: RawGrid, levels: readonly number[], maxPoints = 200_000): Polylines {
  const { x: xs, y: ys, z } = grid;
  const nx = xs.length, ny = ys.length;
  const out: Polylines = { x: [], y: [], truncated: false };
  if (nx < 2 || ny < 2 || z.length !== nx * ny) return out;
  const horizontal = ny * (nx - 1);
  const edges = horizontal + (ny - 1) * nx;
  const cells = (nx - 1) * (ny - 1);
  const m: March = {
    nx, horizontal, z, level: 0,
    first: new Int32Array(edges), second: new Int32Array(edges),
    ends: new Int32Array(4 * cells), used: new Uint8Array(2 * cells), count: 0,
    touched: new Int32Array(2 * cells), nTouched: 0,
  };
  // One pass over the cells finds which levels cross each: a cell crosses c when its smallest
  // corner is below c and its largest is not (min < c ≤ max), so the work is the cells plus
  // the crossings, not the cells times the levels.
  const sorted = levels.filter(Number.isFinite).slice().sort((p, q) => p - q);
  const crossing: number[][] = sorted.map(() => []);
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const a = z[j * nx + i]!, b = z[j * nx + i + 1]!, c = z[(j + 1) * nx + i + 1]!, d = z[(j + 1) * nx + i]!;
      // NaN compares false everywhere: a gap at any corner means no segment here.
      if (!(a === a && b === b && c === c && d === d)) continue;
      const lo = Math.min(a, b, c, d), hi = Math.max(a, b, c, d);
      for (let k = firstAbove(sorted, lo); k < sorted.length && sorted[k]! <= hi; k++) crossing[k]!.push(j * (nx - 1) + i);
    }
  }
  const edge = new Int32Array(4);
  for (let k = 0; k < sorted.length; k++) {
    const level = sorted[k]!;
    m.level = level; m.count = 0; m.nTouched = 0;
    for (const cell of crossing[k]!) {
      const j = Math.floor(cell / (nx - 1)), i = cell - j * (nx - 1);
      const a = z[j * nx + i]!, b = z[j * nx + i + 1]!, c = z[(j + 1) * nx + i + 1]!, d = z[(j + 1) * nx + i]!;
      const code = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
      edge[0] = j * (nx - 1) + i; edge[1] = horizontal + j * nx + i + 1; edge[2] = (j + 1) * (nx - 1) + i; edge[3] = horizontal + j * nx + i;
      let pairs = SEGMENTS[code]!;
      if (code === 5 || code === 10) {
        // Saddle: when the centre is on the side of the corners set in `code`, those corners
        // are joined through the middle, and the curves cut off the other two corners.
        const centreAbove = (a + b + c + d) / 4 >= level;
        pairs = (code === 5) === centreAbove ? SADDLE_CUTS[0]! : SADDLE_CUTS[1]!;
      }
      for (let q = 0; q < pairs.length; q += 2) addSegment(m, edge[pairs[q]!]!, edge[pairs[q + 1]!]!);
    }
    // Open curves first, from an end (an edge with one segment), then the closed ones.
    for (let k = 0; k < m.nTouched && !out.truncated; k++) {
      const e = m.touched[k]!;
      if (m.second[e] === 0 && !m.used[m.first[e]! - 1]) walk(m, out, m.first[e]! - 1, e, grid, maxPoints);
    }
    for (let s = 0; s < m.count && !out.truncated; s++) if (!m.used[s]) walk(m, out, s, m.ends[2 * s]!, grid, maxPoints);
    for (let k = 0; k < m.nTouched; k++) { const e = m.touched[k]!; m.first[e] = 0; m.second[e] = 0; }
    if (out.truncated) break;
  }
  return out;
}

/** The index of the first of the ascending `xs` greater than v (xs.length when none is). */
function firstAbove(xs: readonly number[], v: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! > v) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** Which corners the saddle's curves cut off: b and d (edges 0-1, 2-3), or a and c (3-0, 1-2). */
const SADDLE_CUTS = [[0, 1, 2, 3], [3, 0, 1, 2]] as const;

/** The marching state of one level: segments, and for each edge the (at most two) segments ending on it. */
interface March {
  nx: number;
  horizontal: number;
  z: Float64Array;
  level: number;
  /** Per edge: the segments that end on it, as segment index + 1 (0 = none). */
  first: Int32Array;
  second: Int32Array;
  /** Segment s joins edges ends[2s] and ends[2s + 1]; a cell makes at most two segments. */
  ends: Int32Array;
  used: Uint8Array;
  count: number;
  /** The edges with a segment, to walk from and to clear afterwards. */
  touched: Int32Array;
  nTouched: number;
}

function addSegment(m: March, e0: number, e1: number): void {
  const s = m.count++;
  m.ends[2 * s] = e0; m.ends[2 * s + 1] = e1; m.used[s] = 0;
  attach(m, e0, s); attach(m, e1, s);
}

function attach(m: March, e: number, s: number): void {
  if (m.first[e] === 0) { m.first[e] = s + 1; m.touched[m.nTouched++] = e; } else m.second[e] = s + 1;
}

/** Follows the chain from segment s, entering through edge e, until it ends or closes. */
function walk(m: March, out: Polylines, s: number, e: number, grid: RawGrid, maxPoints: number): void {
  if (out.x.length > 0) { out.x.push(NaN); out.y.push(NaN); }
  pushPoint(m, out, e, grid);
  let cur = s, at = e;
  while (cur >= 0 && !m.used[cur]) {
    if (out.x.length >= maxPoints) { out.truncated = true; return; }
    m.used[cur] = 1;
    at = m.ends[2 * cur] === at ? m.ends[2 * cur + 1]! : m.ends[2 * cur]!;
    pushPoint(m, out, at, grid);
    cur = m.first[at]! - 1 === cur ? m.second[at]! - 1 : m.first[at]! - 1;
  }
}

/** The crossing on edge e: from value p to q the level c is at the fraction t = (c − p)/(q − p). */
function pushPoint(m: March, out: Polylines, e: number, grid: RawGrid): void {
  const { nx, horizontal, z } = m, xs = grid.x, ys = grid.y;
  if (e < horizontal) {
    const j = Math.floor(e / (nx - 1)), i = e - j * (nx - 1);
    const p = z[j * nx + i]!, t = (m.level - p) / (z[j * nx + i + 1]! - p);
    out.x.push(xs[i]! + t * (xs[i + 1]! - xs[i]!)); out.y.push(ys[j]!);
  } else {
    const v = e - horizontal, j = Math.floor(v / nx), i = v - j * nx;
    const p = z[j * nx + i]!, t = (m.level - p) / (z[(j + 1) * nx + i]! - p);
    out.x.push(xs[i]!); out.y.push(ys[j]! + t * (ys[j + 1]! - ys[j]!));
  }
}

/**
 * Level curves packed for the protocol.
 *
 *   packCurves(levelCurves(grid, [0]), [0])  // { levels: [0], x: Packed, y: Packed }
 */
export function packCurves(lines: Polylines, levels: readonly number[]): LevelCurves {
  return { levels: [...levels], x: pack(lines.x), y: pack(lines.y) };
}

/**
 * A grid for the protocol: its values packed, with contour lines on `levels`: a count asks for
 * about that many round levels across the grid's values (0 for none), a list gives them. When
 * the lines would exceed the point budget (a wildly oscillating function), every other level
 * is dropped until they fit.
 *
 *   packGrid(sampleGrid((x, y) => x * y, [-1, 1], [-1, 1]), 24).contours.levels  // [-0.9, -0.8, …, 0.9]
 *   packGrid(grid, [0, 1])                                                         // lines on f = 0 and f = 1
 */
export function packGrid(grid: RawGrid, levels: number | readonly number[] = 24, maxPoints = 60_000): Grid {
  const out: Grid = { x: grid.x, y: grid.y, z: pack(grid.z) };
  const full = finiteRange(grid.z);
  if (!full) return out;
  // Near a pole a few huge values would take every colour and every level: use the robust
  // range then (clipRange: the 2nd–98th percentiles, when the full range is far wider).
  const clip = clipRange(everyKth(grid.z, Math.max(1, Math.floor(grid.z.length / 10_000))));
  // clipRange pads both ends; no colour need start below the smallest value or end above the largest.
  const robust: [number, number] | undefined = clip && [Math.max(clip[0], full[0]), Math.min(clip[1], full[1])];
  if (robust) out.zRange = robust;
  const range = robust ?? full;
  let chosen = typeof levels === 'number' ? niceLevels(range[0], range[1], levels) : [...levels];
  for (let attempt = 0; attempt < 6 && chosen.length > 0; attempt++) {
    const lines = levelCurves(grid, chosen, maxPoints);
    if (!lines.truncated || chosen.length === 1) {
      out.contours = packCurves(lines, chosen);
      break;
    }
    chosen = chosen.filter((_, k) => k % 2 === 1);
  }
  return out;
}

/** Every k-th finite value (a sample for percentiles), NaN left out. */
function everyKth(z: Float64Array, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < z.length; i += k) if (z[i] === z[i]) out.push(z[i]!);
  return out;
}
