/**
 * Name resolution: which definition every identifier refers to, and the
 * diagnostics about names (unknown names with "did you mean", duplicates,
 * wrong argument counts, recursion, shadowed built-ins, unused parameters).
 */
import type {
  Call, DataStatement, Expression, FitStatement, FunctionDefinition, Identifier, PointSpec, Program, Span, Statement,
} from '../syntax/ast';
import { childrenOf, someExpression } from '../syntax/ast';
import { Codes, type Diagnostic, type Fix } from '../syntax/diagnostics';
import { BUILTINS } from './builtins';

export type DefinitionKind = 'constant' | 'function' | 'data' | 'parameter' | 'column' | 'variable';

export interface Definition {
  readonly kind: DefinitionKind;
  readonly name: string;
  /** Where the name is written in its definition; for free variables, the first use. */
  readonly span: Span;
  /** The statement that defines it (for parameters, the function definition). */
  readonly statement: Statement;
  /** Parameter names, for functions. */
  readonly params?: readonly string[];
}

export interface Reference {
  readonly span: Span;
  readonly name: string;
  /** Undefined for built-ins and for names that could not be resolved. */
  readonly target?: Definition;
  readonly builtin?: boolean;
  /** True for the name in its own definition. */
  readonly isDefinition?: boolean;
}

export interface SymbolTable {
  /** Top-level definitions (constants, functions, data sets), first definition of each name. */
  readonly globals: ReadonlyMap<string, Definition>;
  /** Every top-level definition in document order, duplicates included. */
  readonly definitions: readonly Definition[];
  /** Every resolved or unresolved name occurrence, in document order. */
  readonly references: readonly Reference[];
  /** Data columns by data set name, from inline headers or loaded files. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
}

/** diff's variables met and not yet visited, during one resolveExpr (empty between calls). */
const diffVariables = new Set<Identifier>();

/** The scope of a statement without local names (shared: nothing adds to it). */
const NO_SCOPE: ReadonlyMap<string, Definition> = new Map();

/** The uses of a definition that uses no other (shared). */
const NO_EDGES: readonly { target: string; span: Span }[] = [];

/** Context for the free names of a statement: what an unknown name means there. */
type FreeNamePolicy = 'error' | 'variable';

/**
 * Resolves every name of a program.
 * `resolveNames(parse('f(x) = x^2\nf(2)').program, new Map()).symbols.globals.get('f')?.kind` is 'function'.
 */
export function resolveNames(
  program: Program,
  columns: ReadonlyMap<string, readonly string[]>,
): { symbols: SymbolTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const globals = new Map<string, Definition>();
  const definitions: Definition[] = [];
  const references: Reference[] = [];
  // Edges from each constant or function to the constants and functions its body uses, for recursion.
  const edges = new Map<string, { target: string; span: Span }[]>();
  // diagnostics (by index) offering to make a constant a function: the constant's name and that fix
  /** Each "Make c a function of y" offered: the diagnostic's index, the constant, the fix, the name y. */
  const makeFunctionFixes: [number, string, Fix, string][] = [];
  let owner: string | undefined;

  // 1. Top-level definitions, so that a name may be used above its definition.
  for (const s of program.statements) {
    const def = definitionOf(s);
    if (!def) continue;
    definitions.push(def);
    const builtin = BUILTINS.get(def.name);
    if (builtin) {
      diagnostics.push(diag(Codes.ShadowsBuiltin, 'error', def.span,
        `'${def.name}' is a built-in ${builtin.kind}; choose another name, such as '${def.name}2' or 'my_${def.name}'.`));
      continue;
    }
    const first = globals.get(def.name);
    if (first) {
      diagnostics.push({
        ...diag(Codes.DuplicateDefinition, 'error', def.span, `'${def.name}' is already defined on an earlier line; rename one of them.`),
        related: { offset: first.span.start, length: first.span.end - first.span.start, message: `first definition of '${def.name}'` },
      });
      continue;
    }
    globals.set(def.name, def);
  }

  // 2. Uses, statement by statement (a definition's own name first, so references come in document order).
  let nextDefinition = 0;
  let ordered = true;
  for (const s of program.statements) {
    const blockStart = references.length;
    const own = definitions[nextDefinition];
    if (own?.statement === s) {
      references.push({ span: own.span, name: own.name, target: own, isDefinition: true });
      nextDefinition++;
    }
    const def = s.kind === 'constant' || s.kind === 'function' ? globals.get(s.name.name) : undefined;
    owner = def && def.statement === s ? def.name : undefined;
    const first = references.length;
    resolveStatement(s);
    // within a statement a few come out of order (a fit names its data set before its response)
    sortTail(references, first);
    // the list is in order when every statement's part is and every join between parts is
    ordered &&= inOrderAt(references, blockStart) && inOrderAt(references, first);
  }

  // 3. Recursion among constants and functions.
  reportCycles();

  // "Make c a function of y" only where c is used nowhere: a use of c would then need an argument.
  // A constant with several unknown names becomes a function of them all, in the order they come.
  const variablesOf = new Map<string, string[]>();
  for (const [, name, , variable] of makeFunctionFixes) {
    const variables = variablesOf.get(name) ?? [];
    if (!variables.includes(variable)) variables.push(variable);
    variablesOf.set(name, variables);
  }
  for (const [i, name, fix, variable] of makeFunctionFixes) {
    const def = globals.get(name);
    const d = diagnostics[i]!;
    const rest = d.fixes!.filter((f) => f !== fix);
    if (def && references.some((r) => r.target === def && !r.isDefinition)) {
      const { fixes: _dropped, ...bare } = d;
      diagnostics[i] = rest.length ? { ...bare, fixes: rest } : bare;
      continue;
    }
    const variables = variablesOf.get(name)!;
    if (variables.length === 1) continue;
    const list = variables.join(', '), all = `${variables.slice(0, -1).join(', ')} and ${variables[variables.length - 1]}`;
    const together: Fix = { ...fix, title: `Make ${name} a function of ${all}`, text: `(${list})` };
    const message = d.message.replace(`to depend on ${variable}, define a function instead, as in ${name}(${variable}) = …`,
      `to depend on ${all}, define a function instead, as in ${name}(${list}) = …`);
    diagnostics[i] = { ...d, message, fixes: [...rest, together] };
  }

  // In order already, since statements come in order and each one's references lie inside it; the
  // joins checked above guard that (dependencies() merges references with statements and relies on it).
  if (!ordered) references.sort(byStart);
  return { symbols: { globals, definitions, references, columns }, diagnostics };

  function resolveStatement(s: Statement): void {
    switch (s.kind) {
      case 'constant':
        resolveExpr(s.value, NO_SCOPE, 'error', s);
        return;
      case 'function': {
        const scope = new Map<string, Definition>();
        for (const p of s.params) {
          const def: Definition = { kind: 'parameter', name: p.name, span: p, statement: s };
          if (scope.has(p.name)) {
            diagnostics.push(diag(Codes.DuplicateParameter, 'error', p, `The parameter '${p.name}' appears twice; each parameter needs its own name.`));
          }
          scope.set(p.name, def);
          references.push({ span: p, name: p.name, target: def, isDefinition: true });
          if (BUILTINS.has(p.name)) {
            diagnostics.push(diag(Codes.ShadowsBuiltin, 'warning', p,
              `The parameter '${p.name}' hides the built-in ${BUILTINS.get(p.name)!.kind} '${p.name}' inside ${s.name.name}; rename it if you meant the built-in.`));
          }
        }
        const used = new Set<string>();
        resolveExpr(s.body, scope, 'error', s, used);
        // an unfinished body (`f(x) = `, `f(x) = 2 +`) has its syntax error; that it does not use x yet is noise
        let unfinished: boolean | undefined;
        for (const p of s.params) {
          if (!used.has(p.name) && !(unfinished ??= someExpression(s.body, (x) => x.kind === 'missing'))) {
            diagnostics.push({
              ...diag(Codes.UnusedParameter, 'hint', p, `The parameter '${p.name}' is not used in the body of ${s.name.name}.`),
              tags: ['unnecessary'],
            });
          }
        }
        return;
      }
      case 'data':
        return;
      case 'fit':
        resolveFit(s);
        return;
      default: {
        // Analysis statements and expression lines: unknown names are free variables.
        for (const child of childrenOf(s)) walk(child, NO_SCOPE, 'variable', s);
      }
    }
  }

  /**
   * `df/dx`, Leibniz's notation, reads in .calc as df divided by dx, two free variables: where
   * neither name is defined, say how a derivative is written (with the fix, when f is a function).
   */
  function leibniz(e: Extract<Expression, { kind: 'binary' }>): void {
    if (e.left.kind !== 'ident' || e.right.kind !== 'ident') return;
    const [top, bottom] = [e.left.name, e.right.name];
    if (!/^d\p{L}/u.test(top) || !/^d\p{L}/u.test(bottom) || globals.has(top) || globals.has(bottom)) return;
    const f = top.slice(1), x = bottom.slice(1);
    const def = globals.get(f);
    const said = `${top}/${bottom} is ${top} divided by ${bottom}, two unknown names, not a derivative`;
    if (def?.kind !== 'function' || def.statement.kind !== 'function') {
      // without a function f, only the textbook's dy/dx, du/dt: dist/dur is a ratio of two names
      if ([...f].length === 1 && [...x].length === 1) diagnostics.push(diag(Codes.UnknownName, 'warning', e, `${said}: write diff(expression, ${x}), or f'(${x}) for a function f of one variable.`));
      return;
    }
    const params = def.statement.params.map((p) => p.name);
    // f of one variable: f'(x) is its derivative at x, whatever its parameter is called; of several,
    // only a derivative by one of them is meant
    const written = params.length === 1 ? `${f}'(${x})` : params.includes(x) ? `diff(${f}(${params.join(', ')}), ${x})` : undefined;
    if (!written) {
      diagnostics.push(diag(Codes.UnknownName, 'warning', e, `${said}: ${f} is a function of ${params.join(', ')}; write diff(${f}(${params.join(', ')}), one of them).`));
      return;
    }
    diagnostics.push({
      ...diag(Codes.UnknownName, 'warning', e, `${said}: write ${written}.`),
      fixes: [{ title: `Change to ${written}`, offset: e.start, length: e.end - e.start, text: written }],
    });
  }

  function resolveFit(s: FitStatement): void {
    const scope = new Map<string, Definition>();
    const data = s.data ? globals.get(s.data.name) : undefined;
    if (s.data) {
      if (!data) unknown(s.data, 'data set');
      else if (data.kind !== 'data') diagnostics.push(diag(Codes.InvalidTarget, 'error', s.data, `'${s.data.name}' is a ${data.kind}, not a data set; fit to a name defined with \`data\`.`));
      references.push({ span: s.data, name: s.data.name, ...(data ? { target: data } : {}) });
    }
    const cols = data?.kind === 'data' ? columns.get(data.name) : undefined;
    if (cols) for (const c of cols) scope.set(c, { kind: 'column', name: c, span: data!.span, statement: data!.statement });
    if (cols && !cols.includes(s.response.name)) {
      diagnostics.push(diag(Codes.DataUnknownColumn, 'error', s.response,
        `'${s.response.name}' is not a column of ${data!.name}; its columns are ${cols.join(', ')}.${suggest(s.response.name, cols)}`));
    }
    references.push({ span: s.response, name: s.response.name, ...(scope.get(s.response.name) ? { target: scope.get(s.response.name)! } : {}) });
    // Names in the model that are not columns, constants or functions are the fit parameters.
    walk(s.model, scope, 'variable', s);
    if (s.from) walk(s.from, scope, 'variable', s);
    for (const o of s.options) walk(o.value, scope, 'variable', s);
  }

  function walk(node: Statement | Expression | PointSpec, scope: ReadonlyMap<string, Definition>, policy: FreeNamePolicy, s: Statement): void {
    if (isExpr(node)) { resolveExpr(node, scope, policy, s); return; }
    if (node.kind === 'named-point') {
      // Binding names are variables of the statement, not references to definitions.
      for (const b of node.bindings) resolveExpr(b.value, scope, 'variable', s);
      return;
    }
    for (const c of childrenOf(node)) walk(c, scope, policy, s);
  }

  function resolveExpr(e: Expression, scope: ReadonlyMap<string, Definition>, policy: FreeNamePolicy, s: Statement, used?: Set<string>): void {
    // An explicit stack: expressions can be deep, and the parser bounds only their nesting.
    const stack: Expression[] = [e];
    if (diffVariables.size > 0) diffVariables.clear(); // (clear() allocates a new table even when empty)
    while (stack.length) {
      const n = stack.pop()!;
      switch (n.kind) {
        case 'ident':
          if (diffVariables.size > 0 && diffVariables.delete(n)) markFree(n, scope, used);
          else useName(n, scope, policy, s, used);
          break;
        case 'call': {
          useCallee(n, scope);
          // diff's variables are names, not values: they are visited after its expression, in
          // document order, and marked as variables then; its order (a number) is not a name.
          if (n.callee.name === 'diff') {
            for (let i = n.args.length - 1; i >= 1; i--) {
              const v = n.args[i]!;
              if (v.kind === 'ident') { diffVariables.add(v); stack.push(v); }
            }
          }
          const count = n.callee.name === 'diff' && !scope.has('diff') && !globals.has('diff') ? Math.min(1, n.args.length) : n.args.length;
          for (let i = count - 1; i >= 0; i--) stack.push(n.args[i]!);
          break;
        }
        case 'primed': {
          const def = globals.get(n.name.name);
          references.push({ span: n.name, name: n.name.name, ...(def ? { target: def } : {}) });
          if (def) edge(def, n.name);
          if (!def) unknown(n.name, 'function');
          else if (def.kind !== 'function') notAFunction(n.name, def);
          else if ((def.params?.length ?? 0) !== 1) {
            diagnostics.push(diag(Codes.PrimeNeedsOneVariable, 'error', n.name,
              `Prime notation is for functions of one variable; ${def.name} has ${def.params?.length}. Use diff(${def.name}(${def.params?.join(', ')}), ${def.params?.[0]}) for a partial derivative.`));
          }
          break;
        }
        // (the common kinds without childrenOf's array: this loop sees every node of the document)
        case 'binary':
          // df/dx on an expression line or in an analysis (where unknown names are free variables)
          if (n.op === '/' && policy === 'variable' && s.kind !== 'fit') leibniz(n);
          stack.push(n.right, n.left);
          break;
        case 'unary': stack.push(n.operand); break;
        case 'number': case 'string': case 'missing': break;
        default:
          for (const c of childrenOf(n).reverse()) stack.push(c as Expression);
      }
    }
  }

  /** The variable of `diff(e, x)`: a parameter in a function body, else a free variable. */
  function markFree(id: Identifier, scope: ReadonlyMap<string, Definition>, used?: Set<string>): void {
    const local = scope.get(id.name);
    if (local) { used?.add(id.name); references.push({ span: id, name: id.name, target: local }); return; }
    references.push({ span: id, name: id.name });
  }

  function useName(id: Identifier, scope: ReadonlyMap<string, Definition>, policy: FreeNamePolicy, s: Statement, used?: Set<string>): void {
    const local = scope.get(id.name);
    if (local) {
      used?.add(id.name);
      references.push({ span: id, name: id.name, target: local });
      return;
    }
    const global = globals.get(id.name);
    if (global) {
      references.push({ span: id, name: id.name, target: global });
      edge(global, id);
      if (global.kind === 'data') {
        diagnostics.push(diag(Codes.InvalidTarget, 'error', id, `'${id.name}' is a data set; use it in \`fit ... to ${id.name}\`.`));
      }
      return;
    }
    const builtin = BUILTINS.get(id.name);
    if (builtin) {
      references.push({ span: id, name: id.name, builtin: true });
      if (builtin.kind === 'function') {
        diagnostics.push(diag(Codes.NotAFunction, 'error', id, `'${id.name}' is a function: call it with an argument, as in ${id.name}(x).`));
      }
      return;
    }
    if (policy === 'variable') {
      references.push({ span: id, name: id.name });
      return;
    }
    references.push({ span: id, name: id.name });
    const near = closestName(id.name, candidates(scope));
    const meant = didYouMean(near);
    if (s.kind === 'function') {
      // after the heading's last parameter (a heading without any, f(), is too rare to locate its bracket for)
      const last = s.params[s.params.length - 1];
      const addParameter: Fix[] = last ? [{ title: `Add '${id.name}' as a parameter of ${s.name.name}`, offset: last.end, length: 0, text: `, ${id.name}` }] : [];
      const fixes = [...(renameFix(id, near).fixes ?? []), ...addParameter];
      diagnostics.push({ ...diag(Codes.UnknownName, 'error', id,
        `Unknown name '${id.name}'.${meant} If it is a variable, add it as a parameter: ${s.name.name}(${[...s.params.map((p) => p.name), id.name].join(', ')}).`),
      ...(fixes.length ? { fixes } : {}) });
    } else {
      const makeFunction: Fix[] = [];
      if (s.kind === 'constant') {
        const fix: Fix = { title: `Make ${s.name.name} a function of ${id.name}`, offset: s.name.end, length: 0, text: `(${id.name})` };
        makeFunction.push(fix);
        makeFunctionFixes.push([diagnostics.length, s.name.name, fix, id.name]);
      }
      const fixes = [...(renameFix(id, near).fixes ?? []), ...makeFunction];
      diagnostics.push({ ...diag(Codes.FreeVariableInConstant, 'error', id,
        `Unknown name '${id.name}'.${meant} A constant must have a value; to depend on ${id.name}, define a function instead, as in ${s.kind === 'constant' ? s.name.name : 'g'}(${id.name}) = ….`),
      ...(fixes.length ? { fixes } : {}) });
    }
  }

  function useCallee(c: Call, scope: ReadonlyMap<string, Definition>): void {
    const name = c.callee.name;
    const local = scope.get(name);
    if (local) {
      references.push({ span: c.callee, name, target: local });
      diagnostics.push(diag(Codes.NotAFunction, 'error', c.callee, `'${name}' is a ${local.kind} here, not a function.`));
      return;
    }
    const global = globals.get(name);
    if (global) {
      references.push({ span: c.callee, name, target: global });
      edge(global, c.callee);
      if (global.kind !== 'function') { notAFunction(c.callee, global); return; }
      const want = global.params?.length ?? 0;
      if (c.primes > 0 && want !== 1) {
        diagnostics.push(diag(Codes.PrimeNeedsOneVariable, 'error', c.callee,
          `Prime notation is for functions of one variable; ${name} has ${want}. Use diff(${name}(${global.params?.join(', ')}), ${global.params?.[0]}) for a partial derivative.`));
        return;
      }
      if (c.args.length !== want) wrongCount(c, name, want, `${name}(${global.params?.join(', ')})`);
      return;
    }
    const builtin = BUILTINS.get(name);
    if (builtin) {
      references.push({ span: c.callee, name, builtin: true });
      if (builtin.kind === 'constant') {
        diagnostics.push(diag(Codes.NotAFunction, 'error', c.callee, `'${name}' is a constant, not a function; write ${name}*(…) for a product.`));
      } else if (builtin.kind === 'function') {
        if (c.args.length !== 1) wrongCount(c, name, 1, `${name}(x)`);
      } else {
        checkOperator(c);
      }
      return;
    }
    references.push({ span: c.callee, name });
    // `x(x + 1)`, with no function of a name like it, is most often a product written as in print
    unknown(c.callee, 'function', c.args.length === 1 ? ` If you meant a product, write ${name}*(…).` : '');
  }

  function checkOperator(c: Call): void {
    const name = c.callee.name;
    if (name === 'diff') {
      if (c.args.length < 2) { wrongCount(c, name, 2, 'diff(expr, x)'); return; }
      c.args.slice(1).forEach((a, i) => {
        const isOrder = a.kind === 'number' && i === c.args.length - 2 && i > 0;
        if (a.kind !== 'ident' && !isOrder) {
          diagnostics.push(diag(Codes.InvalidTarget, 'error', a, 'diff takes the variables to differentiate by, as names: diff(e, x), diff(e, x, y), or an order: diff(e, x, 2).'));
        }
      });
    } else if (name === 'taylor') {
      diagnostics.push(diag(Codes.InvalidTarget, 'error', c.callee, 'taylor is a statement: write `taylor f at [0, 0] order 2` on its own line.'));
    } else if (c.args.length !== 1) {
      wrongCount(c, name, 1, `${name}(f)`);
    }
  }

  function wrongCount(c: Call, name: string, want: number, signature: string): void {
    const span = c.args.length > want ? { start: c.args[want]!.start, end: c.args[c.args.length - 1]!.end } : c;
    diagnostics.push(diag(Codes.WrongArgumentCount, 'error', span,
      `${name} takes ${want} argument${want === 1 ? '' : 's'} (${signature}), but ${c.args.length} ${c.args.length === 1 ? 'is' : 'are'} given.`));
  }

  function notAFunction(id: Identifier, def: Definition): void {
    diagnostics.push(diag(Codes.NotAFunction, 'error', id, `'${id.name}' is a ${def.kind}, not a function.`));
  }

  function unknown(id: Identifier, what: 'function' | 'data set', more = ''): void {
    // suggest only names of the kind wanted: a data set is no answer to a misspelt function
    const names = what === 'data set'
      ? [...globals.values()].filter((d) => d.kind === 'data').map((d) => d.name)
      : [...[...globals.values()].filter((d) => d.kind === 'function').map((d) => d.name),
        ...[...BUILTINS].filter(([, b]) => b.kind !== 'constant').map(([n]) => n)];
    const near = closestName(id.name, names);
    diagnostics.push({ ...diag(Codes.UnknownName, 'error', id, `Unknown ${what} '${id.name}'.${near === undefined ? more : didYouMean(near)}`), ...renameFix(id, near) });
  }

  function candidates(scope: ReadonlyMap<string, Definition>): string[] {
    return [...scope.keys(), ...globals.keys(), ...BUILTINS.keys()];
  }

  function edge(target: Definition, span: Span): void {
    if (!owner || (target.kind !== 'function' && target.kind !== 'constant')) return;
    const list = edges.get(owner);
    if (list) list.push({ target: target.name, span });
    else edges.set(owner, [{ target: target.name, span }]);
  }

  function reportCycles(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const reported = new Set<string>();
    for (const name of globals.keys()) visit(name);

    function visit(name: string): void {
      // Iterative depth-first search: a chain of thousands of definitions must not overflow the stack.
      const stack: { name: string; i: number }[] = [{ name, i: 0 }];
      if (state.get(name)) return;
      state.set(name, 'visiting');
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        const out = edges.get(top.name) ?? NO_EDGES;
        if (top.i >= out.length) { state.set(top.name, 'done'); stack.pop(); continue; }
        const edge = out[top.i++]!;
        const st = state.get(edge.target);
        if (st === 'visiting') {
          if (!reported.has(top.name)) {
            reported.add(top.name);
            const cycle = stack.slice(stack.findIndex((f) => f.name === edge.target)).map((f) => f.name);
            diagnostics.push(diag(Codes.RecursiveDefinition, 'error', edge.span,
              `Recursive definition: ${[...cycle, edge.target].join(' → ')}. A definition cannot use itself; .calc has no recursion.`));
          }
        } else if (!st) {
          state.set(edge.target, 'visiting');
          stack.push({ name: edge.target, i: 0 });
        }
      }
    }
  }

}

function inOrder(refs: readonly Reference[], from: number): boolean {
  for (let i = from + 1; i < refs.length; i++) if (refs[i - 1]!.span.start > refs[i]!.span.start) return false;
  return true;
}

/** refs[i - 1] does not start after refs[i] (true when either is missing). */
function inOrderAt(refs: readonly Reference[], i: number): boolean {
  return i <= 0 || i >= refs.length || refs[i - 1]!.span.start <= refs[i]!.span.start;
}

const byStart = (a: Reference, b: Reference): number => a.span.start - b.span.start;

/** Sorts `refs` from index `from` on by position (stably), when they are not in order. */
function sortTail(refs: Reference[], from: number): void {
  if (inOrder(refs, from)) return;
  const tail = refs.slice(from).sort(byStart);
  for (let i = 0; i < tail.length; i++) refs[from + i] = tail[i]!;
}

function definitionOf(s: Statement): Definition | undefined {
  switch (s.kind) {
    case 'constant': return { kind: 'constant', name: s.name.name, span: s.name, statement: s };
    case 'function': return { kind: 'function', name: s.name.name, span: s.name, statement: s, params: s.params.map((p) => p.name) };
    case 'data': return { kind: 'data', name: s.name.name, span: s.name, statement: s };
    default: return undefined;
  }
}

const NOT_EXPRESSIONS = new Set(['vector-point', 'named-point', 'constant', 'function', 'expression', 'taylor', 'root', 'optimize', 'data', 'fit', 'plot', 'check', 'expect', 'invalid']);

function isExpr(n: Statement | Expression | PointSpec): n is Expression {
  return !NOT_EXPRESSIONS.has(n.kind);
}

function diag(code: number, severity: Diagnostic['severity'], span: Span, message: string): Diagnostic {
  return { code, severity, offset: span.start, length: span.end - span.start, message };
}

/**
 * " Did you mean 'sin'?" when a candidate is within a small edit distance, else ''.
 * `suggest('sn', ['sin', 'cos'])` is " Did you mean 'sin'?"
 */
export function suggest(name: string, candidates: Iterable<string>): string {
  return didYouMean(closestName(name, candidates));
}

/** " Did you mean 'sin'?" for a name found, '' for none. */
function didYouMean(near: string | undefined): string {
  return near === undefined ? '' : ` Did you mean '${near}'?`;
}

/** The candidate a misspelt `name` most likely meant, within a few edits (fewer for short names, none for one letter but its case); else undefined. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  // one letter is one edit from every other: only a different case (E for e) is a likely slip
  const limit = name.length === 1 ? 0 : name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), limit);
    if (d < bestDistance) { bestDistance = d; best = c; }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** The quick fix that puts `name` where `at` is: the fix of a did-you-mean. */
export function renameFix(at: Span, name: string | undefined): { readonly fixes?: readonly Fix[] } {
  return name === undefined ? {} : { fixes: [{ title: `Change to '${name}'`, offset: at.start, length: at.end - at.start, text: name }] };
}

/** Damerau–Levenshtein distance (optimal string alignment), giving up above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
    }
  }
  return rows[a.length]![b.length]!;
}

export type { DataStatement, FunctionDefinition };
