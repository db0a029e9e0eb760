"""Reference Taylor polynomials from SymPy for tests/reference/sympy-taylor.test.ts.

Reads one JSON document on stdin, writes one on stdout, so the test starts Python once:

  in:  {"cases": [{"f": str, "vars": [str], "point": [float], "exact": bool, "order": int,
                   "ours": str}]}
  out: {"cases": [{"status": "ok" | "singular" | "error", "error"?: str, "rationalAtPoint"?: bool,
                   "monomials": [{"monomial": str, "exp": [int], "ours": str, "sympy": str,
                                  "oursValue": str, "sympyValue": str,
                                  "oursExact": bool, "sympyExact": bool, "scale": str}]}]}

`f` and `ours` are in .calc syntax (`^`, sin, asin, sigmoid, ...). SymPy reads `f` with every
decimal as the exact rational it denotes (1.5 is 3/2). The reference polynomial is the
definition, over multi-indices alpha with |alpha| <= order:

  T(x) = sum_alpha d^alpha f(a) / alpha! * prod_i (x_i - a_i)^alpha_i

multiplied out with the binomial theorem, (x - a)^k = sum_j C(k, j) x^j (-a)^(k-j).
With `exact`, the point's coordinates are exact rationals (integers, halves) and each
d^alpha f(a) is kept as an exact Rational when SymPy's automatic evaluation makes it one
(exp(0) = 1, sin(0) = 0, log(1) = 0, sqrt(4) = 2); otherwise it is evaluated to 30
digits. A monomial's coefficient is exact when every contribution to it is.

Per monomial the reply gives both coefficients as printed (exact ones as p/q, others to 30
digits) and as 30-digit decimals,
whether each is an exact rational, and `scale` = sum of |contributions|, the size of the
terms that cancel into the coefficient, against which rounding error is measured.
`rationalAtPoint` says every elementary function in f takes a rational value at an exact point,
so that every coefficient is rational by arithmetic alone, with no identity between irrationals.
A case is "singular" when some d^alpha f(a) is not a finite real number (outside the domain).
"""
import itertools
import json
import math
import sys

import mpmath
import sympy

mpmath.mp.dps = 30
DIGITS = 30


def sigmoid(u):
    return 1 / (1 + sympy.exp(-u))


def parse(text, names, rational, evaluate=True):
    """A .calc expression as SymPy; with `rational`, 0.5 reads as 1/2; without `evaluate`, as
    written (exp(-log(x)) stays, not 1/x)."""
    env = {n: sympy.Symbol(n, real=True) for n in names}
    env.update(sigmoid=sigmoid, e=sympy.E, pi=sympy.pi, ln=sympy.log)
    with sympy.evaluate(evaluate):
        return sympy.sympify(text.replace("^", "**"), locals=env, rational=rational, evaluate=evaluate)


class Singular(Exception):
    pass


def value_at(d, at, exact):
    """d^alpha f(a) as an exact Rational when SymPy finds one, else as a 30-digit mpf."""
    v = d.subs(at)
    if exact and v.is_Rational:
        return v
    n = sympy.N(v, DIGITS)
    # complex (log of a negative), infinite, or a distribution (|x|'' = 2 DiracDelta(x) at 0)
    if not (n.is_Number and n.is_real and n.is_finite):
        raise Singular()
    return mpmath.mpf(str(n))


def rational_at(f, at):
    """Whether every elementary function in f, as written, takes a rational value at the point (exp(0) = 1,
    log(1) = 0, sqrt(4) = 2, asin(0) = 0): then every derivative of f is rational there
    without any cancellation of irrationals (sin(1)/sin(1), cos(asin(1)) = cos(pi/2) = 0)."""
    return all(
        node.subs(at).is_Rational
        for node in sympy.preorder_traversal(f)
        if isinstance(node, sympy.Function) or (node.is_Pow and not node.exp.is_Integer)
    )


def multi_indices(n, k):
    """Every alpha in N^n with |alpha| <= k, in order of degree."""
    out = []

    def rec(prefix, left):
        if len(prefix) == n - 1:
            out.append(tuple(prefix + [left]))
            return
        for a in range(left, -1, -1):
            rec(prefix + [a], left - a)

    for deg in range(k + 1):
        rec([], deg)
    return out


def reference(f, syms, point, exact, order):
    """{exponent tuple: [coefficient, exact?, scale]} of the Taylor polynomial, multiplied out."""
    n = len(syms)
    a = [sympy.Rational(p) if exact else mpmath.mpf(p) for p in point]
    at = dict(zip(syms, a if exact else [sympy.Float(p, DIGITS) for p in point]))
    derivs = {tuple([0] * n): f}
    poly = {}
    for alpha in multi_indices(n, order):
        if alpha not in derivs:
            # d^alpha f = d/dx_j d^(alpha - e_j) f
            j = next(i for i, k in enumerate(alpha) if k > 0)
            prev = list(alpha)
            prev[j] -= 1
            derivs[alpha] = sympy.diff(derivs[tuple(prev)], syms[j])
        c = value_at(derivs[alpha], at, exact)
        c_exact = isinstance(c, sympy.Rational)
        c = c / math.prod(math.factorial(k) for k in alpha)
        # (x_i - a_i)^k = sum_j C(k, j) x_i^j (-a_i)^(k - j)
        expansions = [[(j, math.comb(k, j) * (-ai) ** (k - j)) for j in range(k + 1)] for k, ai in zip(alpha, a)]
        for combo in itertools.product(*expansions):
            w = math.prod((b for _, b in combo), start=1)
            term = c * w if c_exact else c * to_mpf(w)
            slot = poly.setdefault(tuple(j for j, _ in combo), [sympy.Integer(0), True, mpmath.mpf(0)])
            if slot[1] and c_exact:
                slot[0] += term
            else:
                slot[0] = to_mpf(slot[0]) + to_mpf(term)
                slot[1] = False
            slot[2] += abs(to_mpf(term))
    return poly


def to_mpf(v):
    if isinstance(v, sympy.Rational):
        return mpmath.mpf(v.p) / v.q
    return mpmath.mpf(v)


def ours_coefficients(text, syms):
    """Our printed polynomial as {exponent tuple: coefficient}; raises ValueError unless it is
    multiplied out into monomials c * x^i * y^j with numeric coefficients."""
    e = parse(text, [str(s) for s in syms], rational=False)
    if e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise ValueError(f"non-finite coefficient in {text}")
    out = {}
    for term in sympy.Add.make_args(e):
        coeff, mono = term.as_coeff_Mul()
        exps = [0] * len(syms)
        for base, k in mono.as_powers_dict().items():
            if base == 1:
                continue
            if base not in syms or not (k.is_Integer and k >= 0):
                raise ValueError(f"not a polynomial multiplied out: the term {term} of {text}")
            exps[syms.index(base)] += int(k)
        if not coeff.is_Number:
            raise ValueError(f"non-numeric coefficient in {term}")
        key = tuple(exps)
        out[key] = out.get(key, sympy.Integer(0)) + coeff
    return out


def show(v):
    if isinstance(v, sympy.Rational):
        return str(v)
    return mpmath.nstr(to_mpf(v), DIGITS)


def monomial_text(exps, names):
    parts = [n if k == 1 else f"{n}^{k}" for n, k in zip(names, exps) if k > 0]
    return "*".join(parts) or "1"


def run_case(case):
    names = case["vars"]
    syms = [sympy.Symbol(n, real=True) for n in names]
    f = parse(case["f"], names, rational=True)
    try:
        theirs = reference(f, syms, case["point"], case["exact"], case["order"])
    except Singular:
        return {"status": "singular", "monomials": []}
    ours = ours_coefficients(case["ours"], syms)
    monomials = []
    for exps in sorted(set(theirs) | set(ours), key=lambda e: (-sum(e), e)):
        value, exact, scale = theirs.get(exps, [sympy.Integer(0), True, mpmath.mpf(0)])
        mine = ours.get(exps, sympy.Integer(0))
        monomials.append({
            "monomial": monomial_text(exps, names), "exp": list(exps),
            "ours": show(mine), "sympy": show(value),
            "oursValue": mpmath.nstr(to_mpf(mine), DIGITS), "sympyValue": mpmath.nstr(to_mpf(value), DIGITS),
            "oursExact": isinstance(mine, sympy.Rational), "sympyExact": bool(exact),
            "scale": mpmath.nstr(scale, 20),
        })
    point = {s: sympy.Rational(p) for s, p in zip(syms, case["point"])}
    as_written = parse(case["f"], names, rational=True, evaluate=False)
    return {"status": "ok", "monomials": monomials, "rationalAtPoint": bool(case["exact"] and rational_at(as_written, point))}


def main():
    req = json.load(sys.stdin)
    out = []
    for case in req["cases"]:
        try:
            out.append(run_case(case))
        except Exception as err:  # report per case; the test fails on it
            out.append({"status": "error", "error": f"{type(err).__name__}: {err}", "monomials": []})
    json.dump({"cases": out}, sys.stdout)


if __name__ == "__main__":
    main()
