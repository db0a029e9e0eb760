/**
 * minimize / maximize: the numbered path of iterates on the curve (1-D) or the contour map
 * (2-D), and below it the convergence, |f(x_k) − f*| and |∇f(x_k)| against k on a log axis.
 */
import type { Data, Layout } from 'plotly.js-dist-min';
import type { OptimizePlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import { type Drawer, markerSize, pathLabels, STACK } from './figure';
import { contourMap } from './surface';

export const drawOptimize: Drawer<OptimizePlot> = (plot, { theme: t }) => {
  const data: Data[] = [];
  const layout: Partial<Layout> = baseLayout(t);
  // The server says which iterates to number (spread over the map); older data: every k-th.
  const keep = plot.labels ? new Set(plot.labels) : undefined;
  const iteration = plot.path.map((p, k) => p.iteration ?? k);
  const labels = keep ? iteration.map((it, k) => (keep.has(k) ? String(it) : '')) : pathLabels(plot.path.length);
  const n = plot.path.length;
  const marker = { color: t.accent, size: markerSize(n), line: { color: t.background, width: n > 60 ? 0 : 1 } };
  const hasMap = Boolean(plot.curve || plot.grid);
  // A long path (thousands of gradient-descent steps) is a line, with markers and numbers only
  // on the labelled iterates: an SVG marker and text node per point took most of a second.
  const long = n > 60;
  const numbered = (x: number[], y: number[], textposition: string, textfont: Record<string, unknown>): Data[] => {
    if (!long) return [];
    const ks = labels.flatMap((l, k) => (l ? [k] : []));
    return [{
      type: 'scatter', mode: 'text+markers', name: 'numbered iterates', showlegend: false, hoverinfo: 'skip',
      x: ks.map((k) => x[k]!), y: ks.map((k) => y[k]!), text: ks.map((k) => labels[k]!), textposition, textfont,
      marker: { color: t.accent, size: 6, line: { color: t.background, width: 1 } },
    } as Data];
  };

  if (plot.curve) {
    data.push({ type: 'scatter', mode: 'lines', name: plot.curve.name, x: plot.curve.x, y: plot.curve.y, connectgaps: false, line: { color: t.palette[0], width: t.lineWidth } });
    const x = plot.path.map((p) => p.point[0]!), y = plot.path.map((p) => p.value);
    data.push({
      type: 'scatter', mode: long ? 'lines' : 'lines+markers+text', name: 'iterates', x, y,
      ...(long ? {} : { text: labels, textposition: 'top center', textfont: { color: t.foreground } }),
      line: { color: t.accent, width: 1, dash: 'dot' }, marker,
    });
    data.push(...numbered(x, y, 'top center', { color: t.foreground }));
    layout.xaxis = { ...axisStyle(t, plot.variables[0]), domain: [0, 1] };
  } else if (plot.grid) {
    data.push(...contourMap(plot.grid, t, 'f', { colorbar: { thickness: 12, outlinewidth: 0, len: STACK.main[1] - STACK.main[0], y: STACK.main[0], yanchor: 'bottom', tickfont: { color: t.foreground } } }));
    const x = plot.path.map((p) => p.point[0]!), y = plot.path.map((p) => p.point[1]!);
    const textfont = { color: '#ffffff', shadow: '0px 0px 3px #000000' };
    data.push({
      type: 'scatter', mode: long ? 'lines' : 'lines+markers+text', name: 'iterates', x, y,
      ...(long ? {} : { text: labels, textposition: 'top right', textfont }),
      line: { color: t.accent, width: 2 }, marker,
      customdata: iteration, hovertemplate: 'x<sub>%{customdata}</sub> = (%{x:.6g}, %{y:.6g})<extra></extra>',
    });
    data.push(...numbered(x, y, 'top right', textfont));
    const g = plot.grid;
    layout.xaxis = axisStyle(t, plot.variables[0], [g.x[0], g.x[g.x.length - 1]]);
    layout.yaxis = axisStyle(t, plot.variables[1], [g.y[0], g.y[g.y.length - 1]]);
  }
  if (hasMap) layout.yaxis = { ...(layout.yaxis ?? axisStyle(t)), domain: STACK.main };

  // Convergence: on its own axes below the map (or alone when there is no map).
  const xa = hasMap ? 'x2' : 'x', ya = hasMap ? 'y2' : 'y';
  const k = plot.convergence.iteration;
  const convMode = long ? 'lines' : 'lines+markers';
  data.push({ type: 'scatter', mode: convMode, name: plot.goal === 'minimize' ? 'f − f*' : 'f* − f', x: k, y: plot.convergence.gap, xaxis: xa, yaxis: ya, connectgaps: false, line: { color: t.palette[0], width: t.lineWidth }, marker: { size: markerSize(n, 4) } });
  if (plot.convergence.gradNorm.some((v) => v !== null)) {
    data.push({ type: 'scatter', mode: convMode, name: '|∇f|', x: k, y: plot.convergence.gradNorm, xaxis: xa, yaxis: ya, connectgaps: false, line: { color: t.palette[2], width: t.lineWidth, dash: 'dash' }, marker: { size: markerSize(n, 4) } });
  }
  // Whole-number ticks: a short run would otherwise get ticks at 0.2, 0.4, ….
  const convX = { ...axisStyle(t, 'iteration k'), ...(n <= 10 ? { tick0: 0, dtick: 1 } : {}), ...(hasMap ? { anchor: 'y2' as const } : {}) };
  const convY = { ...axisStyle(t), type: 'log' as const, exponentformat: 'power' as const, ...(hasMap ? { anchor: 'x2' as const, domain: STACK.below } : {}) };
  if (hasMap) { layout.xaxis2 = convX; layout.yaxis2 = convY; } else { layout.xaxis = convX; layout.yaxis = convY; }
  return { data, layout };
};
