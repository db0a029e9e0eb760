/**
 * root of a system of two equations: the zero curve of each equation in its own colour (a
 * root is where they cross) and Newton's numbered path to the root.
 */
import type { Data } from 'plotly.js-dist-min';
import type { SystemRootPlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import { type Drawer, markerSize, pathLabels } from './figure';
import { curvesTrace } from './surface';

export const drawSystem: Drawer<SystemRootPlot> = (plot, { theme: t }) => {
  const [xn, yn] = plot.variables;
  // Dashes as well as colours, so the two curves stay apart for every reader.
  const data: Data[] = plot.curves.map((c, i) => curvesTrace(c, c.name, { color: t.palette[i % t.palette.length], width: t.lineWidth + 0.5, dash: i === 0 ? 'solid' : 'dash' }));
  const n = plot.path.length;
  const keep = plot.labels ? new Set(plot.labels) : undefined;
  const labels = keep ? plot.path.map((_, k) => (keep.has(k) ? String(k) : '')) : pathLabels(n);
  data.push({
    type: 'scatter', mode: 'lines+markers+text', name: 'Newton iterates',
    x: plot.path.map((p) => p.point[0]!), y: plot.path.map((p) => p.point[1]!),
    text: labels, textposition: 'top right', textfont: { color: t.foreground },
    line: { color: t.accent, width: 1.5, dash: 'dot' },
    marker: { color: t.accent, size: markerSize(n), line: { color: t.background, width: 1 } },
    customdata: plot.path.map((p, k) => [k, p.value]),
    hovertemplate: 'x<sub>%{customdata[0]}</sub> = (%{x:.8g}, %{y:.8g})<br>‖F‖ = %{customdata[1]:.3g}<extra></extra>',
  } as Data);
  if (plot.root) {
    data.push({
      type: 'scatter', mode: 'markers', name: `root ≈ (${plot.root.map((v) => v.toPrecision(8)).join(', ')})`,
      x: [plot.root[0]], y: [plot.root[1]],
      marker: { symbol: 'star', size: 14, color: t.palette[2], line: { color: t.foreground, width: 1 } },
      hovertemplate: 'root (%{x:.10g}, %{y:.10g})<extra></extra>',
    });
  }
  const layout = baseLayout(t);
  layout.xaxis = axisStyle(t, xn, plot.xRange);
  layout.yaxis = axisStyle(t, yn, plot.yRange);
  return { data, layout };
};
