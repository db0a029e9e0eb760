/**
 * The numeric solvers of the analysis core: root finding, minimisation,
 * Lagrange multipliers and chi-squared fits, on plain closures.
 */
export * from './types';
export { minimize, maximize, methodName, checkOptimum, type OptimumCheck } from './minimize';
export { fitLinear, fitNonlinear, type LinearFitProblem, type NonlinearFitProblem, type ModelFunction, type FitOptions } from './regress';
export { levenbergMarquardt, type LMOptions, type LMResult } from './lm';
export { newtonRaphson, newtonSystem, type ScalarFunction } from './root';
export { lagrange, halton, type LagrangeOptions, type LagrangeResult, type LagrangeCandidate, type CandidateKind } from './lagrange';
export { objectiveFromExpr, vectorFunctionFromExprs, modelFromExpr, linearDesignFromExpr, type FitData } from './fromExpr';
