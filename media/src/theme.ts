/**
 * The editor's look, read from the CSS variables VS Code sets on the webview's <body>
 * (light, dark and high contrast), turned into plotly colours, fonts and a base layout.
 * Re-read on every draw, so a theme switch redraws in the new colours.
 */
import type { Layout } from 'plotly.js-dist-min';

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  background: string;
  /** Faint lines: the axis grid. */
  grid: string;
  /** Axis lines and zero lines. */
  axis: string;
  fontFamily: string;
  fontSize: number;
  /** Okabe–Ito, ordered for the background: readable for colour-blind readers. */
  palette: string[];
  /** The colour of a path or of markers drawn over a heat map. */
  accent: string;
  /** Line width: wider in high contrast. */
  lineWidth: number;
  /** Sequential colour scale for heat maps and surfaces (perceptually uniform, colour-blind safe). */
  colorscale: 'Viridis' | 'Cividis';
}

// Okabe & Ito (2008), "Color Universal Design". Black is left out: it is the text colour.
const OKABE_ITO = {
  orange: '#E69F00', skyBlue: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7',
};

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

/** Reads the theme from the page. */
export function readTheme(doc: Document = document): Theme {
  const body = doc.body;
  const cls = body.classList;
  const kind: Theme['kind'] = cls.contains('vscode-high-contrast-light') ? 'high-contrast-light'
    : cls.contains('vscode-high-contrast') ? 'high-contrast'
    : cls.contains('vscode-dark') ? 'dark' : 'light';
  const dark = kind === 'dark' || kind === 'high-contrast';
  const style = getComputedStyle(body);
  const foreground = cssVar(style, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const background = cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const hc = kind.startsWith('high-contrast');
  const o = OKABE_ITO;
  // Light backgrounds: the darker hues first; dark backgrounds: the lighter ones first.
  const palette = dark
    ? [o.skyBlue, o.orange, o.green, o.purple, o.yellow, o.vermillion, o.blue]
    : [o.blue, o.vermillion, o.green, o.purple, o.orange, o.skyBlue, o.yellow];
  const size = parseFloat(cssVar(style, '--vscode-editor-font-size', '13'));
  return {
    kind, foreground, background,
    grid: hc ? cssVar(style, '--vscode-contrastBorder', foreground) : dark ? 'rgba(255,255,255,0.10)' : 'rgba(0,0,0,0.09)',
    axis: hc ? foreground : dark ? 'rgba(255,255,255,0.35)' : 'rgba(0,0,0,0.35)',
    fontFamily: cssVar(style, '--vscode-editor-font-family', 'Menlo, Consolas, "DejaVu Sans Mono", monospace'),
    fontSize: Number.isFinite(size) && size > 6 ? size : 13,
    palette,
    accent: dark ? o.orange : o.vermillion,
    lineWidth: hc ? 3 : 2,
    colorscale: 'Viridis',
  };
}

/**
 * Axis styling shared by every cartesian axis. A `range` fixes the axis; without one it
 * autoscales. Autorange is always set explicitly: plotly.react keeps the previous plot's
 * range on a reused page otherwise.
 */
export function axisStyle(t: Theme, title?: string, range?: readonly [unknown, unknown]): Partial<Layout['xaxis']> {
  return {
    ...(range ? { range: [range[0], range[1]], autorange: false } : { autorange: true }),
    ...(title ? { title: { text: title, font: { color: t.foreground } } } : {}),
    color: t.foreground,
    gridcolor: t.grid,
    zerolinecolor: t.axis,
    linecolor: t.axis,
    tickfont: { color: t.foreground },
    automargin: true,
  };
}

/** The base layout: transparent paper so the editor background shows, the editor font. */
export function baseLayout(t: Theme): Partial<Layout> {
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: t.fontFamily, size: t.fontSize, color: t.foreground },
    colorway: t.palette,
    margin: { l: 56, r: 24, t: 16, b: 48 },
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)', font: { color: t.foreground } },
    hoverlabel: { font: { family: t.fontFamily } },
    xaxis: axisStyle(t),
    yaxis: axisStyle(t),
    autosize: true,
  };
}
