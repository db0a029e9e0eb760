/**
 * Levenberg–Marquardt for min ½‖F(x)‖², following MINPACK's lmder
 * (Moré, "The Levenberg-Marquardt algorithm: implementation and theory", 1978):
 * a trust region in the scaled norm ‖D p‖ whose subproblem
 *   min ‖J p + F‖  subject to  ‖D p‖ ≤ Δ
 * is solved by finding the Levenberg parameter λ with (JᵀJ + λDᵀD) p = −JᵀF,
 * using the QR factorisation of J and Givens rotations for the λD rows.
 * D holds the largest column norms of J seen so far (Moré's scaling), which makes
 * the method invariant to the units of the parameters.
 */
import { EPS, DWARF, enorm, qrFactor } from './linalg';
import type { RunControl, StopReason, VectorFunction } from './types';

export interface LMOptions extends RunControl {
  /** Relative reduction of ‖F‖² below which it stops (MINPACK ftol). Default 1e-15. */
  ftol?: number;
  /** Relative step size below which it stops (MINPACK xtol). Default 1e-15. */
  xtol?: number;
  /** Cosine between F and the columns of J below which it stops (MINPACK gtol). Default 1e-15. */
  gtol?: number;
  /** Bound on evaluations of F. Default 200·(n+1)·10. */
  maxEvaluations?: number;
  /** Initial step bound factor (MINPACK factor). Default 100. */
  factor?: number;
}

export interface LMResult {
  x: Float64Array;
  fvec: Float64Array;
  /** ‖F(x)‖ */
  fnorm: number;
  iterations: number;
  evaluations: number;
  jacobianEvaluations: number;
  converged: boolean;
  reason: StopReason;
  message: string;
  /** MINPACK's info code (1–8; 0 for bad input, −1 stopped, −2 non-finite values). */
  info: number;
  path: number[][];
}

/**
 * Minimise ‖F(x)‖² from x0.
 * Example: `levenbergMarquardt({ m: 2, n: 1, values: (x, r) => { r[0] = x[0] - 1; r[1] = x[0] - 3 }, jacobian: (x, J) => { J[0][0] = 1; J[1][0] = 1 } }, [0]).x` is `[2]`.
 */
export function levenbergMarquardt(F: VectorFunction, x0: ArrayLike<number>, options: LMOptions = {}): LMResult {
  const { m, n } = F;
  const ftol = options.ftol ?? 1e-15, xtol = options.xtol ?? 1e-15, gtol = options.gtol ?? 1e-15;
  const maxfev = options.maxEvaluations ?? 2000 * (n + 1);
  const factor = options.factor ?? 100;
  const x = Float64Array.from(x0);
  const fvec = new Float64Array(m);
  const path: number[][] = [Array.from(x)];
  const done = (info: number, iter: number, nfev: number, njev: number, fnorm: number): LMResult => {
    const { reason, message } = describe(info);
    return {
      x, fvec, fnorm, iterations: iter, evaluations: nfev, jacobianEvaluations: njev,
      converged: info >= 1 && info <= 4 || info >= 6, reason, message, info, path,
    };
  };
  if (n <= 0 || m < n) return done(0, 0, 0, 0, NaN);

  F.values(x, fvec);
  let nfev = 1, njev = 0;
  let fnorm = enorm(fvec);
  if (!Number.isFinite(fnorm)) return done(-2, 0, nfev, njev, fnorm);

  const Jrows = Array.from({ length: m }, () => new Float64Array(n));
  const cols = Array.from({ length: n }, () => new Float64Array(m));
  const r = Array.from({ length: n }, () => new Float64Array(n)); // R (upper) + scratch (lower), pivoted order
  const diag = new Float64Array(n), qtf = new Float64Array(n);
  const wa1 = new Float64Array(n), wa2 = new Float64Array(n), wa3 = new Float64Array(n);
  const wa4 = new Float64Array(m);
  let par = 0, delta = 0, xnorm = 0;
  let iter = 1;

  for (;;) {
    if (options.shouldStop?.()) return done(-1, iter, nfev, njev, fnorm);
    F.jacobian(x, Jrows);
    njev++;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cols[j]![i] = Jrows[i]![j]!;
    for (let j = 0; j < n; j++) if (!cols[j]!.every(Number.isFinite)) return done(-2, iter, nfev, njev, fnorm);
    const qr = qrFactor(cols, m, n, true);
    const acnorm = qr.acnorm, ipvt = qr.perm;
    if (iter === 1) {
      for (let j = 0; j < n; j++) diag[j] = acnorm[j] === 0 ? 1 : acnorm[j]!;
      for (let j = 0; j < n; j++) wa3[j] = diag[j]! * x[j]!;
      xnorm = enorm(wa3);
      delta = factor * xnorm;
      if (delta === 0) delta = factor;
    }
    // qtf = first n components of Qᵀ F.
    wa4.set(fvec);
    for (let j = 0; j < n; j++) {
      const cj = qr.cols[j]!;
      if (cj[j] !== 0) {
        let s = 0;
        for (let i = j; i < m; i++) s += cj[i]! * wa4[i]!;
        const t = -s / cj[j]!;
        for (let i = j; i < m; i++) wa4[i] = wa4[i]! + t * cj[i]!;
      }
      qtf[j] = wa4[j]!;
    }
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < j; i++) r[i]![j] = qr.cols[j]![i]!;
      r[j]![j] = qr.rdiag[j]!;
    }
    // Scaled gradient norm: the largest cosine between F and a column of J.
    let gnorm = 0;
    if (fnorm !== 0) {
      for (let j = 0; j < n; j++) {
        const l = ipvt[j]!;
        if (acnorm[l] === 0) continue;
        let s = 0;
        for (let i = 0; i <= j; i++) s += r[i]![j]! * (qtf[i]! / fnorm);
        gnorm = Math.max(gnorm, Math.abs(s / acnorm[l]!));
      }
    }
    if (gnorm <= gtol) return done(4, iter, nfev, njev, fnorm);
    for (let j = 0; j < n; j++) diag[j] = Math.max(diag[j]!, acnorm[j]!);

    for (;;) {
      par = lmpar(n, r, ipvt, diag, qtf, delta, par, wa1);
      for (let j = 0; j < n; j++) {
        wa1[j] = -wa1[j]!;
        wa2[j] = x[j]! + wa1[j]!;
        wa3[j] = diag[j]! * wa1[j]!;
      }
      const pnorm = enorm(wa3);
      if (iter === 1) delta = Math.min(delta, pnorm);
      F.values(wa2, wa4);
      nfev++;
      let fnorm1 = enorm(wa4);
      if (!Number.isFinite(fnorm1)) fnorm1 = Infinity; // outside the domain: treat as a failed step
      let actred = -1;
      if (0.1 * fnorm1 < fnorm) actred = 1 - (fnorm1 / fnorm) ** 2;
      // Predicted reduction from the linear model.
      for (let j = 0; j < n; j++) {
        wa3[j] = 0;
        const t = wa1[ipvt[j]!]!;
        for (let i = 0; i <= j; i++) wa3[i] = wa3[i]! + r[i]![j]! * t;
      }
      const temp1 = enorm(wa3) / fnorm, temp2 = (Math.sqrt(par) * pnorm) / fnorm;
      const prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
      const dirder = -(temp1 * temp1 + temp2 * temp2);
      const ratio = prered !== 0 ? actred / prered : 0;
      if (ratio <= 0.25) {
        let t = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
        if (0.1 * fnorm1 >= fnorm || t < 0.1) t = 0.1;
        delta = t * Math.min(delta, pnorm / 0.1);
        par = par / t;
      } else if (par === 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        par = 0.5 * par;
      }
      if (ratio >= 1e-4) {
        x.set(wa2);
        for (let j = 0; j < n; j++) wa2[j] = diag[j]! * x[j]!;
        fvec.set(wa4);
        xnorm = enorm(wa2);
        fnorm = fnorm1;
        iter++;
        path.push(Array.from(x));
        options.onProgress?.(iter, fnorm * fnorm);
      }
      let info = 0;
      if (Math.abs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1) info = 1;
      if (delta <= xtol * xnorm) info = info === 1 ? 3 : 2;
      if (fnorm === 0) info = 1;
      if (info !== 0) return done(info, iter, nfev, njev, fnorm);
      if (nfev >= maxfev) return done(5, iter, nfev, njev, fnorm);
      if (Math.abs(actred) <= EPS && prered <= EPS && 0.5 * ratio <= 1) return done(6, iter, nfev, njev, fnorm);
      if (delta <= EPS * xnorm) return done(7, iter, nfev, njev, fnorm);
      if (gnorm <= EPS) return done(8, iter, nfev, njev, fnorm);
      if (options.shouldStop?.()) return done(-1, iter, nfev, njev, fnorm);
      if (ratio >= 1e-4) break;
    }
  }
}

function describe(info: number): { reason: StopReason; message: string } {
  switch (info) {
    case 1: return { reason: 'value', message: 'The sum of squares stopped decreasing (relative reduction below tolerance).' };
    case 2: return { reason: 'step', message: 'The parameters stopped changing (relative step below tolerance).' };
    case 3: return { reason: 'value', message: 'Both the sum of squares and the parameters stopped changing.' };
    case 4: return { reason: 'gradient', message: 'The residuals are orthogonal to the Jacobian columns (gradient zero).' };
    case 5: return { reason: 'maxiter', message: 'Stopped at the limit on function evaluations before converging.' };
    case 6: return { reason: 'value', message: 'No further reduction of the sum of squares is possible in double precision.' };
    case 7: return { reason: 'step', message: 'No further improvement of the parameters is possible in double precision.' };
    case 8: return { reason: 'gradient', message: 'The residuals are orthogonal to the Jacobian columns to machine precision.' };
    case -1: return { reason: 'stopped', message: 'Stopped on request (time limit or cancellation).' };
    case -2: return { reason: 'failed', message: 'The model gave a non-finite value or derivative at the start or along the way.' };
    default: return { reason: 'failed', message: 'There must be at least as many observations as parameters.' };
  }
}

/**
 * MINPACK lmpar: the Levenberg parameter λ ≥ 0 such that the solution p of
 * (JᵀJ + λDᵀD) p = −JᵀF satisfies ‖Dp‖ ≈ Δ (within 10%), or λ = 0 when the
 * Gauss–Newton step is already inside. Writes p (un-negated: x in MINPACK, the
 * solution of J x ≅ qtf) into `out`.
 */
function lmpar(n: number, r: Float64Array[], ipvt: Int32Array, diag: Float64Array, qtb: Float64Array,
  delta: number, par: number, out: Float64Array): number {
  const wa1 = new Float64Array(n), wa2 = new Float64Array(n), sdiag = new Float64Array(n);
  let nsing = n;
  for (let j = 0; j < n; j++) {
    wa1[j] = qtb[j]!;
    if (r[j]![j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa1[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    wa1[j] = wa1[j]! / r[j]![j]!;
    const t = wa1[j]!;
    for (let i = 0; i < j; i++) wa1[i] = wa1[i]! - r[i]![j]! * t;
  }
  for (let j = 0; j < n; j++) out[ipvt[j]!] = wa1[j]!;
  for (let j = 0; j < n; j++) wa2[j] = diag[j]! * out[j]!;
  let dxnorm = enorm(wa2);
  let fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return 0;

  let parl = 0;
  if (nsing >= n) {
    for (let j = 0; j < n; j++) { const l = ipvt[j]!; wa1[j] = diag[l]! * (wa2[l]! / dxnorm); }
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < j; i++) s += r[i]![j]! * wa1[i]!;
      wa1[j] = (wa1[j]! - s) / r[j]![j]!;
    }
    const t = enorm(wa1);
    parl = fp / delta / t / t;
  }
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i <= j; i++) s += r[i]![j]! * qtb[i]!;
    wa1[j] = s / diag[ipvt[j]!]!;
  }
  const gnorm = enorm(wa1);
  let paru = gnorm / delta;
  if (paru === 0) paru = DWARF / Math.min(delta, 0.1);
  par = Math.min(Math.max(par, parl), paru);
  if (par === 0) par = gnorm / dxnorm;

  for (let iter = 1; ; iter++) {
    if (par === 0) par = Math.max(DWARF, 0.001 * paru);
    const sp = Math.sqrt(par);
    for (let j = 0; j < n; j++) wa1[j] = sp * diag[j]!;
    qrsolv(n, r, ipvt, wa1, qtb, out, sdiag);
    for (let j = 0; j < n; j++) wa2[j] = diag[j]! * out[j]!;
    dxnorm = enorm(wa2);
    const prev = fp;
    fp = dxnorm - delta;
    if (Math.abs(fp) <= 0.1 * delta || (parl === 0 && fp <= prev && prev < 0) || iter === 10) break;
    // Newton correction of λ for the secular equation ‖D p(λ)‖ = Δ.
    for (let j = 0; j < n; j++) { const l = ipvt[j]!; wa1[j] = diag[l]! * (wa2[l]! / dxnorm); }
    for (let j = 0; j < n; j++) {
      wa1[j] = wa1[j]! / sdiag[j]!;
      const t = wa1[j]!;
      for (let i = j + 1; i < n; i++) wa1[i] = wa1[i]! - r[i]![j]! * t;
    }
    const t = enorm(wa1);
    const parc = fp / delta / t / t;
    if (fp > 0) parl = Math.max(parl, par);
    if (fp < 0) paru = Math.min(paru, par);
    par = Math.max(parl, par + parc);
  }
  return par;
}

/**
 * MINPACK qrsolv: given the QR of J (R upper in r, pivots ipvt), solve
 * [J; D] x ≅ [F; 0] in the least-squares sense by eliminating the diagonal D
 * with Givens rotations. The strict lower triangle of r receives S (sdiag its diagonal).
 */
function qrsolv(n: number, r: Float64Array[], ipvt: Int32Array, diag: Float64Array, qtb: Float64Array,
  x: Float64Array, sdiag: Float64Array): void {
  const wa = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) r[i]![j] = r[j]![i]!;
    x[j] = r[j]![j]!;
    wa[j] = qtb[j]!;
  }
  for (let j = 0; j < n; j++) {
    const l = ipvt[j]!;
    if (diag[l] !== 0) {
      sdiag.fill(0, j);
      sdiag[j] = diag[l]!;
      let qtbpj = 0;
      for (let k = j; k < n; k++) {
        if (sdiag[k] === 0) continue;
        let sin: number, cos: number;
        const rkk = r[k]![k]!;
        if (Math.abs(rkk) < Math.abs(sdiag[k]!)) {
          const cot = rkk / sdiag[k]!;
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cot * cot);
          cos = sin * cot;
        } else {
          const tan = sdiag[k]! / rkk;
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
        }
        r[k]![k] = cos * rkk + sin * sdiag[k]!;
        const t = cos * wa[k]! + sin * qtbpj;
        qtbpj = -sin * wa[k]! + cos * qtbpj;
        wa[k] = t;
        for (let i = k + 1; i < n; i++) {
          const u = cos * r[i]![k]! + sin * sdiag[i]!;
          sdiag[i] = -sin * r[i]![k]! + cos * sdiag[i]!;
          r[i]![k] = u;
        }
      }
    }
    sdiag[j] = r[j]![j]!;
    r[j]![j] = x[j]!;
  }
  let nsing = n;
  for (let j = 0; j < n; j++) {
    if (sdiag[j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    let s = 0;
    for (let i = j + 1; i < nsing; i++) s += r[i]![j]! * wa[i]!;
    wa[j] = (wa[j]! - s) / sdiag[j]!;
  }
  for (let j = 0; j < n; j++) x[ipvt[j]!] = wa[j]!;
}
