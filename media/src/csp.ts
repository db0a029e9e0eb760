/**
 * Plotly adds its stylesheet rules at run time through <style> elements it creates itself.
 * The page's CSP forbids inline styles unless they carry the page's nonce, and we keep it
 * that way (no 'unsafe-inline'): instead, <style> elements created by this page's own
 * scripts receive the nonce of the script that loaded them. Imported first by main.ts,
 * so it runs before plotly's module code.
 * Both patches only change how this page's own scripts apply styles, never what they apply.
 */
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
if (nonce) {
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const el = createElement.call(this, tagName, options);
    if (el instanceof HTMLStyleElement) el.nonce = nonce;
    return el;
  } as typeof Document.prototype.createElement;
}

// d3 (inside plotly) also writes `style` attributes, which the CSP blocks as inline styles;
// the same declarations set through the CSSOM are allowed, so route them there.
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
  if (name.toLowerCase() === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) {
    this.style.cssText = String(value);
    return;
  }
  setAttribute.call(this, name, value);
};
export {};
