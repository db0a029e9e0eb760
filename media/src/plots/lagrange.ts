/** Lagrange: contours of f, the constraint curve g = 0, the candidates labelled with λ and their kind. */
import type { Data } from 'plotly.js-dist-min';
import type { LagrangePlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import type { Drawer } from './figure';
import { contourMap, curvesTrace } from './surface';

const SYMBOL = { minimum: 'triangle-down', maximum: 'triangle-up', saddle: 'x', candidate: 'circle' } as const;

export const drawLagrange: Drawer<LagrangePlot> = (plot, { theme: t }) => {
  const [xn, yn] = plot.variables;
  const g = plot.objective;
  const data: Data[] = [
    ...contourMap(g, t, 'f'),
    // The constraint curve g = 0, traced by the server on the same grid.
    curvesTrace(plot.constraint, 'constraint', { color: t.accent, width: t.lineWidth + 1 }),
  ];
  const fmt = (v: number) => Number(v.toPrecision(4)).toString();
  data.push({
    type: 'scatter', mode: 'text+markers', name: 'candidates',
    x: plot.candidates.map((k) => k.point[0]), y: plot.candidates.map((k) => k.point[1]),
    text: plot.candidates.map((k) => `${k.kind}, λ = ${k.lambda.map(fmt).join(', ')}`),
    textposition: 'top center', textfont: { color: '#ffffff', size: t.fontSize, shadow: '0px 0px 3px #000000' },
    marker: { symbol: plot.candidates.map((k) => SYMBOL[k.kind]), size: 12, color: '#ffffff', line: { color: '#000000', width: 1.5 } },
    hovertemplate: '(%{x:.6g}, %{y:.6g}): %{text}<extra></extra>',
  } as Data);
  const layout = baseLayout(t);
  // No scaleanchor: with it, plotly.react does not move the ranges when an edit moves the
  // candidates. The server's window is square-ish instead.
  layout.xaxis = axisStyle(t, xn, [g.x[0], g.x[g.x.length - 1]]);
  layout.yaxis = axisStyle(t, yn, [g.y[0], g.y[g.y.length - 1]]);
  return { data, layout };
};
