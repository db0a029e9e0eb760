// Files copied verbatim into dist/ by the build (webview styles, fonts).
export const assets = [
  // The plot panel: its stylesheet, and KaTeX's stylesheet with the fonts it references
  // (relative `fonts/` URLs, so both keep their layout under dist/media/katex/).
  { from: 'media/plot.css', to: 'dist/media/plot.css' },
  { from: 'node_modules/katex/dist/katex.min.css', to: 'dist/media/katex/katex.min.css' },
  { from: 'node_modules/katex/dist/fonts', to: 'dist/media/katex/fonts' },
];
