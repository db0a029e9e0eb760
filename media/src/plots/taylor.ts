/** taylor: f with its Taylor polynomials of each order about a, and the errors |f − T_k| below (log scale). */
import type { Data } from 'plotly.js-dist-min';
import type { TaylorPlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import { type Drawer, STACK } from './figure';

export const drawTaylor: Drawer<TaylorPlot> = (plot, { theme: t }) => {
  // The function in the text colour, thick; the polynomials in the palette after it.
  const colour = (i: number) => t.palette[(i + 1) % t.palette.length]!;
  const data: Data[] = [
    { type: 'scatter', mode: 'lines', name: plot.function.name, x: plot.function.x, y: plot.function.y, connectgaps: false, line: { color: t.foreground, width: t.lineWidth + 1.5 } },
  ];
  plot.polynomials.forEach((p, i) => data.push({
    type: 'scatter', mode: 'lines', name: p.name, legendgroup: p.name, x: p.x, y: p.y, connectgaps: false,
    line: { color: colour(i), width: t.lineWidth },
  }));
  plot.errors.forEach((e, i) => data.push({
    type: 'scatter', mode: 'lines', name: e.name, legendgroup: plot.polynomials[i]?.name ?? e.name, showlegend: false,
    x: e.x, y: e.y, xaxis: 'x2', yaxis: 'y2', connectgaps: false, line: { color: colour(i), width: 1.5 },
  }));
  const layout = baseLayout(t);
  layout.xaxis = { ...axisStyle(t, undefined, plot.xRange), anchor: 'y', showticklabels: false };
  layout.yaxis = { ...axisStyle(t, undefined, plot.yRange), domain: STACK.main };
  layout.xaxis2 = { ...axisStyle(t, plot.variable), anchor: 'y2', matches: 'x' };
  layout.yaxis2 = { ...axisStyle(t, '|f − Tₖ|'), type: 'log', exponentformat: 'power', domain: STACK.below, anchor: 'x2' };
  // The expansion point, on both panels.
  layout.shapes = [{ type: 'line', xref: 'x', yref: 'paper', x0: plot.center, x1: plot.center, y0: 0, y1: 1, line: { color: t.axis, width: 1, dash: 'dot' } }];
  return { data, layout };
};
