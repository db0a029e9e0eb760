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
  const tangents = plot.tangents ?? [];
  const first = tangents[plot.tangentIndex ?? 0] ?? tangents[0];
  const tangentTrace = data.length;
  if (first) {
    data.push({ type: 'scatter', mode: 'lines', name: 'tangent', x: first.line.x, y: first.line.y, hoverinfo: 'skip', line: { color: t.foreground, width: 1.5, dash: 'dot' } });
    data.push({ type: 'scatter', mode: 'markers', name: 'point of tangency', x: [first.x0], y: [first.y0], showlegend: false, marker: { color: t.accent, size: 9, line: { color: t.background, width: 1 } }, hovertemplate: 'slope %{text}<extra></extra>', text: [String(Number(first.slope.toPrecision(6)))] });
  }
  const layout = baseLayout(t);
  layout.xaxis = axisStyle(t, plot.variable, plot.xRange);
  layout.yaxis = axisStyle(t, undefined, plot.yRange);
  if (first) {
    // The slider swaps in another precomputed tangent: a restyle of the two tangent traces.
    layout.sliders = [{
      active: tangents.indexOf(first),
      currentvalue: { prefix: `tangent at ${plot.variable} = `, font: { color: t.foreground } },
      pad: { t: 48, b: 4 }, len: 1, x: 0,
      bgcolor: t.grid, activebgcolor: t.accent, bordercolor: t.axis, borderwidth: 1, tickcolor: t.axis, font: { color: t.foreground },
      steps: tangents.map((k) => ({
        method: 'restyle', label: String(Number(k.x0.toPrecision(3))),
        args: [{ x: [k.line.x, [k.x0]], y: [k.line.y, [k.y0]], text: [[], [String(Number(k.slope.toPrecision(6)))]] }, [tangentTrace, tangentTrace + 1]],
      })),
    }];
    layout.margin = { ...layout.margin, b: 120 };
  }
  return { data, layout };
};
