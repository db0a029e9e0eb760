/**
 * root: Newton-Raphson on the curve. Step k is a vertical from (x_k, 0) up to the curve
 * and the tangent from (x_k, f(x_k)) down to (x_{k+1}, 0), where it meets the axis.
 */
import type { Data } from 'plotly.js-dist-min';
import type { RootPlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import { type Drawer, pathLabels } from './figure';

export const drawRoot: Drawer<RootPlot> = (plot, { theme: t }) => {
  const data: Data[] = [{ type: 'scatter', mode: 'lines', name: plot.curve.name, x: plot.curve.x, y: plot.curve.y, connectgaps: false, line: { color: t.palette[0], width: t.lineWidth } }];
  // One trace for every vertical and one for every tangent, segments separated by gaps.
  const vx: (number | null)[] = [], vy: (number | null)[] = [], tx: (number | null)[] = [], ty: (number | null)[] = [];
  for (const s of plot.steps) {
    vx.push(s.x, s.x, null); vy.push(0, s.fx, null);
    tx.push(s.x, s.next, null); ty.push(s.fx, 0, null);
  }
  data.push({ type: 'scatter', mode: 'lines', name: 'f(xₖ)', x: vx, y: vy, hoverinfo: 'skip', line: { color: t.foreground, width: 1, dash: 'dot' } });
  data.push({ type: 'scatter', mode: 'lines', name: 'tangent steps', x: tx, y: ty, hoverinfo: 'skip', line: { color: t.accent, width: 1.5 } });
  const xs = plot.steps.map((s) => s.x);
  const last = plot.steps[plot.steps.length - 1];
  if (last) xs.push(last.next);
  data.push({
    type: 'scatter', mode: 'text+markers', name: 'xₖ', x: xs, y: xs.map(() => 0),
    text: pathLabels(xs.length), textposition: 'bottom center', textfont: { color: t.foreground },
    marker: { color: t.accent, size: 7, line: { color: t.background, width: 1 } },
    hovertemplate: 'x_%{text} = %{x:.10g}<extra></extra>',
  });
  if (plot.root !== null) {
    data.push({ type: 'scatter', mode: 'markers', name: `root ≈ ${plot.root.toPrecision(8)}`, x: [plot.root], y: [0], marker: { symbol: 'star', size: 13, color: t.palette[2], line: { color: t.background, width: 1 } } });
  }
  const layout = baseLayout(t);
  layout.xaxis = axisStyle(t, plot.variable);
  layout.yaxis = axisStyle(t, undefined, plot.yRange);
  return { data, layout };
};
