// Files copied verbatim into dist/ by the build (webview styles, fonts).
export const assets = [];
