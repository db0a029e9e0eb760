"""Reference derivatives from SymPy for tests/reference/sympy-diff.test.ts.

Reads one JSON document on stdin, writes one on stdout, so the test starts Python once:

  in:  {"cases": [{"f": str, "vars": [str], "derivs": {"x": str, "x,y": str, ...},
                   "points": [[float]], "countOps": bool}], "simplifySeconds": float}
  out: {"cases": [{"values": {"x": [[ours, sympy] | null per point]}, "error": str | null,
                    "undefined"?: true}],
        "ops": [{"ours": int, "sympy": int, "sympyText": str} | null, one per case with countOps]}

Expressions arrive as our NumPy printer writes them (np.sin, **, np.pi); here `np` is a
namespace that maps those names to SymPy (to build SymPy's expression) or to mpmath (to
evaluate ours). Both derivatives are evaluated with mpmath at 30 significant digits, so
the comparison measures the symbolic results, not double rounding. A value is null
where either side is undefined there (complex, infinite, division by zero).
"""
import json
import signal
import sys

import mpmath
import sympy
from sympy.core.parameters import evaluate

mpmath.mp.dps = 30


class RealSign(sympy.Function):
    """sign(u) for real u: d/du sign(u) = 0 away from u = 0, where every sampled point lies."""

    def fdiff(self, argindex=1):
        return sympy.Integer(0)


class RealAbs(sympy.Function):
    """|u| for real u: d/du |u| = sign(u). SymPy's Abs only knows this when it can prove u
    real, and otherwise leaves an unevaluated Derivative that nothing can evaluate."""

    def fdiff(self, argindex=1):
        return RealSign(self.args[0])


LAMBDIFY_MODULES = [{"RealAbs": mpmath.fabs, "RealSign": mpmath.sign}, "mpmath"]


class SympyNp:
    sin, cos, tan = sympy.sin, sympy.cos, sympy.tan
    arcsin, arccos, arctan = sympy.asin, sympy.acos, sympy.atan
    sinh, cosh, tanh = sympy.sinh, sympy.cosh, sympy.tanh
    exp, log, sqrt, abs, sign = sympy.exp, sympy.log, sympy.sqrt, RealAbs, RealSign
    pi, e = sympy.pi, sympy.E

    @staticmethod
    def log10(u):
        return sympy.log(u, 10)


class MpNp:
    sin, cos, tan = mpmath.sin, mpmath.cos, mpmath.tan
    arcsin, arccos, arctan = mpmath.asin, mpmath.acos, mpmath.atan
    sinh, cosh, tanh = mpmath.sinh, mpmath.cosh, mpmath.tanh
    exp, log, sqrt, abs, sign = mpmath.exp, mpmath.log, mpmath.sqrt, mpmath.fabs, mpmath.sign
    pi, e = mpmath.pi, mpmath.e

    @staticmethod
    def log10(u):
        return mpmath.log(u, 10)


def real(v):
    """The value as a 30-digit string, or None where it is not a finite real number."""
    try:
        if isinstance(v, mpmath.mpc):
            if abs(v.imag) > mpmath.mpf(10) ** -25 * max(1, abs(v.real)):
                return None
            v = v.real
        v = mpmath.mpf(v)
    except (TypeError, ValueError):
        return None
    if not mpmath.isfinite(v):
        return None
    return mpmath.nstr(v, 30)


def evaluate_at(fn, point):
    try:
        return real(fn(*[mpmath.mpf(p) for p in point]))
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None


def no_delta(e):
    # SymPy rewrites (x²)^0.5 as |x| for real x, whose second derivative holds 2·DiracDelta(x):
    # zero at every point we sample
    return e.replace(sympy.DiracDelta, lambda *args: sympy.Integer(0))


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def main():
    req = json.load(sys.stdin)
    out_cases, ops = [], []
    signal.signal(signal.SIGALRM, on_alarm)
    for i, case in enumerate(req["cases"]):
        names = case["vars"]
        syms = sympy.symbols(names, real=True)
        env = dict(zip(names, syms))
        try:
            f = sympy.sympify(eval(case["f"], {"np": SympyNp, **env}))
            if f.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
                # undefined everywhere, like 1/tan(pi): nothing to compare
                out_cases.append({"values": {}, "error": None, "undefined": True})
                if case.get("countOps"):
                    ops.append(None)
                continue
            values = {}
            for key, ours_text in case["derivs"].items():
                order = [env[v] for v in key.split(",")]
                theirs = no_delta(sympy.diff(f, *order))
                theirs_fn = sympy.lambdify(syms, theirs, modules=LAMBDIFY_MODULES)
                ours_fn = eval("lambda " + ", ".join(names) + ": " + ours_text, {"np": MpNp})
                row = []
                for p in case["points"]:
                    a, b = evaluate_at(ours_fn, p), evaluate_at(theirs_fn, p)
                    row.append(None if a is None or b is None else [a, b])
                values[key] = row
            out_cases.append({"values": values, "error": None})
        except Exception as err:  # report per case; the test fails on it
            out_cases.append({"values": {}, "error": f"{type(err).__name__}: {err}"})
        if case.get("countOps"):
            ops.append(count_ops(case, env, syms, req.get("simplifySeconds", 5)))
    json.dump({"cases": out_cases, "ops": ops}, sys.stdout)


def count_ops(case, env, syms, seconds):
    """Operation counts (sympy.count_ops) of our first derivative and of SymPy's simplify(diff(f, x))."""
    first = case["vars"][0]
    try:
        f = sympy.sympify(eval(case["f"], {"np": SympyNp, **env}))
        with evaluate(False):
            ours = sympy.sympify(eval(case["derivs"][first], {"np": SympyNp, **env}))
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            theirs = sympy.simplify(no_delta(sympy.diff(f, env[first])))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return {"ours": int(sympy.count_ops(ours)), "sympy": int(sympy.count_ops(theirs)), "sympyText": str(theirs)}
    except Exception:
        return None


if __name__ == "__main__":
    main()
