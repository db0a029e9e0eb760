/**
 * What a drawer returns and what it is given. A drawer turns one kind of PlotData into a
 * plotly figure: it lays out traces and axes and computes nothing mathematical (every
 * sample, range and arrow comes from the server).
 */
import type { Data, Layout } from 'plotly.js-dist-min';
import type { PlotData } from '../../../protocol/plot';
import type { Theme } from '../theme';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

/** View options the panel's toolbar controls (per panel, not per plot). */
export interface ViewOptions {
  /** Surfaces and two-variable Taylor plots: the 3-D view instead of the contour maps. */
  view3d: boolean;
  /** Surfaces: gradient arrows on the contour map. */
  arrows: boolean;
}

export interface DrawContext {
  theme: Theme;
  options: ViewOptions;
}

export type Drawer<P extends PlotData> = (plot: P, ctx: DrawContext) => Figure;

/**
 * Labels for a path of n points: every point when there are few, else about a dozen
 * (the first, every k-th and the last), so long gradient-descent paths stay readable.
 *
 *   pathLabels(4)  // ['0', '1', '2', '3']
 */
export function pathLabels(n: number): string[] {
  // Long paths crowd their last labels onto the optimum, so they get fewer.
  const step = n <= 15 ? 1 : Math.ceil(n / (n > 60 ? 8 : 12));
  return Array.from({ length: n }, (_, k) => (k % step === 0 || k === n - 1 ? String(k) : ''));
}

/** Marker size for a path of n points: long paths are drawn as a line of small dots. */
export const markerSize = (n: number, large = 7): number => (n > 60 ? 3 : large);

/** Plotly's `null` gaps are typed as Datum; our Sample arrays are already that shape. */
export type Column = (number | null)[];

/** Vertical stacking of two panels sharing the figure: main on top, a smaller one below. */
export const STACK = { main: [0.36, 1] as [number, number], below: [0, 0.24] as [number, number] };
