/**
 * Diagnostics of the analysis core: plain data with UTF-16 offsets.
 *
 * Codes are stable and grouped; tests assert codes, never message text:
 *   1xx scanning · 2xx parsing · 3xx names and definitions · 4xx evaluation
 *   5xx analyses (methods, options, points, data, expect, check)
 */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Diagnostic {
  readonly code: number;
  readonly severity: Severity;
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  /** 'unnecessary' greys the text out in editors (unused parameters). */
  readonly tags?: readonly 'unnecessary'[];
  /** Another place the message refers to, such as the first definition of a duplicate. */
  readonly related?: { readonly offset: number; readonly length: number; readonly message: string };
  /** Edits that make what the message says (an editor offers them as quick fixes). */
  readonly fixes?: readonly Fix[];
}

/** One quick fix: replace `length` characters at `offset` with `text`. */
export interface Fix extends Edit {
  /** What the fix does, for a menu: "Change to 'sin'". */
  readonly title: string;
  /** Further edits made with this one: the other uses of a name that is renamed. */
  readonly also?: readonly Edit[];
}

/** Replaces `length` characters at `offset` with `text`. */
export interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** Every diagnostic code, by name. Never renumber: tests, docs and users rely on them. */
export const Codes = {
  // 1xx scanning
  InvalidCharacter: 101,
  UnterminatedString: 102,
  InvalidNumber: 103,
  // 2xx parsing
  UnexpectedToken: 201,
  MissingCloseBracket: 202,
  UnmatchedCloseBracket: 203,
  ExpectedExpression: 204,
  MissingOperator: 205,
  TooDeep: 206,
  ExpectedKeyword: 207,
  InvalidDefinition: 208,
  AmbiguousImplicitProduct: 209,
  ExpectedName: 210,
  ReservedWord: 211,
  // 3xx names and definitions
  UnknownName: 301,
  DuplicateDefinition: 302,
  WrongArgumentCount: 303,
  RecursiveDefinition: 304,
  ShadowsBuiltin: 305,
  UnusedParameter: 306,
  NotAFunction: 307,
  FreeVariableInConstant: 308,
  DuplicateParameter: 309,
  PrimeNeedsOneVariable: 310,
  // 4xx evaluation
  EvaluationError: 401,
  ShapeMismatch: 402,
  DomainWarning: 403,
  TooLarge: 404,
  NotDifferentiable: 405,
  // 5xx analyses
  UnknownMethod: 501,
  UnknownOption: 502,
  PointLength: 503,
  InvalidOption: 504,
  DataRagged: 510,
  DataNonNumeric: 511,
  DataFileMissing: 512,
  DataPathOutsideWorkspace: 513,
  DataUnknownColumn: 514,
  DataEmpty: 515,
  ExpectFailed: 520,
  CheckFailed: 521,
  AnalysisFailed: 530,
  NotConverged: 531,
  InvalidTarget: 532,
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];
