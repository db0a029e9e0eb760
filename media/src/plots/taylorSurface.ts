/**
 * taylor in two variables: f and T_n together. The 2-D view puts f's heat map with its
 * contour lines and T_n's lines on the same levels (dashed) beside the map of log₁₀|f − T_n|;
 * the 3-D view shows both surfaces, T_n translucent over f.
 */
import type { Data } from 'plotly.js-dist-min';
import { gridRows, type TaylorSurfacePlot } from '../../../protocol/plot';
import { axisStyle, baseLayout } from '../theme';
import type { Drawer } from './figure';
import { contourMap, curvesTrace } from './surface';

export const drawTaylorSurface: Drawer<TaylorSurfacePlot> = (plot, { theme: t, options }) => {
  const [xn, yn] = plot.variables;
  const { function: f, polynomial: p, names } = plot;
  const layout = baseLayout(t);
  if (options.view3d) {
    const axis = (title: string) => ({ title: { text: title }, color: t.foreground, gridcolor: t.grid, zerolinecolor: t.axis, backgroundcolor: 'rgba(0,0,0,0)' });
    layout.scene = { xaxis: axis(xn), yaxis: axis(yn), zaxis: axis(''), aspectmode: 'cube', camera: { eye: { x: 1.6, y: -1.6, z: 1.1 } } };
    layout.margin = { l: 0, r: 0, t: 8, b: 0 };
    const data: Data[] = [
      { type: 'surface', name: names.function, showlegend: true, x: f.x, y: f.y, z: gridRows(f), colorscale: t.colorscale, ...(f.zRange ? { cauto: false, cmin: f.zRange[0], cmax: f.zRange[1] } : {}), colorbar: { thickness: 12, outlinewidth: 0, tickfont: { color: t.foreground } } } as Data,
      // One colour for the polynomial, so it reads as a sheet laid over f.
      { type: 'surface', name: names.polynomial, showlegend: true, x: p.x, y: p.y, z: gridRows(p), opacity: 0.55, showscale: false, colorscale: [[0, t.accent], [1, t.accent]] } as Data,
    ];
    if (plot.centerValue !== null) {
      data.push({ type: 'scatter3d', mode: 'markers', name: 'expansion point', x: [plot.center[0]], y: [plot.center[1]], z: [plot.centerValue], marker: { size: 5, color: t.foreground } } as Data);
    }
    return { data, layout };
  }
  const colorbar = (x: number) => ({ colorbar: { x, thickness: 10, len: 0.9, outlinewidth: 0, tickfont: { color: t.foreground } } });
  const point = (xaxis: string, yaxis: string, showlegend: boolean): Data => ({
    type: 'scatter', mode: 'markers', name: 'expansion point', x: [plot.center[0]], y: [plot.center[1]], xaxis, yaxis, showlegend,
    marker: { symbol: 'x', size: 11, color: '#ffffff', line: { color: '#000000', width: 1.5 } },
    hovertemplate: `(${xn}, ${yn}) = (%{x:.6g}, %{y:.6g})<extra></extra>`,
  });
  const data: Data[] = [
    ...contourMap(f, t, names.function, { ...colorbar(0.45), hovertemplate: `${names.function} = %{z:.5g}<extra>(%{x:.4g}, %{y:.4g})</extra>` }),
    ...(p.contours ? [curvesTrace(p.contours, `${names.polynomial}, on the same levels`, { color: t.accent, width: 1.6, dash: 'dash' })] : []),
    point('x', 'y', true),
    ...contourMap(plot.logError, t, `log₁₀${names.error}`, { ...colorbar(1.0), colorscale: 'Cividis', hovertemplate: `log₁₀${names.error} = %{z:.3g}<extra>(%{x:.4g}, %{y:.4g})</extra>` }, { xaxis: 'x2', yaxis: 'y2' }),
    point('x2', 'y2', false),
  ];
  const range = (g: typeof f, axis: 'x' | 'y') => { const v = g[axis]; return [v[0], v[v.length - 1]] as const; };
  layout.xaxis = { ...axisStyle(t, xn, range(f, 'x')), domain: [0, 0.4] };
  layout.yaxis = { ...axisStyle(t, yn, range(f, 'y')) };
  layout.xaxis2 = { ...axisStyle(t, xn, range(f, 'x')), domain: [0.56, 0.96], anchor: 'y2' };
  layout.yaxis2 = { ...axisStyle(t, undefined, range(f, 'y')), anchor: 'x2' };
  layout.annotations = [
    { text: `${names.function} and ${names.polynomial}`, xref: 'paper', yref: 'paper', x: 0.2, y: 1, yanchor: 'bottom', showarrow: false, font: { color: t.foreground } },
    { text: `the error: log₁₀${names.error}`, xref: 'paper', yref: 'paper', x: 0.76, y: 1, yanchor: 'bottom', showarrow: false, font: { color: t.foreground } },
  ];
  return { data, layout };
};
