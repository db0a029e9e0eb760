/** Two-variable functions: contour lines over a heat map, or the 3-D surface; optional gradient arrows. */
import type { Data } from 'plotly.js-dist-min';
import { type Grid, gridRows, type LevelCurves, type SurfacePlot, unpack } from '../../../protocol/plot';
import { axisStyle, baseLayout, type Theme } from '../theme';
import type { Column, Drawer } from './figure';

/**
 * Level curves as one line trace: the server traced them (NaN between curves, which plotly
 * draws as a gap), so plotly only strokes a path.
 */
export function curvesTrace(curves: LevelCurves, name: string, line: Record<string, unknown>, extra: Record<string, unknown> = {}): Data {
  return {
    type: 'scatter', mode: 'lines', name, x: column(unpack(curves.x)), y: column(unpack(curves.y)),
    connectgaps: false, hoverinfo: 'skip', line: { ...line, simplify: true }, ...extra,
  } as Data;
}

/**
 * A contour map: the heat map of the grid (with the hover read-out) and the server's contour
 * lines over it. Two plain traces are several times faster to draw than a plotly `contour`
 * trace, which traces the lines itself on every redraw.
 */
export function contourMap(grid: Grid, t: Theme, name: string, extra: Record<string, unknown> = {}, axes: { xaxis?: string; yaxis?: string } = {}): Data[] {
  const data: Data[] = [{
    ...axes,
    type: 'heatmap', name, x: grid.x, y: grid.y, z: gridRows(grid),
    colorscale: t.colorscale, connectgaps: false, hoverongaps: false,
    ...(grid.zRange ? { zauto: false, zmin: grid.zRange[0], zmax: grid.zRange[1] } : {}),
    colorbar: { thickness: 12, outlinewidth: 0, tickfont: { color: t.foreground } },
    hovertemplate: '(%{x:.4g}, %{y:.4g}) ↦ %{z:.5g}<extra></extra>',
    ...extra,
  } as Data];
  if (grid.contours) data.push(curvesTrace(grid.contours, 'contours', { color: 'rgba(255,255,255,0.45)', width: 0.6 }, { showlegend: false, ...axes }));
  return data;
}

/** Plotly takes gaps as null, not NaN. */
function column(values: Float64Array): Column {
  const out: Column = new Array(values.length);
  for (let k = 0; k < values.length; k++) { const v = values[k]!; out[k] = v === v ? v : null; }
  return out;
}

export const drawSurface: Drawer<SurfacePlot> = (plot, { theme: t, options }) => {
  const [xn, yn] = plot.variables;
  const layout = baseLayout(t);
  if (options.view3d) {
    const axis = (title: string) => ({ title: { text: title }, color: t.foreground, gridcolor: t.grid, zerolinecolor: t.axis, backgroundcolor: 'rgba(0,0,0,0)' });
    layout.scene = { xaxis: axis(xn), yaxis: axis(yn), zaxis: axis(plot.zLabel ?? `f(${xn}, ${yn})`), aspectmode: 'cube', camera: { eye: { x: 1.6, y: -1.6, z: 1.1 } } };
    layout.margin = { l: 0, r: 0, t: 8, b: 0 };
    const data: Data[] = [{
      type: 'surface', name: plot.title, x: plot.grid.x, y: plot.grid.y, z: gridRows(plot.grid), colorscale: t.colorscale,
      ...(plot.grid.zRange ? { cauto: false, cmin: plot.grid.zRange[0], cmax: plot.grid.zRange[1] } : {}),
      contours: { z: { show: true, usecolormap: true, project: { z: true } } },
      colorbar: { thickness: 12, outlinewidth: 0, tickfont: { color: t.foreground } },
    } as Data];
    return { data, layout };
  }
  const data: Data[] = contourMap(plot.grid, t, plot.title);
  if (options.arrows && plot.gradient) {
    // Each arrow is a segment start → start + (u, v) then a gap; the head is an arrow marker
    // at the end, turned along the segment by plotly (angleref 'previous').
    const g = plot.gradient, x: (number | null)[] = [], y: (number | null)[] = [], size: number[] = [];
    g.x.forEach((x0, i) => {
      const y0 = g.y[i]!;
      x.push(x0, x0 + g.u[i]!, null);
      y.push(y0, y0 + g.v[i]!, null);
      size.push(0, 7, 0);
    });
    data.push({
      type: 'scatter', mode: 'lines+markers', name: '∇f', x, y, hoverinfo: 'skip',
      // Near-black reads on Viridis' green and yellow, where the arrows are long; on its dark
      // purple, near a minimum, they are short anyway.
      line: { color: '#111111', width: 1.2 },
      marker: { symbol: 'arrow', angleref: 'previous', size, color: '#111111' },
    } as Data);
  }
  layout.xaxis = axisStyle(t, xn, [plot.grid.x[0], plot.grid.x[plot.grid.x.length - 1]]);
  layout.yaxis = axisStyle(t, yn, [plot.grid.y[0], plot.grid.y[plot.grid.y.length - 1]]);
  return { data, layout };
};
