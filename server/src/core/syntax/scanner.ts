/**
 * The scanner turns .calc text into tokens on demand. It never throws: bad
 * characters become `invalid` tokens that the parser reports once per run.
 *
 * Offsets are UTF-16 code units, like the editor's.
 */

export type TokenKind =
  | 'number' | 'ident' | 'string' | 'punct' | 'newline' | 'eof' | 'invalid' | 'unterminated-string'
  /** A run of superscript digits, `²` or `¹⁰`: a power as printed, which the parser reports and reads as ^2. */
  | 'superscript';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** The token's text; for strings, the contents without quotes. */
  readonly text: string;
  /** True when white space (or a comment) separates this token from the previous one. */
  readonly spaceBefore: boolean;
}

/** Punctuation: one character each, except `==`, which wins over `=`. */
const PUNCTUATION = ['==', '+', '-', '*', '/', '^', '(', ')', '[', ']', '{', '}', ',', '=', "'", ':', ';'];
const PUNCTUATION_START = new Set(PUNCTUATION.map((p) => p.charCodeAt(0)));

const identStart = /[\p{L}_]/u;
const identPart = /[\p{L}\p{N}_\p{Mn}\p{Mc}]/u;


/** True for characters that may start an identifier (letters of any script, `_`). */
export function isIdentifierStart(ch: string): boolean {
  return identStart.test(ch);
}

export class Scanner {
  pos = 0;

  constructor(readonly text: string) {
    // A byte-order mark is not part of the program.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /**
   * The next token. Comments are skipped; line ends (LF, CRLF or CR) are tokens.
   * `new Scanner('2x # c').next()` is the number `2`, then the identifier `x`, then eof.
   */
  next(): Token {
    const text = this.text;
    let space = false;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff) { this.pos++; space = true; continue; }
      if (c === 35 /* # */) {
        while (this.pos < text.length && !isLineBreak(text.charCodeAt(this.pos))) this.pos++;
        space = true;
        continue;
      }
      break;
    }
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', start, end: start, text: '', spaceBefore: space };
    const c = text.charCodeAt(start);
    if (c === 13 /* \r */ || c === 10 /* \n */) {
      this.pos += c === 13 && text.charCodeAt(start + 1) === 10 ? 2 : 1;
      return this.make('newline', start, space);
    }
    if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(start + 1)))) return this.number(start, space);
    // ASCII names take the fast path; other scripts go through the Unicode property classes.
    if (isAsciiIdentStart(c)) {
      // ASCII names, almost all of them, are read with their hash and taken from the table of names
      let h = Math.imul(0x811c9dc5 ^ c, 0x01000193);
      let i = start + 1;
      for (;;) {
        const d = text.charCodeAt(i);
        if (!(isAsciiIdentStart(d) || isDigit(d))) break;
        h = Math.imul(h ^ d, 0x01000193);
        i++;
      }
      this.pos = i;
      if (i - start < SHARED_SLICE && !(text.charCodeAt(i) >= 128)) return { kind: 'ident', start, end: i, text: NAMES.get(text, start, i, h), spaceBefore: space };
      this.identTail();
      return this.make('ident', start, space);
    }
    if (PUNCTUATION_START.has(c)) {
      this.pos += c === 61 /* = */ && text.charCodeAt(start + 1) === 61 ? 2 : 1;
      return this.make('punct', start, space);
    }
    if (isSuperscript(c)) {
      let i = start + 1;
      while (isSuperscript(text.charCodeAt(i))) i++;
      this.pos = i;
      return this.make('superscript', start, space);
    }
    const ch = String.fromCodePoint(text.codePointAt(start)!);
    if (c >= 128 && isIdentifierStart(ch)) {
      this.pos += ch.length;
      this.identTail();
      return this.make('ident', start, space);
    }
    if (c === 34 /* " */) {
      let i = start + 1;
      while (i < text.length && text.charCodeAt(i) !== 34 && !isLineBreak(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 34) {
        this.pos = i + 1;
        return { kind: 'string', start, end: this.pos, text: text.slice(start + 1, i), spaceBefore: space };
      }
      this.pos = i;
      return { kind: 'unterminated-string', start, end: i, text: text.slice(start + 1, i), spaceBefore: space };
    }
    // A run of characters that cannot start any token is one invalid token, reported once.
    this.pos += ch.length;
    for (;;) {
      const cp = text.codePointAt(this.pos);
      if (cp === undefined) break;
      const next = String.fromCodePoint(cp);
      if (startsToken(next)) break;
      this.pos += next.length;
    }
    return this.make('invalid', start, space);
  }

  /** Consumes the rest of a name: letters, digits, `_` and combining marks of any script. */
  private identTail(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (isAsciiIdentStart(c) || isDigit(c)) { this.pos++; continue; }
      if (!(c >= 128)) break;
      const next = String.fromCodePoint(text.codePointAt(this.pos)!);
      // a superscript digit ends a name: x² is x to the power 2 as printed (the parser says how to write it)
      if (!identPart.test(next) || isSuperscript(c)) break;
      this.pos += next.length;
    }
  }

  private number(start: number, space: boolean): Token {
    const text = this.text;
    let i = start;
    while (isDigit(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
      i++;
      while (isDigit(text.charCodeAt(i))) i++;
    } else if (text.charCodeAt(i) === 46 && i > start) {
      i++; // "2." is 2
    }
    // An exponent only when digits follow, so that `2e` stays `2·e` (Euler's number).
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = text.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (isDigit(text.charCodeAt(j))) {
        while (isDigit(text.charCodeAt(j))) j++;
        i = j;
      }
    }
    this.pos = i;
    return this.make('number', start, space);
  }

  private make(kind: TokenKind, start: number, space: boolean): Token {
    return { kind, start, end: this.pos, text: this.text.slice(start, this.pos), spaceBefore: space };
  }
}

/** Slots of the table of names (a power of two). */
const NAME_SLOTS = 1 << 13;
/**
 * Names this long or longer are not kept in the table: V8 makes a slice of 13 characters or more
 * share the document's string, and the table, which outlives documents, would keep a closed
 * document's whole text alive through one long name. (Such names are rare.)
 */
const SHARED_SLICE = 13;

/**
 * The names met (shorter than SHARED_SLICE), each held once: a document names the same few
 * hundred things thousands of times, and a name's string is kept by every identifier in the
 * syntax tree (and hashed again by every Map that looks it up, unless it is the same string).
 * Open addressing on the hash the scanner computes as it reads the name, compared in place, so a
 * name seen before costs no new string. Shared by every parse (names do not depend on the
 * document) and emptied when half full.
 */
class NameTable {
  private slots = new Array<string | undefined>(NAME_SLOTS);
  private readonly hashes = new Int32Array(NAME_SLOTS);
  private count = 0;

  get(text: string, start: number, end: number, hash: number): string {
    const mask = NAME_SLOTS - 1;
    const length = end - start;
    for (let k = hash & mask; ; k = (k + 1) & mask) {
      const name = this.slots[k];
      if (name === undefined) break;
      if (this.hashes[k] === hash && name.length === length && text.startsWith(name, start)) return name;
    }
    if (this.count >= NAME_SLOTS / 2) {
      this.slots = new Array<string | undefined>(NAME_SLOTS);
      this.hashes.fill(0);
      this.count = 0;
    }
    let k = hash & mask;
    while (this.slots[k] !== undefined) k = (k + 1) & mask;
    const name = text.slice(start, end);
    this.slots[k] = name;
    this.hashes[k] = hash;
    this.count++;
    return name;
  }
}

const NAMES = new NameTable();

function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** ⁰ ¹ ² ³ ⁴ … ⁹, the superscript digits. */
export function isSuperscript(c: number): boolean {
  return c === 0xb2 || c === 0xb3 || c === 0xb9 || c === 0x2070 || (c >= 0x2074 && c <= 0x2079);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** LF or CR. */
export function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function startsToken(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c === 32 || c === 9 || isLineBreak(c) || c === 35 || c === 34 || isDigit(c) || c === 46 || isSuperscript(c)
    || isIdentifierStart(ch) || PUNCTUATION.some((p) => p[0] === ch);
}
