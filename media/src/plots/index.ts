/**
 * The drawer for each plot kind. Adding a kind: a member of the PlotData union in
 * protocol/plot.ts, a builder in server/src/core/plot/build.ts, a drawer module here and
 * one line in this table (the compiler checks the table is complete).
 */
import type { PlotData, PlotKind } from '../../../protocol/plot';
import { drawCurve } from './curve';
import type { DrawContext, Drawer, Figure } from './figure';
import { drawFit } from './fit';
import { drawLagrange } from './lagrange';
import { drawOptimize } from './optimize';
import { drawRoot } from './root';
import { drawSurface } from './surface';
import { drawSystem } from './system';
import { drawTaylor } from './taylor';
import { drawTaylorSurface } from './taylorSurface';

const DRAWERS: { [K in PlotKind]: Drawer<Extract<PlotData, { kind: K }>> } = {
  curve: drawCurve,
  surface: drawSurface,
  optimize: drawOptimize,
  root: drawRoot,
  system: drawSystem,
  lagrange: drawLagrange,
  fit: drawFit,
  taylor: drawTaylor,
  'taylor-surface': drawTaylorSurface,
};

/** The plotly figure for any plot. */
export function figureFor(plot: PlotData, ctx: DrawContext): Figure {
  return (DRAWERS[plot.kind] as Drawer<PlotData>)(plot, ctx);
}
