/** fit: data with error bars and the fitted curve; residuals with their error bars in a panel below. */
import type { Data } from 'plotly.js-dist-min';
import type { FitPlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import { type Drawer, STACK } from './figure';

export const drawFit: Drawer<FitPlot> = (plot, { theme: t }) => {
  const errorBars = (sigma?: number[]) => (sigma ? { error_y: { type: 'data' as const, array: sigma, visible: true, color: t.foreground, thickness: 1, width: 3 } } : {});
  const data: Data[] = [
    { type: 'scatter', mode: 'markers', name: 'data', x: plot.data.x, y: plot.data.y, marker: { color: t.palette[0], size: 7 }, ...errorBars(plot.data.sigma) },
    { type: 'scatter', mode: 'lines', name: plot.curve.name, x: plot.curve.x, y: plot.curve.y, connectgaps: false, line: { color: t.palette[1], width: t.lineWidth } },
    { type: 'scatter', mode: 'markers', name: 'residuals', x: plot.residuals.x, y: plot.residuals.r, xaxis: 'x2', yaxis: 'y2', marker: { color: t.palette[0], size: 6 }, showlegend: false, ...errorBars(plot.residuals.sigma) },
  ];
  const layout = baseLayout(t);
  layout.xaxis = { ...axisStyle(t), domain: [0, 1], anchor: 'y', showticklabels: false };
  layout.yaxis = { ...axisStyle(t, plot.yName), domain: STACK.main };
  layout.xaxis2 = { ...axisStyle(t, plot.xName), anchor: 'y2', matches: 'x' };
  layout.yaxis2 = { ...axisStyle(t, 'residual'), domain: STACK.below, anchor: 'x2', zeroline: true, zerolinewidth: 1.5 };
  return { data, layout };
};
