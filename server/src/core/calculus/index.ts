/**
 * The calculus engine's public API: simplification, derivatives, gradient/Jacobian/Hessian,
 * Taylor polynomials, printers, compiled evaluation with automatic differentiation, and
 * equivalence checks.
 */
export * from './expr';
export {
  simplify, expand, isZero, compareExpr, checkBounds, DEFAULT_MAX_NODES, MAX_DEPTH, type SimplifyOptions,
} from './simplify';
export { derivative, nthDerivative, partial } from './diff';
export { gradient, jacobian, hessian, classifyCriticalPoint, EIGENVALUE_TOLERANCE, type CriticalPointKind } from './matrices';
export { taylor, type TaylorResult } from './taylor';
export {
  compile, compileVector, compileGradient, compileJacobian, compileHessian, derivativesAtPoint, hessianAtPoint, type Value,
} from './compile';
export { checkEquivalent, type EquivalenceOptions, type EquivalenceResult } from './equivalence';
export { seeded, randomExpr, CALCULUS_FUNCTIONS } from './random';
export * from './print/index';
