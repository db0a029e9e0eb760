/** `plot` of one-variable expressions: the curves, dashed derivatives, the tangent at a point. */
import type { Data } from 'plotly.js-dist-min';
import type { CurvePlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import type { Drawer } from './figure';

export const drawCurve: Drawer<CurvePlot> = (plot, { theme: t }) => {
  const colour = (i: number) => t.palette[i % t.palette.length]!;
  const data: Data[] = plot.curves.map((c, i) => ({
    type: 'scatter', mode: 'lines', name: c.name, x: c.x, y: c.y,
    connectgaps: false, line: { color: colour(i), width: t.lineWidth },
  }));
  (plot.derivatives ?? []).forEach((d, i) => data.push({
    type: 'scatter', mode: 'lines', name: d.name, x: d.x, y: d.y,
    connectgaps: false, line: { color: colour(i), width: t.lineWidth, dash: 'dash' },
    visible: plot.derivativesVisible === false ? 'legendonly' : true,
  }));
  if (plot.tangent) {
    const { line, x0, y0 } = plot.tangent;
    data.push({ type: 'scatter', mode: 'lines', name: line.name, x: line.x, y: line.y, line: { color: t.foreground, width: 1, dash: 'dot' } });
    data.push({ type: 'scatter', mode: 'markers', name: `(${x0}, ${y0.toPrecision(4)})`, x: [x0], y: [y0], showlegend: false, marker: { color: t.accent, size: 9 } });
  }
  const layout = baseLayout(t);
  layout.xaxis = axisStyle(t, plot.variable, plot.xRange);
  layout.yaxis = axisStyle(t, undefined, plot.yRange);
  return { data, layout };
};
