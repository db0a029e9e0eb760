/**
 * The numeric solvers of the analysis core: root finding, minimisation,
 * Lagrange multipliers and chi-squared fits, on plain closures.
 */
export * from './types.js';
export { minimize, maximize, methodName } from './minimize.js';
export { fitLinear, fitNonlinear, type LinearFitProblem, type NonlinearFitProblem, type ModelFunction, type FitOptions } from './regress.js';
export { levenbergMarquardt, type LMOptions, type LMResult } from './lm.js';
export { newtonRaphson, newtonSystem, type ScalarFunction } from './root.js';
export { lagrange, halton, type LagrangeOptions, type LagrangeResult, type LagrangeCandidate, type CandidateKind } from './lagrange.js';
