/**
 * The .calc parser: recursive descent with error recovery.
 *
 * `parse(text)` always returns a program and a list of diagnostics; it never throws
 * on user input. Recovery works per statement: an error is reported once, the rest
 * of the statement is replaced by `missing` nodes or skipped to the end of the line,
 * and every later line is parsed as usual. A line continues while a bracket is open,
 * unless the next line plainly starts a new statement, so that a missing `)` on
 * line 3 does not swallow line 40.
 */
import type {
  Binding, Call, Constraint, DataCell, DataStatement, Expression, Identifier, MethodName, PlotRange,
  PointSpec, Program, Span, Statement, VectorLiteral,
} from './ast';
import { Codes, type Diagnostic, type Fix } from './diagnostics';
import { isSuperscript, Scanner, type Token } from './scanner';
// the table of built-in names is data; the parser reads it only to say how `sin x` is written
import { BUILTINS } from '../semantics/builtins';

/** Words that start a statement. */
export const STATEMENT_KEYWORDS = ['taylor', 'root', 'minimize', 'maximize', 'data', 'fit', 'plot', 'check', 'expect'] as const;
/** Words that separate clauses inside a statement. */
export const CLAUSE_KEYWORDS = ['at', 'order', 'near', 'from', 'subject', 'to', 'by', 'with', 'over', 'in', 'within'] as const;
/** Every reserved word: none can name a constant, function, parameter or data set. */
export const KEYWORDS: ReadonlySet<string> = new Set<string>([...STATEMENT_KEYWORDS, ...CLAUSE_KEYWORDS]);

/** Operators that may be applied to a bare function name: `grad f`. */
const BARE_OPERATORS = new Set(['grad', 'jacobian', 'hessian']);

/** Deeper nesting than this is reported instead of parsed, so that no input can overflow the stack. */
export const MAX_NESTING = 200;

/** A line that starts with a number or a name (not a bracket: `[1, 2]` then `[3, 4]` is a missing comma). */
const VALUE_START = /^[ \t]*(?:[\p{L}_\d]|\.\d)/u;

const STATEMENT_START = new RegExp(
  `^[ \\t]*(?:(?:${STATEMENT_KEYWORDS.join('|')})\\b|[\\p{L}_][\\p{L}\\p{N}_]*'*[ \\t]*(?:\\([^()\\r\\n]*\\))?[ \\t]*=(?!=))`,
  'u',
);
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

/** Thrown inside the parser to abandon a statement; never escapes `parse`. */
class Bail {}

/**
 * Parses a whole document.
 * `parse('f(x) = x^2\nf(3)').program.statements.length` is 2.
 */
export function parse(text: string): ParseResult {
  return new Parser(text).parseProgram();
}

/**
 * Parses a single expression (the rest of the text must be empty).
 * `parseExpressionText('x^2 + 1').expr.kind` is 'binary'.
 */
export function parseExpressionText(text: string): { expr: Expression; diagnostics: Diagnostic[] } {
  const p = new Parser(text);
  const expr = p.parseStandaloneExpression();
  return { expr, diagnostics: p.diagnostics };
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly scanner: Scanner;
  private tok: Token;
  /**
   * Open brackets of the current statement, innermost last: the first `depth` entries. (A
   * stack with its own depth, since emptying an array with `length = 0` gives up its storage,
   * and pushing again allocates new storage for every statement.)
   */
  private readonly open: Token[] = [];
  private depth = 0;
  /**
   * Items of the lists being parsed (call arguments, vector items, bindings), innermost list
   * last, from `listStart()` to `listTop`. A finished list is copied out at its exact length:
   * an array grown by `push` from empty keeps room for 16 more items, about 150 bytes a call
   * that every analysis would keep (and the collector copy) for the document's lifetime.
   */
  private readonly listItems: unknown[] = [];
  private listTop = 0;
  /** True once the current statement has reported an error: one error per statement. */
  private statementHasError = false;
  private nesting = 0;
  private prevEnd = 0;

  constructor(private readonly text: string) {
    this.scanner = new Scanner(text);
    this.tok = this.scanner.next();
    this.skipInvalid();
  }

  parseProgram(): ParseResult {
    const statements: Statement[] = [];
    for (;;) {
      while (this.tok.kind === 'newline') this.advance();
      if (this.tok.kind === 'eof') break;
      statements.push(this.statement());
    }
    return { program: { statements, end: this.text.length }, diagnostics: this.diagnostics };
  }

  parseStandaloneExpression(): Expression {
    try {
      const e = this.expression();
      if (this.tok.kind !== 'eof' && this.tok.kind !== 'newline') this.error(Codes.UnexpectedToken, this.tok, `Unexpected ${describe(this.tok)} after the expression.`);
      return e;
    } catch (e) {
      if (e instanceof Bail) return { kind: 'missing', start: 0, end: this.text.length };
      throw e;
    }
  }

  // ------------------------------------------------------------ tokens

  private listStart(): number {
    return this.listTop;
  }

  private listPush(item: unknown): void {
    this.listItems[this.listTop++] = item;
  }

  /** The items pushed since `mark`, as an array of their exact length. */
  private listEnd<T>(mark: number): T[] {
    const n = this.listTop - mark, l = this.listItems as T[];
    this.listTop = mark;
    // The usual short lists as array literals. V8 follows what each literal makes, and when those
    // arrays outlive the parse, as a syntax tree's do, it allocates them with the long-lived objects,
    // where the collector never copies them; it cannot follow a slice's arrays, which a scavenge then
    // copies twice each. (A heuristic of V8's, not a guarantee: measured here, 1 MB less copied per
    // analysis of the benchmark worksheet.)
    switch (n) {
      case 0: return [];
      case 1: return [l[mark]!];
      case 2: return [l[mark]!, l[mark + 1]!];
      case 3: return [l[mark]!, l[mark + 1]!, l[mark + 2]!];
      default: return l.slice(mark, mark + n);
    }
  }

  private advance(): void {
    this.prevEnd = this.tok.end;
    const before = this.tok;
    this.tok = this.scanner.next();
    this.skipInvalid();
    // Inside brackets a line break continues the statement, unless the next line starts a new one.
    while (this.tok.kind === 'newline' && this.depth > 0) {
      if (this.nextLineStartsStatement(this.tok.end, before)) {
        this.reportUnclosed();
        break;
      }
      this.tok = this.scanner.next();
      this.skipInvalid();
    }
  }

  /** Where the last character the scanner could not read ends (see `multiplicative`). */
  private invalidEnd = -1;

  private skipInvalid(): void {
    while (this.tok.kind === 'invalid' || this.tok.kind === 'unterminated-string') {
      if (this.tok.kind === 'invalid') {
        this.invalidEnd = this.tok.end;
        const shown = JSON.stringify(this.tok.text.length > 12 ? this.tok.text.slice(0, 12) + '…' : this.tok.text);
        const hint = CHARACTER_HINTS[this.tok.text.charAt(0)];
        const message = hint
          ? `Unexpected character ${JSON.stringify(this.tok.text.charAt(0))}: ${hint}`
          : `Unexpected character ${shown}: .calc understands numbers, names, + - * / ^, brackets and #-comments.`;
        // the closing bar of |x| says nothing new
        const last = this.diagnostics[this.diagnostics.length - 1];
        if (!this.skipping && !(this.tok.text.startsWith('|') && last?.message === message && !/[\r\n]/.test(this.text.slice(last.offset, this.tok.start)))) {
          const ch = this.tok.text.charAt(0), replacement = CHARACTER_REPLACEMENTS[ch];
          this.report(Codes.InvalidCharacter, this.tok, message, 'error', replacement === undefined ? undefined
            : { title: `Change '${ch}' to '${replacement}'`, offset: this.tok.start, length: ch.length, text: replacement });
        }
        this.tok = this.scanner.next();
      } else {
        this.report(Codes.UnterminatedString, this.tok, 'This string has no closing quote: add " before the end of the line.');
        this.tok = { ...this.tok, kind: 'string' };
      }
    }
  }

  private nextLineStartsStatement(offset: number, before: Token): boolean {
    let end = offset;
    while (end < this.text.length && this.text[end] !== '\n' && this.text[end] !== '\r') end++;
    const line = this.text.slice(offset, end);
    if (line.trim() === '') return true; // a blank line ends the statement
    if (line.trimStart().startsWith('#')) return false;
    if (STATEMENT_START.test(line)) return true;
    // A line that ends with a value, then one that starts with a number or a name: read as one
    // statement they would be a product nobody writes across lines (`sin(1 + 2` then `1 + 1`), so the
    // bracket is the mistake, and the next line is an expression line of its own.
    const endsValue = before.kind === 'number' || before.kind === 'superscript' || (before.kind === 'ident' && !KEYWORDS.has(before.text))
      || (before.kind === 'punct' && (before.text === ')' || before.text === ']' || before.text === "'"));
    return endsValue && VALUE_START.test(line);
  }

  private reportUnclosed(): void {
    const opener = this.open[0]!;
    // the closers of every bracket still open, innermost first, where the statement's text ends
    const closers = this.open.slice(0, this.depth).reverse().map((t) => CLOSERS[t.text]).join('');
    this.error(Codes.MissingCloseBracket, opener, `This '${opener.text}' is never closed: add '${CLOSERS[opener.text]}' before the end of the statement.`,
      { title: `Add '${closers}' at the end`, offset: this.prevEnd, length: 0, text: closers });
    this.depth = 0;
  }

  private isPunct(p: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === p;
  }

  private isKeyword(word?: string): boolean {
    return this.tok.kind === 'ident' && (word ? this.tok.text === word : KEYWORDS.has(this.tok.text));
  }

  private atStatementEnd(): boolean {
    return this.tok.kind === 'newline' || this.tok.kind === 'eof';
  }

  private openBracket(): Token {
    const t = this.tok;
    this.open[this.depth++] = t;
    this.advance();
    return t;
  }

  /** Consumes the closer of the innermost open bracket, or reports it missing. Returns the end offset. */
  private closeBracket(opener: Token): number {
    const closer = CLOSERS[opener.text]!;
    let idx = this.depth - 1;
    while (idx >= 0 && this.open[idx] !== opener) idx--;
    if (this.isPunct(closer)) {
      if (idx >= 0) this.depth = idx;
      const end = this.tok.end;
      this.advance();
      return end;
    }
    if (idx >= 0) {
      this.depth = idx;
      this.error(Codes.MissingCloseBracket, opener, `This '${opener.text}' is never closed: add '${closer}'${this.atStatementEnd() ? ' before the end of the line' : ` before ${describe(this.tok)}`}.`,
        { title: `Add '${closer}'`, offset: this.prevEnd, length: 0, text: closer });
    }
    return this.prevEnd;
  }

  // ------------------------------------------------------------ diagnostics

  /** Reports a syntax error, at most one per statement. */
  private error(code: number, span: Span, message: string, fix?: Fix | readonly Fix[]): void {
    if (this.statementHasError) return;
    this.statementHasError = true;
    this.report(code, span, message, 'error', fix);
  }

  private report(code: number, span: Span, message: string, severity: Diagnostic['severity'] = 'error', fix?: Fix | readonly Fix[]): void {
    const length = Math.max(span.end - span.start, 0);
    const fixes = fix === undefined ? undefined : Array.isArray(fix) ? fix as readonly Fix[] : [fix as Fix];
    this.diagnostics.push(fixes ? { code, severity, offset: span.start, length, message, fixes } : { code, severity, offset: span.start, length, message });
  }

  /** Skips to the end of the current statement (respecting brackets and the statement-start rule). */
  private skipStatement(): void {
    // what is skipped after the statement's error is not reported again, character by character
    this.skipping = this.statementHasError;
    while (!this.atStatementEnd()) {
      if (this.tok.kind === 'punct' && CLOSERS[this.tok.text]) { this.openBracket(); continue; }
      if (this.tok.kind === 'punct' && (this.tok.text === ')' || this.tok.text === ']' || this.tok.text === '}')) {
        let i = this.depth - 1;
        while (i >= 0 && CLOSERS[this.open[i]!.text] !== this.tok.text) i--;
        if (i >= 0) this.depth = i;
      }
      this.advance();
    }
    this.skipping = false;
    this.depth = 0;
  }

  /** True while the rest of a statement that has an error is skipped (see skipStatement). */
  private skipping = false;

  // ------------------------------------------------------------ statements

  private statement(): Statement {
    this.statementHasError = false;
    this.nesting = 0;
    this.depth = 0;
    this.listTop = 0; // a statement that bailed out may have left lists unfinished
    const start = this.tok.start;
    let stmt: Statement;
    try {
      stmt = this.statementBody();
    } catch (e) {
      if (!(e instanceof Bail)) throw e;
      this.skipStatement();
      stmt = { kind: 'invalid', start, end: this.prevEnd };
    }
    if (!this.atStatementEnd()) {
      this.error(Codes.UnexpectedToken, this.tok, this.unexpectedMessage());
      this.skipStatement();
    }
    this.depth = 0;
    return stmt;
  }

  private unexpectedMessage(): string {
    if (this.isPunct(')') || this.isPunct(']') || this.isPunct('}')) {
      return `This '${this.tok.text}' closes nothing: remove it, or add the opening bracket it belongs to.`;
    }
    if (this.isPunct('=')) return "Unexpected '=': to compare two expressions write `expect A == B`; to define, put the name on the left: `a = 2` or `f(x) = x^2`.";
    if (this.isPunct('==')) return "'==' is only for `expect A == B` lines.";
    if (this.tok.kind === 'ident' && PROSE_WORDS.has(this.tok.text)) {
      return `'${this.tok.text}' is not .calc: a line holds one definition, expression or statement, not a sentence. Say more in a # comment.`;
    }
    return `Unexpected ${describe(this.tok)}: each line holds one definition, expression or statement.`;
  }

  private statementBody(): Statement {
    if (this.tok.kind === 'ident') {
      switch (this.tok.text) {
        case 'taylor': return this.taylor();
        case 'root': return this.root();
        case 'minimize': case 'maximize': return this.optimize();
        case 'data': return this.data();
        case 'fit': return this.fit();
        case 'plot': return this.plot();
        case 'check': return this.check();
        case 'expect': return this.expect();
      }
    }
    const start = this.tok.start;
    const expr = this.expression();
    if (this.isPunct('=')) return this.definition(expr);
    // `f(x) := x^2`: a definition written another way. Say how to write it, and read it as one, so
    // that the uses of f below do not report an unknown name.
    if (isDefinitionHeading(expr) && this.isPunct(':') && this.text.charCodeAt(this.tok.end) === 61 /* = */) {
      const what = expr.kind === 'ident' ? expr.name : `${expr.callee.name}(${expr.args.map((a) => (a as Identifier).name).join(', ')})`;
      this.error(Codes.UnexpectedToken, { start: this.tok.start, end: this.tok.start + 2 }, `Define with a single '=': ${what} = …  (\`:=\` is not .calc).`,
        { title: "Change ':=' to '='", offset: this.tok.start, length: 2, text: '=' });
      this.advance();
      return this.definition(expr);
    }
    // `f(2) == 4` on a line of its own: a comparison, which only an expect line makes, and is read as
    // one. `g(x) == x^2`, where g is defined nowhere else, is more likely a definition written with
    // '==': it is read as that, and both fixes are offered.
    if (this.isPunct('==')) {
      const eq = this.tok;
      const heading = isDefinitionHeading(expr) ? (expr.kind === 'ident' ? expr.name : expr.callee.name) : undefined;
      const defining = heading !== undefined && !BUILTINS.has(heading) && !this.definedElsewhere(heading, start);
      const addExpect: Fix = { title: "Add 'expect'", offset: start, length: 0, text: 'expect ' };
      const shown = shorten(this.text.slice(start, expr.end));
      if (defining) {
        this.error(Codes.UnexpectedToken, eq, `To define, write a single '=': ${shown} = …; '==' compares two sides, only in an expect line.`,
          [{ title: "Change '==' to '='", offset: eq.start, length: 2, text: '=' }, addExpect]);
        return this.definition(expr);
      }
      this.error(Codes.UnexpectedToken, eq, `'==' compares two sides only in an expect line: \`expect ${shown} == …\`.`, addExpect);
      this.advance();
      const right = this.expression();
      return { kind: 'expect', left: expr, right, start, end: this.prevEnd };
    }
    let at: PointSpec | undefined;
    if (this.isKeyword('at')) {
      this.advance();
      at = this.point('at');
    }
    // (two literals rather than a spread: a spread builds the object on a slow path, once per line)
    return at ? { kind: 'expression', expr, at, start, end: this.prevEnd } : { kind: 'expression', expr, start, end: this.prevEnd };
  }

  /** `a = 2.5` or `f(x, y) = ...`, after the left side has been parsed as an expression. */
  private definition(left: Expression): Statement {
    const eq = this.tok;
    this.advance();
    const body = this.expression();
    const start = left.start, end = this.prevEnd;
    if (left.kind === 'ident') return { kind: 'constant', name: left, value: body, start, end };
    // `σ² = 0.25`: a name with a superscript, which .calc reads as a power
    if (left.kind === 'binary' && left.op === '^' && left.left.kind === 'ident' && left.right.kind === 'number'
      && isSuperscript(this.text.charCodeAt(left.right.start))) {
      const name = `${left.left.name}${superscriptDigits(this.text.slice(left.right.start, left.right.end))}`;
      for (let i = this.diagnostics.length - 1; i >= 0; i--) if (this.diagnostics[i]!.offset === left.right.start) this.diagnostics.splice(i, 1);
      const uses = this.superscriptedUses(left.left.name, this.text.slice(left.right.start, left.right.end), left.start);
      this.error(Codes.InvalidDefinition, left, `A name cannot hold a superscript, which .calc reads as a power: call it ${name}.`,
        { title: `Rename to ${name}`, offset: left.start, length: left.end - left.start, text: name, ...(uses.length ? { also: uses.map((u) => ({ ...u, text: name })) } : {}) });
      return { kind: 'invalid', start, end };
    }
    if (left.kind === 'call' && left.primes === 0 && !left.bare && left.args.every((a) => a.kind === 'ident')) {
      return { kind: 'function', name: left.callee, params: left.args as Identifier[], body, start, end };
    }
    this.error(Codes.InvalidDefinition, { start: left.start, end: eq.end },
      'Only a name or a function heading can stand left of "=": write `a = 2` or `f(x, y) = x*y` (parameters are plain names).');
    return { kind: 'invalid', start, end };
  }

  private keyword(): Span {
    const t = this.tok;
    this.advance();
    return t;
  }

  private taylor(): Statement {
    const start = this.keyword().start;
    const target = this.expression();
    let at: PointSpec | undefined, order: Expression | undefined;
    this.clauses({
      at: () => { at = this.point('at'); },
      order: () => { order = this.expression(); },
    });
    if (!at) this.expectClause('at', 'taylor f at [0, 0] order 2');
    return { kind: 'taylor', target, ...(at ? { at } : {}), ...(order ? { order } : {}), start, end: this.prevEnd };
  }

  private root(): Statement {
    const start = this.keyword().start;
    const target = this.expression();
    let near: PointSpec | undefined, method: MethodName | undefined, options: Binding[] = [];
    this.clauses({
      near: () => { near = this.point('near'); },
      by: () => { method = this.method(); },
      with: () => { options = this.options(); },
    });
    if (!near) this.expectClause('near', 'root f near x = 1');
    return { kind: 'root', target, ...(near ? { near } : {}), ...(method ? { method } : {}), options, start, end: this.prevEnd };
  }

  private optimize(): Statement {
    const kw = this.keyword();
    const sense = this.text.slice(kw.start, kw.end) as 'minimize' | 'maximize';
    const target = this.expression();
    let from: PointSpec | undefined, method: MethodName | undefined, options: Binding[] = [];
    let constraints: Constraint[] = [];
    this.clauses({
      from: () => { from = this.point('from'); },
      subject: () => {
        if (!this.isKeyword('to')) throw this.fail(Codes.ExpectedKeyword, "Write 'subject to' followed by the constraints: `subject to x^2 + y^2 = 1`.");
        this.advance();
        constraints = this.constraints();
      },
      by: () => { method = this.method(); },
      with: () => { options = this.options(); },
    });
    return {
      kind: 'optimize', sense, keyword: { start: kw.start, end: kw.end }, target,
      ...(from ? { from } : {}), constraints, ...(method ? { method } : {}), options, start: kw.start, end: this.prevEnd,
    };
  }

  private fit(): Statement {
    const start = this.keyword().start;
    const response = this.name('the response column, as in `fit y = m*x + c to points`');
    if (!this.isPunct('=')) throw this.fail(Codes.UnexpectedToken, 'Write the model as `fit y = MODEL to DATA`.');
    this.advance();
    const model = this.expression();
    let data: Identifier | undefined, from: PointSpec | undefined, method: MethodName | undefined, options: Binding[] = [];
    this.clauses({
      to: () => { data = this.name('the data set to fit, as in `fit y = m*x + c to points`'); },
      from: () => { from = this.point('from'); },
      by: () => { method = this.method(); },
      with: () => { options = this.options(); },
    });
    if (!data) this.expectClause('to', 'fit y = m*x + c to points');
    return {
      kind: 'fit', response, model, ...(data ? { data } : {}), ...(from ? { from } : {}),
      ...(method ? { method } : {}), options, start, end: this.prevEnd,
    };
  }

  private plot(): Statement {
    const start = this.keyword().start;
    const exprs = [this.expression()];
    while (this.isPunct(',')) { this.advance(); exprs.push(this.expression()); }
    const ranges: PlotRange[] = [];
    this.clauses({
      over: () => {
        for (;;) {
          const name = this.name('a variable, as in `over x in [-2, 2]`');
          if (!this.isKeyword('in')) throw this.fail(Codes.ExpectedKeyword, `Write the range as \`${name.name} in [low, high]\`.`);
          this.advance();
          if (!this.isPunct('[')) throw this.fail(Codes.ExpectedExpression, `Write the range as \`${name.name} in [low, high]\`.`);
          const v = this.vector();
          if (v.items.length !== 2) this.error(Codes.PointLength, v, `A range has two ends, [low, high]; this one has ${v.items.length}.`);
          ranges.push({ name, low: v.items[0] ?? missingAt(v), high: v.items[1] ?? missingAt(v), start: name.start, end: v.end });
          if (!this.isPunct(',')) break;
          this.advance();
        }
      },
    });
    return { kind: 'plot', exprs, ranges, start, end: this.prevEnd };
  }

  private check(): Statement {
    const start = this.keyword().start;
    const target = this.expression();
    let at: PointSpec | undefined;
    this.clauses({ at: () => { at = this.point('at'); } });
    if (!at) this.expectClause('at', 'check grad f at [1, 2]');
    return { kind: 'check', target, ...(at ? { at } : {}), start, end: this.prevEnd };
  }

  private expect(): Statement {
    const start = this.keyword().start;
    const left = this.expression();
    let right: Expression | undefined, within: Expression | undefined, at: PointSpec | undefined;
    if (this.isKeyword('at')) {
      this.advance();
      at = this.point('at');
    }
    if (this.isPunct('==')) {
      this.advance();
      right = this.expression();
      if (!at && this.isKeyword('at')) {
        // `expect grad(f) == [4, 1] at [1, 2]`: the point belongs to the left side, before ==
        const word = this.tok;
        this.advance();
        const point = this.point('at');
        const [l, r, p] = [left, right, point].map((x) => this.text.slice(x.start, x.end));
        this.error(Codes.UnexpectedToken, { start: word.start, end: point.end }, `Put the point after the left side, which is worked out there: expect ${shorten(l!)} at ${shorten(p!)} == ${shorten(r!)}.`,
          { title: 'Move the point before ==', offset: left.start, length: point.end - left.start, text: `${l} at ${p} == ${r}` });
        at = point;
      }
    } else {
      this.error(Codes.ExpectedKeyword, this.tok.kind === 'eof' || this.tok.kind === 'newline' ? { start: left.start, end: left.end } : this.tok,
        'An expect line compares two expressions: `expect A == B` (optionally `within 0.001`).');
    }
    this.clauses({ within: () => { within = this.expression(); } });
    return { kind: 'expect', left, ...(at ? { at } : {}), ...(right ? { right } : {}), ...(within ? { within } : {}), start, end: this.prevEnd };
  }

  private data(): DataStatement {
    const start = this.keyword().start;
    const name = this.name('the data set, as in `data points { ... }`');
    if (this.isPunct('=')) {
      this.advance();
      const fn = this.tok;
      if (!(fn.kind === 'ident' && fn.text === 'csv')) throw this.fail(Codes.ExpectedExpression, 'Load a file with `data heights = csv("heights.csv")`, or write the table inline in { }.');
      this.advance();
      if (!this.isPunct('(')) throw this.fail(Codes.ExpectedExpression, 'Write the file name in brackets and quotes: `csv("heights.csv")`.');
      const open = this.openBracket();
      const s = this.tok;
      if (s.kind !== 'string') throw this.fail(Codes.ExpectedExpression, 'Write the file name in quotes: `csv("heights.csv")`.');
      this.advance();
      this.closeBracket(open);
      return { kind: 'data', name, csv: { kind: 'string', value: s.text, start: s.start, end: s.end }, start, end: this.prevEnd };
    }
    if (!this.isPunct('{')) throw this.fail(Codes.ExpectedExpression, 'Write the table in braces, `data points {` then a header row, rows of numbers and `}`, or load a file: `data heights = csv("heights.csv")`.');
    return this.dataTable(start, name);
  }

  /** Reads the rows of an inline table as raw text, from the line after `{` to the line holding `}`. */
  private dataTable(start: number, name: Identifier): DataStatement {
    const brace = this.tok;
    const text = this.text;
    let pos = brace.end;
    // Anything after `{` on its own line is taken as the header row.
    const rows: DataCell[][] = [];
    let closed = false;
    let end = pos;
    let firstLine = true;
    while (pos <= text.length) {
      let lineEnd = pos;
      while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
      const line = text.slice(pos, lineEnd);
      if (!firstLine && STATEMENT_START.test(line) && !/^\s*}/.test(line)) break;
      const close = line.indexOf('}');
      const hash = line.indexOf('#');
      const contentEnd = Math.min(close >= 0 ? close : line.length, hash >= 0 ? hash : line.length);
      const cells = splitCells(line.slice(0, contentEnd), pos);
      if (cells.length) rows.push(cells);
      if (close >= 0 && (hash < 0 || close < hash)) {
        closed = true;
        end = pos + close + 1;
        break;
      }
      end = lineEnd;
      if (lineEnd >= text.length) break;
      pos = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
      firstLine = false;
    }
    if (!closed) {
      this.error(Codes.MissingCloseBracket, brace, "This data table's '{' is never closed: add a line with '}' after the last row.");
    }
    // Resume scanning after the table.
    this.scanner.pos = end;
    this.prevEnd = end;
    this.tok = this.scanner.next();
    this.skipInvalid();
    const [header = [], ...body] = rows;
    return { kind: 'data', name, table: { header, rows: body, body: { start: brace.start, end } }, start, end };
  }

  /** Runs clause parsers for the clause keywords in any order, each at most once. */
  private clauses(handlers: Record<string, () => void>): void {
    const seen = new Set<string>();
    while (this.tok.kind === 'ident' && handlers[this.tok.text]) {
      const word = this.tok.text;
      if (seen.has(word)) this.error(Codes.UnexpectedToken, this.tok, `'${word}' appears twice in this statement: keep one.`);
      seen.add(word);
      this.advance();
      handlers[word]!();
    }
  }

  private expectClause(word: string, example: string): void {
    const span = this.atStatementEnd() ? { start: this.prevEnd, end: this.prevEnd } : this.tok;
    this.error(Codes.ExpectedKeyword, span, `Expected '${word}' here, as in \`${example}\`.`);
  }

  private fail(code: number, message: string): Bail {
    const span = this.atStatementEnd() ? { start: Math.max(this.prevEnd - 1, 0), end: this.prevEnd } : this.tok;
    this.error(code, span, message);
    return new Bail();
  }

  private name(what: string): Identifier {
    const t = this.tok;
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) {
      throw this.fail(Codes.ExpectedName, `Expected a name here: ${what}.`);
    }
    this.advance();
    return { kind: 'ident', name: t.text, start: t.start, end: t.end };
  }

  /**
   * Where else `σ²` is written, the name followed at once by the same superscript (outside
   * comments): the uses that a rename of the definition at `definition` renames with it.
   */
  private superscriptedUses(name: string, superscript: string, definition: number): { offset: number; length: number }[] {
    const found: { offset: number; length: number }[] = [];
    const scanner = new Scanner(this.text);
    let before: Token | undefined;
    // a function with a parameter of that name means its square there (area(r) = pi*r²), not the constant
    const heading = new RegExp(`^[ \\t]*[\\p{L}_][\\p{L}\\p{N}_]*[ \\t]*\\(([^)]*)\\)[ \\t]*=(?!=)`, 'u');
    const ownsName = (offset: number): boolean => {
      const lineStart = Math.max(this.text.lastIndexOf('\n', offset - 1), this.text.lastIndexOf('\r', offset - 1)) + 1;
      const params = heading.exec(this.text.slice(lineStart, offset))?.[1];
      return params !== undefined && params.split(',').some((p) => p.trim() === name);
    };
    for (let t = scanner.next(); t.kind !== 'eof'; before = t, t = scanner.next()) {
      if (t.kind === 'superscript' && t.text === superscript && !t.spaceBefore && before?.kind === 'ident' && before.text === name
        && before.start !== definition && !ownsName(before.start)) {
        found.push({ offset: before.start, length: t.end - before.start });
      }
    }
    return found;
  }

  /** `[1, 2]` or `x = 1, y = 2` */
  private point(after: string): PointSpec {
    if (this.isPunct('[')) {
      const vector = this.vector();
      return { kind: 'vector-point', vector, start: vector.start, end: vector.end };
    }
    // `(1, 2)`, a point as printed
    const tuple = this.tuple('point');
    if (tuple) return { kind: 'vector-point', vector: tuple, start: tuple.start, end: tuple.end };
    // `near 1`, `at pi/2`: one value, for a function of one variable, is a vector of one
    const named = this.tok.kind === 'ident' && /^[ \t]*=(?!=)/.test(this.text.slice(this.tok.end, this.tok.end + 64));
    if (!named && this.startsValue()) {
      const value = this.expression();
      if (this.isPunct(',')) {
        throw this.fail(Codes.ExpectedExpression, `Several values make a point in square brackets, [${this.text.slice(value.start, value.end)}, …], or name them: x = 1, y = 2.`);
      }
      const vector: VectorLiteral = { kind: 'vector', items: [value], start: value.start, end: value.end };
      return { kind: 'vector-point', vector, start: value.start, end: value.end };
    }
    if (this.tok.kind !== 'ident' || KEYWORDS.has(this.tok.text)) {
      throw this.fail(Codes.ExpectedExpression, `After '${after}' give a point: a vector \`[1, 2]\` (in the order of the parameters), named values \`x = 1, y = 2\`, or one number for a function of one variable.`);
    }
    const bindings = this.bindingList(`After '${after}' give named values such as \`x = 1, y = 2\`, or a vector \`[1, 2]\`.`);
    return { kind: 'named-point', bindings, start: bindings[0]!.start, end: bindings[bindings.length - 1]!.end };
  }

  /** Where each name is defined or written as a heading (`name = `, `name(…) :=`, `name == `, `data name`), by line start. */
  private headings: Map<string, number[]> | undefined;

  /** True when a line other than the one at `here` defines `name` (or writes it as a heading). */
  private definedElsewhere(name: string, here: number): boolean {
    if (!this.headings) {
      // one pass over the text, made the first time it is needed (a '==' on a line of its own is rare)
      this.headings = new Map();
      const heading = /^[ \t]*(?:data[ \t]+([\p{L}_][\p{L}\p{N}_]*)|([\p{L}_][\p{L}\p{N}_]*)[ \t]*(?:\([^()\r\n]*\))?[ \t]*(?:=|:=))/gmu;
      for (let m = heading.exec(this.text); m; m = heading.exec(this.text)) {
        const found = m[1] ?? m[2]!;
        const lines = this.headings.get(found) ?? [];
        lines.push(m.index);
        this.headings.set(found, lines);
      }
    }
    const lineStart = Math.max(this.text.lastIndexOf('\n', here - 1), this.text.lastIndexOf('\r', here - 1)) + 1;
    return (this.headings.get(name) ?? []).some((at) => at !== lineStart && !(at < here && !/[\r\n]/.test(this.text.slice(at, here))));
  }

  /**
   * `(1, 2)` at the current token, a point or a vector as printed: reported (it is written in
   * square brackets) and read as the vector it means, so that its names (and the statement's)
   * are still resolved. Undefined, consuming nothing, for anything else.
   */
  private tuple(what: 'point' | 'vector'): VectorLiteral | undefined {
    if (!this.isPunct('(')) return undefined;
    const close = this.tupleEnd(this.tok.start);
    if (close === undefined) return undefined;
    const inner = this.text.slice(this.tok.start + 1, close);
    this.error(Codes.ExpectedExpression, { start: this.tok.start, end: close + 1 },
      what === 'point' ? `A point is written in square brackets: [${inner}].`
        : `A vector is written in square brackets: [${inner}]. Round brackets hold one expression.`,
      { title: `Change to [${shorten(inner)}]`, offset: this.tok.start, length: close + 1 - this.tok.start, text: `[${inner}]` });
    return this.vector();
  }

  /** The offset of the ')' that closes the '(' at `open`, on the same line; undefined if none. */
  private closingParen(open: number): number | undefined {
    let depth = 0;
    for (let i = open; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '\n' || c === '\r' || c === '#') return undefined;
      if (c === '(' || c === '[') depth++;
      else if ((c === ')' || c === ']') && --depth === 0) return c === ')' ? i : undefined;
    }
    return undefined;
  }

  /**
   * Where the ')' that closes the '(' at `open` is, when the two hold a comma at their own level
   * (`(1, 2)`, a tuple) on the same line; else undefined.
   */
  private tupleEnd(open: number): number | undefined {
    let depth = 0, comma = false;
    for (let i = open; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '\n' || c === '\r' || c === '#') return undefined;
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') { if (--depth === 0) return comma && c === ')' ? i : undefined; }
      else if (c === ',' && depth === 1) comma = true;
    }
    return undefined;
  }

  /** True when the current token can start a value: a number, a sign, a bracket, or a name that is not a keyword. */
  private startsValue(): boolean {
    const t = this.tok;
    if (t.kind === 'number') return true;
    if (t.kind === 'ident') return !KEYWORDS.has(t.text);
    return t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '(');
  }

  private bindingList(help: string): Binding[] {
    const mark = this.listStart();
    for (;;) {
      const name = this.name(help);
      if (!this.isPunct('=')) throw this.fail(Codes.ExpectedExpression, help);
      this.advance();
      const value = this.expression();
      this.listPush({ name, value, start: name.start, end: value.end });
      if (!this.isPunct(',')) break;
      this.advance();
    }
    return this.listEnd<Binding>(mark);
  }

  private options(): Binding[] {
    return this.bindingList('Options are written `with step = 0.05, maxiter = 2000`.');
  }

  private method(): MethodName {
    const start = this.tok.start;
    const words: string[] = [];
    let word = '';
    while (this.tok.kind === 'ident' && !KEYWORDS.has(this.tok.text) || this.isPunct('-')) {
      if (this.isPunct('-')) word += '-';
      else if (word.endsWith('-') || word === '') word += this.tok.text;
      else { words.push(word); word = this.tok.text; }
      this.advance();
    }
    if (word) words.push(word);
    if (words.length === 0) throw this.fail(Codes.ExpectedName, 'Name a method after `by`: newton, gradient descent, bfgs or levenberg-marquardt.');
    return { name: words.join(' '), start, end: this.prevEnd };
  }

  private constraints(): Constraint[] {
    const out: Constraint[] = [];
    for (;;) {
      const left = this.expression();
      if (!this.isPunct('=')) {
        throw this.fail(Codes.ExpectedExpression, 'A constraint is an equation: `subject to x^2 + y^2 = 1`.');
      }
      this.advance();
      const right = this.expression();
      out.push({ left, right, start: left.start, end: right.end });
      if (!this.isPunct(',')) break;
      this.advance();
    }
    return out;
  }

  // ------------------------------------------------------------ expressions

  expression(): Expression {
    return this.additive();
  }

  private additive(): Expression {
    let left = this.multiplicative();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.tok.text as '+' | '-';
      this.advance();
      const right = this.multiplicative();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private multiplicative(): Expression {
    let left = this.unary();
    let lastFactor = left;
    let lastOp: string | undefined;
    for (;;) {
      if (this.isPunct('*') || this.isPunct('/')) {
        lastOp = this.tok.text;
        const op = lastOp as '*' | '/';
        this.advance();
        const right = this.unary();
        left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
        lastFactor = right;
        continue;
      }
      if (!this.startsImplicitFactor()) break;
      const afterNumber = trailingFactor(lastFactor).kind === 'number' && this.tok.kind !== 'number';
      const misused = !afterNumber && (left === lastFactor || (left.kind === 'binary' && left.right === lastFactor)) ? builtinWithoutCall(trailingFactor(lastFactor)) : undefined;
      if (misused) {
        // `ln x`, `sin^2(x)`: a built-in function written as in print. Say how to write it, and read
        // it as meant (ln(x), sin(x)^2) so that nothing else on the line is reported. `sin 2x` is sin(2x),
        // as printed: a number's implicit product belongs to the argument (up to another function's name).
        let arg = this.power();
        if (arg.kind === 'number' && this.startsImplicitFactor() && this.tok.kind !== 'number'
          && !(this.tok.kind === 'ident' && BUILTINS.get(this.tok.text)?.kind === 'function')) {
          const right = this.power(); // one factor: sin 2x is sin(2x); what follows is not guessed at
          arg = { kind: 'binary', op: '*', left: arg, right, implicit: true, start: arg.start, end: right.end };
        }
        const from = misused.name.start; // after any sign: -ln x is -(ln(x))
        const call: Call = { kind: 'call', callee: misused.name, primes: 0, args: [arg], start: from, end: arg.end };
        const name = misused.name.name, argText = calcText(this.text.slice(arg.start, arg.end));
        const parenthesised = (t: string): string => (t.startsWith('(') ? t : `(${t})`);
        const inner = parenthesised(shorten(argText));
        // the power as digits, whether written ^2 or ²
        const power = misused.power ? calcText(this.text.slice(misused.power.start, misused.power.end)).replace(/^\^/, '') : undefined;
        const written = `${name}${parenthesised(argText)}${power === undefined ? '' : `^${power}`}`;
        // this fix rewrites any x² it covers too: those are not reported apart (their edits would overlap);
        // only when this error is the one the statement reports, else the x² stays reported
        for (let i = this.statementHasError ? -1 : this.diagnostics.length - 1; i >= 0; i--) {
          const d = this.diagnostics[i]!;
          if (d.code === Codes.InvalidCharacter && d.offset >= from && d.offset < arg.end && d.fixes?.[0]?.text.startsWith('^')) this.diagnostics.splice(i, 1);
        }
        this.error(Codes.NotAFunction, { start: from, end: arg.end }, power !== undefined
          ? `Write ${name}${inner}^${power} for a power of ${name}${inner}: the power goes after the call.`
          : `'${name}' is a function: put its argument in parentheses, ${name}${inner}.`,
        { title: `Change to ${shorten(written)}`, offset: from, length: arg.end - from, text: written });
        const inside: Expression = misused.power
          ? { kind: 'binary', op: '^', left: call, right: misused.power, start: from, end: arg.end }
          : call;
        const fixed = withTrailing(lastFactor, inside);
        left = left === lastFactor ? fixed : { ...(left as Extract<Expression, { kind: 'binary' }>), right: fixed, end: arg.end };
        lastFactor = fixed;
        lastOp = undefined;
        continue;
      }
      // `3 × 4`: the character skipped between the two stood for the operator, and is reported
      const skipped = this.invalidEnd > lastFactor.end && this.invalidEnd <= this.tok.start;
      const called = trailingFactor(lastFactor);
      if (called.kind === 'call' && BARE_OPERATORS.has(called.callee.name) && this.isPunct('(') && !this.tok.spaceBefore) {
        // `grad(f)(1, 2)`: a derivative's value at a point is written with `at`
        const close = this.tupleEnd(this.tok.start) ?? this.closingParen(this.tok.start);
        if (close !== undefined) {
          // the point as a vector: (1, 2) → [1, 2], ([1, 2]) → [1, 2]
          const inner = this.text.slice(this.tok.start + 1, close).trim();
          const point = /^\[.*\]$/.test(inner) ? inner : `[${inner}]`;
          const target = shorten(this.text.slice(called.start, called.end));
          // `at` ends a line: the edit is offered only where the call does (not in grad(f)(1, 2) + 1)
          const rest = this.text.slice(close + 1, this.text.slice(close + 1).search(/[\r\n]|$/) + close + 1);
          const endsLine = /^[ \t]*(#.*)?$/.test(rest);
          this.error(Codes.MissingOperator, { start: this.tok.start, end: close + 1 }, `To evaluate ${target} at a point, write it with \`at\` at the end of a line: ${target} at ${shorten(point)}.`,
            endsLine ? { title: `Change to at ${shorten(point)}`, offset: this.tok.start, length: close + 1 - this.tok.start, text: ` at ${point}` } : undefined);
        }
      }
      if (!afterNumber && !skipped) {
        const a = this.text.slice(lastFactor.start, lastFactor.end);
        const b = this.tok.kind === 'punct' ? this.tok.text : this.tok.text;
        // the fix puts '*' where the space is (not over a line break or a comment)
        const gap = this.text.slice(lastFactor.end, this.tok.start);
        const fix: Fix = { title: "Insert '*'", offset: lastFactor.end, length: /[\r\n#]/.test(gap) ? 0 : gap.length, text: '*' };
        this.error(Codes.MissingOperator, { start: lastFactor.end, end: this.tok.end },
          `Missing operator between \`${shorten(a)}\` and \`${b}\`: write \`${shorten(a)}*${b}\` for a product.`, fix);
      } else if (!skipped && lastOp === '/') {
        const n = this.text.slice(lastFactor.start, lastFactor.end);
        this.report(Codes.AmbiguousImplicitProduct, { start: lastFactor.start, end: this.tok.end },
          `This reads as (…/${n})·${this.tok.text}, the product after the division. Write (…)/(${n}*${this.tok.text}) if you meant to divide by the product.`, 'warning');
      }
      const right = this.power();
      left = { kind: 'binary', op: '*', left, right, implicit: true, start: left.start, end: right.end };
      lastFactor = right;
      lastOp = undefined;
    }
    return left;
  }

  /** True when the current token can start a factor written without `*` (`2x`, `3 sin(x)`, `2(x + 1)`). */
  private startsImplicitFactor(): boolean {
    const t = this.tok;
    // a word of prose or of another language (`sin(x) for x in …`) ends the expression
    if (t.kind === 'ident') return !KEYWORDS.has(t.text) && !PROSE_WORDS.has(t.text);
    if (t.kind === 'number') return true;
    return t.kind === 'punct' && t.text === '(';
  }

  private unary(): Expression {
    if (this.isPunct('-') || this.isPunct('+')) {
      const t = this.tok;
      this.advance();
      this.enter();
      const operand = this.unary();
      this.leave();
      return { kind: 'unary', op: t.text as '-' | '+', operand, start: t.start, end: operand.end };
    }
    return this.power();
  }

  /** `^` is right-associative and binds tighter than unary minus: `-x^2` is -(x^2), `2^-1` is 1/2. */
  private power(): Expression {
    let base = this.postfix();
    // x², a power as printed: reported with its fix, and read as x^2
    while (this.tok.kind === 'superscript') {
      const t = this.tok, digits = superscriptDigits(t.text);
      this.report(Codes.InvalidCharacter, t, `Unexpected character "${t.text}": write ^${digits} for a power, as in x^${digits}.`, 'error',
        { title: `Change '${t.text}' to '^${digits}'`, offset: t.start, length: t.end - t.start, text: `^${digits}` });
      this.advance();
      const exp: Expression = { kind: 'number', value: Number(digits), start: t.start, end: t.end };
      base = { kind: 'binary', op: '^', left: base, right: exp, start: base.start, end: t.end };
    }
    if (!this.isPunct('^')) return base;
    this.advance();
    this.enter();
    const exp = this.unary();
    this.leave();
    return { kind: 'binary', op: '^', left: base, right: exp, start: base.start, end: exp.end };
  }

  private postfix(): Expression {
    let e = this.primary();
    // `v[1]`: indexing, only when '[' touches the expression (`f [1]` is not an index).
    while (this.isPunct('[') && !this.tok.spaceBefore) {
      const open = this.openBracket();
      const index = this.expression();
      const end = this.closeBracket(open);
      e = { kind: 'index', target: e, index, start: e.start, end };
    }
    return e;
  }

  /**
   * Enters one level of nesting (a bracket, a unary operand, an exponent); `leave` ends it.
   * Past MAX_NESTING the statement is abandoned: the Bail unwinds it, and `statement` starts
   * the next one at depth 0. (A pair of calls rather than a callback: this runs for most
   * nodes of a document, and a closure per node is garbage the collector has to find.)
   */
  private enter(): void {
    if (++this.nesting > MAX_NESTING) {
      this.nesting = 0;
      this.error(Codes.TooDeep, this.tok, `Nesting deeper than ${MAX_NESTING} levels: split the expression into named parts.`);
      throw new Bail();
    }
  }

  private leave(): void {
    if (this.nesting > 0) this.nesting--;
  }

  private primary(): Expression {
    const t = this.tok;
    if (t.kind === 'number') {
      this.advance();
      const value = Number(t.text);
      if (!Number.isFinite(value)) this.error(Codes.InvalidNumber, t, `The number ${t.text} is too large for double precision.`);
      return { kind: 'number', value, start: t.start, end: t.end };
    }
    if (t.kind === 'string') {
      this.advance();
      return { kind: 'string', value: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'ident') {
      if (KEYWORDS.has(t.text)) {
        this.error(Codes.ExpectedExpression, t, `Expected an expression before '${t.text}'.`);
        return missingAt({ start: t.start, end: t.start });
      }
      return this.identifierOrCall();
    }
    if (t.kind === 'punct' && t.text === '(') {
      const tuple = this.tuple('vector');
      if (tuple) return tuple;
      this.enter();
      const open = this.openBracket();
      const inner = this.expression();
      const end = this.closeBracket(open);
      this.leave();
      return { ...inner, start: open.start, end } as Expression;
    }
    if (t.kind === 'punct' && t.text === '[') {
      this.enter();
      const v = this.vector();
      this.leave();
      return v;
    }
    // `x^²`: the superscript is the exponent; `= ²`: there is nothing to raise to a power
    if (t.kind === 'superscript') {
      const digits = superscriptDigits(t.text);
      const afterCaret = /\^[ \t]*$/.test(this.text.slice(Math.max(0, t.start - 8), t.start));
      this.advance();
      if (afterCaret) {
        this.report(Codes.InvalidCharacter, t, `Unexpected character "${t.text}": after ^ write the power in plain digits, ${digits}.`, 'error',
          { title: `Change '${t.text}' to '${digits}'`, offset: t.start, length: t.end - t.start, text: digits });
        return { kind: 'number', value: Number(digits), start: t.start, end: t.end };
      }
      this.error(Codes.ExpectedExpression, t, `Expected an expression before the power "${t.text}".`);
      return missingAt({ start: t.start, end: t.start });
    }
    // Nothing here can start an expression.
    if (this.atStatementEnd()) {
      this.error(Codes.ExpectedExpression, { start: Math.max(this.prevEnd - 1, 0), end: this.prevEnd }, 'The line ends where an expression was expected: complete it.');
    } else if (t.kind === 'punct' && t.text === '*' && this.text.charCodeAt(t.start - 1) === 42 /* * */) {
      this.error(Codes.ExpectedExpression, { start: t.start - 1, end: t.end }, 'Write ^ for a power, as in x^2: `**` is not .calc.',
        { title: "Change '**' to '^'", offset: t.start - 1, length: 2, text: '^' });
    } else {
      this.error(Codes.ExpectedExpression, t, `Expected an expression, found ${describe(t)}.`);
    }
    return missingAt({ start: t.start, end: t.start });
  }

  private identifierOrCall(): Expression {
    const t = this.tok;
    this.advance();
    const callee: Identifier = { kind: 'ident', name: t.text, start: t.start, end: t.end };
    let primes = 0;
    while (this.isPunct("'") && !this.tok.spaceBefore) { primes++; this.advance(); }
    if (this.isPunct('(')) {
      this.enter();
      const open = this.openBracket();
      const mark = this.listStart();
      if (!this.isPunct(')')) {
        this.listPush(this.expression());
        while (this.isPunct(',')) { this.advance(); this.listPush(this.expression()); }
      }
      const args = this.listEnd<Expression>(mark);
      const end = this.closeBracket(open);
      this.leave();
      return { kind: 'call', callee, primes, args, start: t.start, end };
    }
    if (primes > 0) return { kind: 'primed', name: callee, primes, start: t.start, end: this.prevEnd };
    // `grad f`: an operator applied to a bare function name.
    if (BARE_OPERATORS.has(t.text) && this.tok.kind === 'ident' && !KEYWORDS.has(this.tok.text)) {
      // (a level of nesting: `grad grad grad … f` must meet the limit, not the stack's)
      this.enter();
      const arg = this.identifierOrCall();
      this.leave();
      if (arg.kind !== 'ident') {
        // `grad abs(x)`: the bare form takes a function's name; an expression goes in brackets
        const written = this.text.slice(arg.start, arg.end);
        this.error(Codes.ExpectedExpression, { start: t.start, end: arg.end }, `Put what ${t.text} applies to in brackets: ${t.text}(${shorten(written)}). Without them, ${t.text} takes a function's name, as in ${t.text} f.`,
          { title: `Change to ${t.text}(${shorten(written)})`, offset: t.end, length: arg.start - t.end, text: '(', also: [{ offset: arg.end, length: 0, text: ')' }] });
        return { kind: 'call', callee, primes: 0, args: [arg], start: t.start, end: arg.end };
      }
      return { kind: 'call', callee, primes: 0, args: [arg], bare: true, start: t.start, end: arg.end };
    }
    return callee;
  }

  /** `[a, b, …]`; also `(a, b)` where a point is expected (reported, and read as a vector). */
  private vector(): VectorLiteral {
    const open = this.openBracket();
    const closer = CLOSERS[open.text]!;
    const mark = this.listStart();
    if (!this.isPunct(closer)) {
      this.listPush(this.expression());
      while (this.isPunct(',')) {
        this.advance();
        if (this.isPunct(closer)) break; // a trailing comma is fine
        this.listPush(this.expression());
      }
    }
    const items = this.listEnd<Expression>(mark);
    const end = this.closeBracket(open);
    return { kind: 'vector', items, start: open.start, end };
  }
}

/** What to write instead of a character that .calc does not have but a student may type or paste. */
const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  '|': 'write abs(x) for |x|.',
  '√': 'write sqrt(x) for √x.',
  '×': 'write * for a product.',
  '·': 'write * for a product.',
  '⋅': 'write * for a product.',
  '∙': 'write * for a product.',
  '÷': 'write / to divide.',
  '−': 'write - (the minus sign on the keyboard).',
  '–': 'write - (the minus sign on the keyboard).',
  '!': '.calc has no factorial or "not"; write the product out.',
  '&': 'a statement is one line; there is no "and".',
};

/** The characters of CHARACTER_HINTS that stand for one .calc operator, and that operator. */
const CHARACTER_REPLACEMENTS: Readonly<Record<string, string>> = {
  '×': '*', '·': '*', '⋅': '*', '∙': '*', '÷': '/', '−': '-', '–': '-',
};

/** Words that follow an expression in prose or in other languages, never as a factor. */
const PROSE_WORDS = new Set(['for', 'where', 'if', 'and', 'or', 'then', 'when', 'let', 'is', 'such', 'as', 'on', 'of']);

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** `23` for the text `²³` (a run of superscript digits). */
function superscriptDigits(text: string): string {
  let digits = '';
  for (const ch of text) digits += String(Math.max(0, SUPERSCRIPT_DIGITS.indexOf(ch)));
  return digits;
}

/** Source text as .calc: runs of superscript digits become powers (`x²` → `x^2`), for the text of a fix. */
function calcText(text: string): string {
  return text.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, (run) => `^${superscriptDigits(run)}`);
}

/** `a` or `f(x, y)`: what may stand left of '=' in a definition. */
function isDefinitionHeading(e: Expression): e is Identifier | Call {
  return e.kind === 'ident' || (e.kind === 'call' && e.primes === 0 && !e.bare && e.args.every((a) => a.kind === 'ident'));
}

function missingAt(span: Span): Expression {
  return { kind: 'missing', start: span.start, end: span.end };
}

/** The factor an implicit product would follow: `-2` in `-2x` counts as the number 2. */
/** `ln` or `sin^2`, a built-in function's bare name (to a power), which a factor then follows; else undefined. */
function builtinWithoutCall(e: Expression): { name: Identifier; power?: Expression } | undefined {
  const isBuiltinFunction = (x: Expression): x is Identifier => x.kind === 'ident' && BUILTINS.get(x.name)?.kind === 'function';
  if (isBuiltinFunction(e)) return { name: e };
  if (e.kind === 'binary' && e.op === '^' && isBuiltinFunction(e.left)) return { name: e.left, power: e.right };
  return undefined;
}

/** `e` with its trailing factor (under any signs, or a function name in an exponent) replaced by `by`. */
function withTrailing(e: Expression, by: Expression): Expression {
  if (e.kind === 'unary') return { ...e, operand: withTrailing(e.operand, by), end: by.end };
  if (inExponent(e)) return { ...e, right: withTrailing(e.right, by), end: by.end };
  return by;
}

/** The factor a juxtaposed one follows: `x` in `-x`, and `sin` in `2^-sin` (`2^-sin x` is 2^-sin(x)). */
function trailingFactor(e: Expression): Expression {
  if (e.kind === 'unary') return trailingFactor(e.operand);
  if (inExponent(e)) return trailingFactor(e.right);
  return e;
}

/** A power whose exponent ends in a built-in function's bare name: `2^-sin`, `e^cos`. */
function inExponent(e: Expression): e is Extract<Expression, { kind: 'binary' }> {
  if (e.kind !== 'binary' || e.op !== '^') return false;
  const last = trailingFactor(e.right);
  return last.kind === 'ident' && BUILTINS.get(last.name)?.kind === 'function';
}

function shorten(s: string): string {
  return s.length > 20 ? s.slice(0, 19) + '…' : s;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the file';
    case 'newline': return 'the end of the line';
    case 'number': return `the number ${t.text}`;
    case 'ident': return KEYWORDS.has(t.text) ? `the keyword '${t.text}'` : `the name '${t.text}'`;
    case 'string': return 'a string';
    default: return `'${t.text}'`;
  }
}

const CELL = /[^\s,;]+/g;

/** Splits a table row into cells at white space, commas or semicolons, keeping each cell's offset. */
function splitCells(line: string, offset: number): DataCell[] {
  const cells: DataCell[] = [];
  for (const m of line.matchAll(CELL)) {
    cells.push({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
  }
  return cells;
}
