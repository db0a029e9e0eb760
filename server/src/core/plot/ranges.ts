/**
 * Choosing what part of the plane to show: around a path of iterates, around data,
 * around a point. Pure arithmetic on numbers; no sampling here.
 */
import type { Interval } from '../../../../protocol/plot';

/**
 * The smallest interval holding every finite value, widened by `pad` of its width on each
 * side and to at least `minWidth` (centred), so one point or a converged path still shows
 * its surroundings. Falls back to `fallback` when no value is finite.
 *
 *   rangeAround([1, 3])            // [0.6, 3.4]
 *   rangeAround([2])               // [1, 3]
 */
export function rangeAround(values: readonly number[], pad = 0.2, minWidth = 2, fallback: Interval = [-1, 1]): Interval {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return fallback;
  const w = hi - lo;
  lo -= pad * w;
  hi += pad * w;
  // Relative floor too, so a path near x = 1e6 is not drawn 2 units wide at 1e-10 resolution.
  const floor = Math.max(minWidth, 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)));
  if (hi - lo < floor) {
    const c = (lo + hi) / 2;
    lo = c - floor / 2;
    hi = c + floor / 2;
  }
  return [lo, hi];
}

/**
 * A square-ish window for 2-D paths: each coordinate's `rangeAround`, then the narrower one
 * widened to at least half the wider, so a path along one axis still shows the contours
 * around it.
 *
 *   windowAround([[0, 0], [4, 0.1]])  // x ≈ [-0.8, 4.8], y ≈ [-1.3, 1.4]
 */
export function windowAround(points: readonly (readonly number[])[], pad = 0.25, minWidth = 2): [Interval, Interval] {
  const xr = rangeAround(points.map((p) => p[0] ?? NaN), pad, minWidth);
  const yr = rangeAround(points.map((p) => p[1] ?? NaN), pad, minWidth);
  const wx = xr[1] - xr[0], wy = yr[1] - yr[0];
  const widen = (r: Interval, w: number, target: number): Interval =>
    w >= target ? r : [(r[0] + r[1]) / 2 - target / 2, (r[0] + r[1]) / 2 + target / 2];
  return [widen(xr, wx, wy / 2), widen(yr, wy, wx / 2)];
}

/**
 * An interval of half-width `radius` about `centre`.
 *
 *   about(1, 3)  // [-2, 4]
 */
export function about(centre: number, radius: number): Interval {
  const r = Number.isFinite(radius) && radius > 0 ? radius : 1;
  const c = Number.isFinite(centre) ? centre : 0;
  return [c - r, c + r];
}
