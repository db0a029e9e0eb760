/**
 * The plot panel's HTML, built in one place for the extension (client/src/plotPanel.ts)
 * and for the browser tests, so the tests load exactly the page the editor shows.
 * Pure: the caller supplies the nonce (from crypto) and the asset URIs (asWebviewUri).
 */

export interface PlotHtmlOptions {
  /** `webview.cspSource`: the origin allowed to serve styles, fonts and images. */
  cspSource: string;
  /** A fresh random nonce per page, base64 or hex (never Math.random). */
  nonce: string;
  /** The bundled page script, dist/media/main.js. */
  scriptUri: string;
  /** Stylesheets: KaTeX's and the panel's. */
  styleUris: string[];
}

/** The bundled files the page needs, relative to dist/media (what the caller turns into URIs). */
export const PLOT_ASSETS = {
  script: 'main.js',
  styles: ['katex/katex.min.css', 'plot.css'],
} as const;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The page, with a Content Security Policy that allows nothing by default: scripts only
 * with the nonce, styles, fonts and images only from the webview's own resource origin
 * (images also as data:/blob: URLs, which plotly uses for heat maps and PNG export).
 * Inline styles stay forbidden; plotly's injected rules get the nonce (see main.ts).
 *
 *   buildPlotHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, scriptUri, styleUris })
 */
export function buildPlotHtml(o: PlotHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  const src = escapeAttr(o.cspSource);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${src} 'nonce-${o.nonce}'`,
    `font-src ${src}`,
    `img-src ${src} data: blob:`,
  ].join('; ');
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    ${styles}
    <title>Calc plot</title>
  </head>
  <body>
    <header>
      <h1 id="title"></h1>
      <div id="formulas"></div>
      <div id="notes"></div>
      <div id="toolbar" role="toolbar"></div>
    </header>
    <div id="status" role="status" aria-live="polite"></div>
    <main><div id="plot" role="img" aria-label="plot"></div></main>
    <section id="table"></section>
    <script nonce="${o.nonce}" src="${escapeAttr(o.scriptUri)}"></script>
  </body>
</html>
`;
}
