/**
 * Small dense linear algebra for the solvers: Householder QR with column
 * pivoting (MINPACK's qrfac), compensated (double-double) dot products,
 * Cholesky with a diagonal shift, a symmetric eigensolver (cyclic Jacobi) and
 * LU with partial pivoting. Sizes here are the number of parameters or
 * variables (tens), so clarity beats blocking.
 *
 * Matrices are arrays of rows (`Float64Array[]`) unless a name says `cols`.
 */

export const EPS = 2.220446049250313e-16;
const DWARF = 2.2250738585072014e-308;

/** Euclidean norm without overflow or destructive underflow (scaled sum of squares, as in LAPACK dnrm2). */
export function enorm(v: ArrayLike<number>, from = 0, to = v.length): number {
  let scale = 0, ssq = 1;
  for (let i = from; i < to; i++) {
    const a = Math.abs(v[i]!);
    if (a === 0) continue;
    if (scale < a) { ssq = 1 + ssq * (scale / a) * (scale / a); scale = a; }
    else ssq += (a / scale) * (a / scale);
  }
  return scale * Math.sqrt(ssq);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

// Error-free transformations (Knuth's TwoSum, Dekker's TwoProduct): a + b = s + e and
// a·b = p + e exactly in floating point. They carry the rounding error of each operation,
// which gives dot products about twice the working precision (Ogita, Rump, Oishi 2005, "Dot2").
const SPLITTER = 134217729; // 2^27 + 1
function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, al * bl - (((p - ah * bh) - al * bh) - ah * bl)];
}

/**
 * A sum accumulated as (hi, lo) in roughly twice the working precision: the residuals of
 * iterative refinement must be computed more accurately than the solve.
 * Example: `const s = new DDAccumulator(); s.add(c); s.addProduct(a, b); s.value()` is c + a·b, rounded once.
 */
export class DDAccumulator {
  hi = 0;
  lo = 0;
  add(x: number): void {
    const s = this.hi + x;
    const bb = s - this.hi;
    this.lo += (this.hi - (s - bb)) + (x - bb);
    this.hi = s;
  }
  addProduct(a: number, b: number): void {
    const [p, e] = twoProd(a, b);
    this.add(p);
    this.lo += e;
  }
  value(): number {
    return this.hi + this.lo;
  }
}

/**
 * Householder QR with column pivoting of an m×n matrix given by columns, in place
 * (MINPACK qrfac). Afterwards the strict upper triangle of the columns holds R
 * above the diagonal, `rdiag` its diagonal, and the lower part the Householder
 * vectors v with Qⱼ = I − v vᵀ / v_j. `perm[j]` is the original index of column j.
 *
 * Example: `const qr = qrFactor(cols, m, n, true); const x = qrLeastSquares(qr, b);`
 */
export interface QR {
  readonly m: number;
  readonly n: number;
  readonly cols: Float64Array[];
  readonly rdiag: Float64Array;
  readonly perm: Int32Array;
  /** Norms of the original columns. */
  readonly acnorm: Float64Array;
}

export function qrFactor(cols: Float64Array[], m: number, n: number, pivot: boolean): QR {
  const rdiag = new Float64Array(n), acnorm = new Float64Array(n), wa = new Float64Array(n);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    acnorm[j] = enorm(cols[j]!, 0, m);
    rdiag[j] = acnorm[j]!;
    wa[j] = rdiag[j]!;
    perm[j] = j;
  }
  const minmn = Math.min(m, n);
  for (let j = 0; j < minmn; j++) {
    if (pivot) {
      let kmax = j;
      for (let k = j; k < n; k++) if (rdiag[k]! > rdiag[kmax]!) kmax = k;
      if (kmax !== j) {
        const t = cols[j]!; cols[j] = cols[kmax]!; cols[kmax] = t;
        rdiag[kmax] = rdiag[j]!; wa[kmax] = wa[j]!;
        const p = perm[j]!; perm[j] = perm[kmax]!; perm[kmax] = p;
      }
    }
    const cj = cols[j]!;
    let ajnorm = enorm(cj, j, m);
    if (ajnorm !== 0) {
      if (cj[j]! < 0) ajnorm = -ajnorm;
      for (let i = j; i < m; i++) cj[i] = cj[i]! / ajnorm;
      cj[j] = cj[j]! + 1;
      for (let k = j + 1; k < n; k++) {
        const ck = cols[k]!;
        let s = 0;
        for (let i = j; i < m; i++) s += cj[i]! * ck[i]!;
        const t = s / cj[j]!;
        for (let i = j; i < m; i++) ck[i] = ck[i]! - t * cj[i]!;
        if (pivot && rdiag[k] !== 0) {
          // Downdate the remaining column norm; recompute when cancellation has eaten it.
          const r = ck[j]! / rdiag[k]!;
          rdiag[k] = rdiag[k]! * Math.sqrt(Math.max(0, 1 - r * r));
          const q = rdiag[k]! / wa[k]!;
          if (0.05 * q * q <= EPS) {
            rdiag[k] = enorm(ck, j + 1, m);
            wa[k] = rdiag[k]!;
          }
        }
      }
    }
    rdiag[j] = -ajnorm;
  }
  return { m, n, cols, rdiag, perm, acnorm };
}

/** b ← Qᵀ b (in place), for the QR from `qrFactor`. */
export function applyQt(qr: QR, b: Float64Array): void {
  const { m, n, cols } = qr;
  for (let j = 0; j < Math.min(m, n); j++) {
    const cj = cols[j]!;
    if (cj[j] === 0) continue;
    let s = 0;
    for (let i = j; i < m; i++) s += cj[i]! * b[i]!;
    const t = -s / cj[j]!;
    for (let i = j; i < m; i++) b[i] = b[i]! + t * cj[i]!;
  }
}

/** b ← Q b (in place): the Householder reflections in reverse order. */
export function applyQ(qr: QR, b: Float64Array): void {
  const { m, n, cols } = qr;
  for (let j = Math.min(m, n) - 1; j >= 0; j--) {
    const cj = cols[j]!;
    if (cj[j] === 0) continue;
    let s = 0;
    for (let i = j; i < m; i++) s += cj[i]! * b[i]!;
    const t = -s / cj[j]!;
    for (let i = j; i < m; i++) b[i] = b[i]! + t * cj[i]!;
  }
}

/** R[i][j] of the factorisation (i ≤ j), in pivoted order. */
export function rEntry(qr: QR, i: number, j: number): number {
  return i === j ? qr.rdiag[i]! : qr.cols[j]![i]!;
}

/**
 * Numerical rank: the number of leading diagonal entries of R with
 * |r_kk| > tol·|r_00| (column pivoting makes them non-increasing).
 */
export function qrRank(qr: QR, tol = 0): number {
  const k = Math.min(qr.m, qr.n);
  const r0 = Math.abs(qr.rdiag[0] ?? 0);
  let rank = 0;
  while (rank < k && Math.abs(qr.rdiag[rank]!) > tol * r0 && qr.rdiag[rank] !== 0) rank++;
  return rank;
}

/** Solve R z = c for the leading rank×rank block (pivoted order), z beyond rank set to 0. */
export function solveR(qr: QR, c: ArrayLike<number>, rank: number): Float64Array {
  const z = new Float64Array(qr.n);
  for (let i = rank - 1; i >= 0; i--) {
    let s = c[i]!;
    for (let j = i + 1; j < rank; j++) s -= rEntry(qr, i, j) * z[j]!;
    z[i] = s / qr.rdiag[i]!;
  }
  return z;
}

/** Solve Rᵀ z = c (forward substitution), leading rank×rank block. */
export function solveRt(qr: QR, c: ArrayLike<number>, rank: number): Float64Array {
  const z = new Float64Array(qr.n);
  for (let i = 0; i < rank; i++) {
    let s = c[i]!;
    for (let j = 0; j < i; j++) s -= rEntry(qr, j, i) * z[j]!;
    z[i] = s / qr.rdiag[i]!;
  }
  return z;
}

/**
 * (RᵀR)⁻¹ mapped back to the original column order, i.e. (AᵀA)⁻¹ for the
 * factorised A. Rows and columns beyond the rank are NaN (not estimable).
 */
export function qrCovariance(qr: QR, rank: number): number[][] {
  const n = qr.n;
  // Rinv columns: R⁻¹ e_k for k < rank.
  const rinv: Float64Array[] = [];
  for (let k = 0; k < rank; k++) {
    const e = new Float64Array(rank); e[k] = 1;
    rinv.push(solveR(qr, e, rank));
  }
  const cov: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  for (let i = 0; i < rank; i++) {
    for (let j = i; j < rank; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < rank; k++) s += rinv[k]![i]! * rinv[k]![j]!;
      const pi = qr.perm[i]!, pj = qr.perm[j]!;
      cov[pi]![pj] = s;
      cov[pj]![pi] = s;
    }
  }
  return cov;
}

/**
 * Cholesky factor L (lower, rows) of a symmetric matrix, or null when it is not
 * (numerically) positive definite.
 */
export function cholesky(A: ArrayLike<number>[], n: number, shift = 0): Float64Array[] | null {
  const L = Array.from({ length: n }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    let d = A[j]![j]! + shift;
    for (let k = 0; k < j; k++) d -= L[j]![k]! * L[j]![k]!;
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    L[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = s / ljj;
    }
  }
  return L;
}

/** Solve L Lᵀ x = b. */
export function choleskySolve(L: Float64Array[], b: ArrayLike<number>): Float64Array {
  const n = L.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  return y;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations:
 * A = V diag(values) Vᵀ, values ascending, `vectors[k]` the k-th eigenvector.
 * Accurate to working precision in every eigenvalue relative to ‖A‖; bounded at 50 sweeps.
 */
export function symEig(A: ArrayLike<number>[], n: number): { values: Float64Array; vectors: Float64Array[] } {
  const a = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => 0.5 * (A[i]![j]! + A[j]![i]!)));
  const v = Array.from({ length: n }, (_, i) => { const r = new Float64Array(n); r[i] = 1; return r; });
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0, total = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { const t = a[i]![j]! * a[i]![j]!; total += t; if (i !== j) off += t; }
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q]: tan(2θ) = 2a_pq / (a_qq − a_pp).
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!, akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!, aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!, vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]![i]! - a[j]![j]!);
  const values = Float64Array.from(order, (i) => a[i]![i]!);
  const vectors = order.map((k) => Float64Array.from({ length: n }, (_, i) => v[i]![k]!));
  return { values, vectors };
}

/**
 * Solve A x = b by LU with partial pivoting; null when A is singular to working precision.
 * Example: `luSolve([[2, 0], [0, 4]], [2, 2])` is `[1, 0.5]`.
 */
export function luSolve(A: ArrayLike<number>[], b: ArrayLike<number>): Float64Array | null {
  const n = b.length;
  const a = Array.from({ length: n }, (_, i) => Float64Array.from(A[i]!));
  const x = Float64Array.from(b);
  let scale = 0;
  for (const r of a) for (const v of r) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i]![k]!) > Math.abs(a[p]![k]!)) p = i;
    if (Math.abs(a[p]![k]!) <= n * EPS * scale) return null;
    if (p !== k) { const t = a[p]!; a[p] = a[k]!; a[k] = t; const u = x[p]!; x[p] = x[k]!; x[k] = u; }
    const akk = a[k]![k]!;
    for (let i = k + 1; i < n; i++) {
      const f = a[i]![k]! / akk;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i]![j] = a[i]![j]! - f * a[k]![j]!;
      x[i] = x[i]! - f * x[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= a[i]![j]! * x[j]!;
    x[i] = s / a[i]![i]!;
  }
  for (const v of x) if (!Number.isFinite(v)) return null;
  return x;
}

export { DWARF };
