/**
 * Typeset math for hovers: LaTeX to a self-contained SVG with MathJax, as a data URI
 * that hover markdown can show as an image (VS Code's hovers cannot run a math
 * renderer themselves; the LaTeX Workshop extension shows its math previews the same way).
 *
 * An image in a hover is an <img>, where `currentColor` has no text colour to follow,
 * so the glyphs are coloured for the theme here; and it has no font-size context, so
 * the SVG's size is set in pixels from the editor's font size.
 *
 * Rendering never throws: a formula MathJax rejects, or one too large to be worth an
 * image, gives undefined and the hover shows text only.
 */
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor, type LiteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
// Only the packages our printers use (\frac, \left, bmatrix, aligned): the bundle stays small.
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';

export type Theme = 'light' | 'dark' | 'high-contrast';

export interface TypesetOptions {
  readonly theme?: Theme;
  /** The editor's font size in pixels (default 14): 1em of the math. */
  readonly fontSize?: number;
  /**
   * A time (performance.now(), ms) after which no new formula is typeset for this request:
   * an uncached formula past it gives undefined now and is typeset in the background, so
   * the next hover over it has its image.
   */
  readonly deadline?: number;
}

/** The glyph colour per theme: VS Code's default editor foregrounds, and pure white for high contrast (a dark theme). */
export const THEME_COLOURS: Readonly<Record<Theme, string>> = {
  light: '#1f1f1f',
  dark: '#d4d4d4',
  'high-contrast': '#ffffff',
};

export const DEFAULT_FONT_SIZE = 14;
/** LaTeX longer than this is not typeset (MathJax's time grows with it; a hover must stay fast). */
export const MAX_LATEX_LENGTH = 6000;
/** An SVG larger than this (bytes, before base64) is dropped: hovers carry the image inline. */
export const MAX_SVG_BYTES = 96 * 1024;
/** Rendered images kept, least recently used dropped first. */
export const CACHE_SIZE = 256;
/** …and at most this many characters of data URIs in all (8 MB of UTF-16). */
export const CACHE_CHARS = 4 * 1024 * 1024;

interface Engine {
  readonly adaptor: LiteAdaptor;
  readonly convert: (latex: string, em: number) => unknown;
}

let engine: Engine | undefined | null;

/** MathJax, set up on first use; null when it cannot start (the hovers then show text only). */
function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  try {
    const adaptor = liteAdaptor();
    RegisterHTMLHandler(adaptor);
    // formatError rethrows, so that a bad formula is an exception we turn into "no image",
    // instead of MathJax's red error box drawn into the hover.
    const tex = new TeX({ packages: ['base', 'ams'], formatError: (_jax: unknown, err: unknown) => { throw err; } });
    // fontCache 'local': the glyph outlines live in the SVG's own <defs>, so the image is self-contained.
    const svg = new SVG({ fontCache: 'local' });
    const doc = mathjax.document('', { InputJax: tex, OutputJax: svg });
    engine = {
      adaptor,
      convert: (latex, em) => doc.convert(latex, { display: true, em, ex: em / 2, containerWidth: 80 * em }),
    };
  } catch {
    engine = null;
  }
  return engine;
}

/**
 * The image cache: least recently used first out, bounded both in entries and in characters
 * (a few large matrices must not hold tens of megabytes). A Map keeps insertion order, so its
 * first key is the oldest; `null` records a formula that cannot be typeset.
 */
class ImageCache {
  private readonly map = new Map<string, string | null>();
  private chars = 0;
  constructor(private readonly maxEntries: number, private readonly maxChars: number) {}
  get(key: string): string | null | undefined {
    const v = this.map.get(key);
    if (v !== undefined) { this.map.delete(key); this.map.set(key, v); }
    return v;
  }
  has(key: string): boolean { return this.map.has(key); }
  set(key: string, v: string | null): void {
    this.delete(key);
    this.map.set(key, v);
    this.chars += key.length + (v?.length ?? 0);
    while (this.map.size > this.maxEntries || (this.chars > this.maxChars && this.map.size > 1)) {
      this.delete(this.map.keys().next().value as string);
    }
  }
  clear(): void { this.map.clear(); this.chars = 0; }
  private delete(key: string): void {
    if (!this.map.has(key)) return;
    this.chars -= key.length + (this.map.get(key)?.length ?? 0);
    this.map.delete(key);
  }
}

const cache = new ImageCache(CACHE_SIZE, CACHE_CHARS);

/**
 * The SVG text of a formula, coloured and sized; undefined when it cannot be typeset.
 *
 * @example renderSvg('x^{2}', { theme: 'dark', fontSize: 14 }) // '<svg xmlns=… width="…px" …><path fill="#d4d4d4" …'
 */
export function renderSvg(latex: string, options: TypesetOptions = {}): string | undefined {
  if (latex.length === 0 || latex.length > MAX_LATEX_LENGTH) return undefined;
  const e = getEngine();
  if (!e) return undefined;
  const fontSize = clampFontSize(options.fontSize);
  const colour = THEME_COLOURS[options.theme ?? 'dark'] ?? THEME_COLOURS.dark;
  try {
    const node = e.convert(latex, fontSize);
    const svgNode = e.adaptor.firstChild(node as never);
    const raw = e.adaptor.outerHTML(svgNode as never);
    return finishSvg(raw, fontSize, colour);
  } catch {
    return undefined;
  }
}

function clampFontSize(size: number | undefined): number {
  return typeof size === 'number' && Number.isFinite(size) ? Math.min(64, Math.max(6, size)) : DEFAULT_FONT_SIZE;
}

/**
 * Sets the size in pixels from the viewBox (1000 units per em) and the colour for the theme.
 * Exported for tests.
 */
export function finishSvg(raw: string, fontSize: number, colour: string): string | undefined {
  const vb = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(raw);
  if (!vb || !raw.startsWith('<svg')) return undefined;
  const width = (Number(vb[3]) / 1000) * fontSize;
  const height = (Number(vb[4]) / 1000) * fontSize;
  return raw
    .replace(/^<svg[^>]*?\sstyle="[^"]*"/, (m) => m.replace(/\sstyle="[^"]*"/, ''))
    .replace(/\swidth="[^"]*"/, ` width="${round2(width)}px"`)
    .replace(/\sheight="[^"]*"/, ` height="${round2(height)}px"`)
    .replace(/currentColor/g, colour)
    // MathJax's bookkeeping attributes (the MathML node and character of each glyph) mean
    // nothing to an image viewer and are a third of the bytes of a large formula
    .replace(/\s(?:data-mml-node|data-c|data-mjx-texclass|data-mjx-auto-op)="[^"]*"/g, '');
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Base64 of UTF-8 text, without Node's Buffer (the service may later run in a browser). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A `data:image/svg+xml;base64,…` URI of a formula, cached by (latex, theme, font size);
 * undefined when it cannot be typeset or the image would be too large.
 *
 * @example svgDataUri('\\nabla f') // "data:image/svg+xml;base64,PHN2Zy…"
 */
export function svgDataUri(latex: string, options: TypesetOptions = {}): string | undefined {
  const key = cacheKey(latex, options);
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  // start a typeset only when it is expected to end before the deadline: one large matrix
  // must not carry a hover far past its budget on a slow or busy machine
  // (MathJax's one-time setup never fits a budget: a hover before it is done queues its formulas)
  if (options.deadline !== undefined && (engine === undefined || performance.now() + expectedMs(latex) > options.deadline)) {
    later(key, latex, options);
    return undefined;
  }
  return renderToCache(key, latex, options);
}

/**
 * MathJax's cost grows about linearly with the formula, so the expected time of a typeset is
 * its LaTeX length times a rate learnt from the typesets so far (a moving average, which
 * follows the JIT warming up and the machine's load). The first guess is a warm rate.
 */
let msPerChar = 0.02;
const expectedMs = (latex: string): number => latex.length * msPerChar;

function learn(latex: string, ms: number): void {
  const rate = ms / Math.max(1, latex.length);
  if (Number.isFinite(rate)) msPerChar = Math.min(10, Math.max(1e-4, 0.7 * msPerChar + 0.3 * rate));
}

function cacheKey(latex: string, options: TypesetOptions): string {
  return `${options.theme ?? 'dark'}\u0000${clampFontSize(options.fontSize)}\u0000${latex}`;
}

function renderToCache(key: string, latex: string, options: TypesetOptions): string | undefined {
  // MathJax's one-time setup is not part of the rate
  const warm = engine !== undefined;
  const t0 = performance.now();
  const svg = renderSvg(latex, options);
  if (warm) learn(latex, performance.now() - t0);
  const uri = svg && svg.length <= MAX_SVG_BYTES ? `data:image/svg+xml;base64,${base64(svg)}` : null;
  cache.set(key, uri);
  return uri ?? undefined;
}

/** Formulas left for the background, one typeset per macrotask so other requests interleave. */
const pending = new Map<string, { latex: string; options: TypesetOptions }>();
/** At most this many formulas wait; more are dropped (they are typeset when next hovered). */
export const MAX_PENDING = 64;
let draining: Promise<void> | undefined;

function later(key: string, latex: string, options: TypesetOptions): void {
  if (pending.has(key) || pending.size >= MAX_PENDING) return;
  pending.set(key, { latex, options: { ...(options.theme ? { theme: options.theme } : {}), ...(options.fontSize ? { fontSize: options.fontSize } : {}) } });
  draining ??= new Promise<void>((resolve) => {
    const step = (): void => {
      const next = pending.entries().next();
      if (next.done) { draining = undefined; resolve(); return; }
      const [k, job] = next.value;
      pending.delete(k);
      if (!cache.has(k)) renderToCache(k, job.latex, job.options);
      tick(step);
    };
    tick(step);
  });
}

/** The next macrotask (the queue is bounded, so a process waits for it at most MAX_PENDING typesets). */
function tick(f: () => void): void {
  setTimeout(f, 0);
}

/** Resolves when the background queue is empty (for tests and benchmarks). */
export function whenTypesetIdle(): Promise<void> {
  return draining ?? Promise.resolve();
}

/**
 * Sets MathJax up and runs it over formulas like the hovers' (fractions, matrices, aligned
 * rows) until the JIT has compiled its hot paths: the first typeset in a process costs
 * many times a warm one. For the server to call once after it starts, off the request path.
 * Returns the milliseconds it took.
 */
export function warmUpTypeset(rounds = 8): number {
  const t0 = performance.now();
  const samples = [
    '\\frac{\\partial f}{\\partial x} = 2 x y + 2.5 y \\cdot \\cos\\left(x y\\right)',
    '\\begin{aligned} \\frac{\\partial f}{\\partial x_{1}} &= -400 x_{1} \\left(x_{2} - {x_{1}}^{2}\\right) \\\\ \\nabla f &= \\sqrt{x} \\end{aligned}',
    '\\begin{bmatrix} 1200 {x_{1}}^{2} - 400 x_{2} + 2 & -400 x_{1} & 0 \\\\ -400 x_{1} & 202 & -400 x_{2} \\\\ 0 & -400 x_{2} & 200 \\end{bmatrix}',
  ];
  for (let r = 0; r < rounds; r++) {
    for (const s of samples) {
      const t = performance.now();
      renderSvg(s);
      // the last round is warm: it sets the rate that hovers use to plan their budget
      if (r === rounds - 1) learn(s, performance.now() - t);
    }
  }
  return performance.now() - t0;
}

/**
 * Markdown for an image of a formula, or undefined when it cannot be typeset.
 *
 * @example typesetMarkdown('x^{2}', 'x²') // "![x²](data:image/svg+xml;base64,…)"
 */
export function typesetMarkdown(latex: string, alt: string, options: TypesetOptions = {}): string | undefined {
  const uri = svgDataUri(latex, options);
  return uri ? `![${altText(alt)}](${uri})` : undefined;
}

/** Alt text on one line, at most 100 characters, with the characters markdown gives meaning escaped. */
function altText(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const short = [...one].length > 100 ? `${[...one].slice(0, 99).join('')}…` : one;
  return short.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** Empties the image cache (for benchmarks that measure cold renders). */
export function clearTypesetCache(): void {
  cache.clear();
}
