"""scipy reference runs for bench/numeric.bench.ts (NIST StRD nonlinear and MGH).

An independent implementation on purpose: the NIST model text and the MGH residual
blocks are turned into SymPy expressions here (not by our TypeScript evaluator), and
exact derivatives come from SymPy. Prints one JSON document on stdout.

    python3 nist_mgh_scipy.py nist SHARED_DIR     # least_squares(method='lm'), two configurations
    python3 nist_mgh_scipy.py mgh SHARED_DIR      # minimize BFGS and trust-exact with exact derivatives
"""
import json
import os
import re
import sys
import time
import warnings

import numpy as np
import sympy as sp
from scipy.optimize import least_squares, minimize

warnings.filterwarnings("ignore")

FUNCS = {"exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sqrt": sp.sqrt,
         "atan": sp.atan, "arctan": sp.atan, "abs": sp.Abs, "pi": sp.pi}


# ---------------------------------------------------------------------------- NIST

def nist_file(path):
    lines = open(path, encoding="latin-1").read().splitlines()
    text = "\n".join(lines)
    start = next(i for i, l in enumerate(lines) if re.match(r"^\s*(log\[y\]|y)\s*=", l))
    consts = {}
    for l in lines[:start]:
        m = re.match(r"^\s*(\w+)\s*=\s*([-+\d.Ee]+)\s*$", l)
        if m:
            consts[m.group(1)] = float(m.group(2))
    model = ""
    for l in lines[start:]:
        model += " " + l.strip()
        if re.search(r"\+\s*e\s*$", l):
            break
    model = re.sub(r"\+\s*e\s*$", "", model.strip()).strip()
    lhs, rhs = model.split("=", 1)
    params = []
    for l in lines:
        m = re.match(r"^\s*(b\d+)\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", l)
        if m:
            params.append((m.group(1), float(m.group(2)), float(m.group(3))))
    header = re.search(r"Data:\s+(.*)", "\n".join(lines[55:])).group(1).split()
    first = int(re.search(r"Data\s+\(lines\s+(\d+)", text).group(1)) - 1
    rows = [list(map(float, l.split())) for l in lines[first:] if l.strip()]
    return lhs.strip(), rhs.strip(), consts, params, header[1:], np.array(rows)


def nist_run(shared):
    d = os.path.join(shared, "data/nist-strd/nonlinear")
    out = {}
    for f in sorted(os.listdir(d)):
        name = f[:-4]
        lhs, rhs, consts, params, xnames, data = nist_file(os.path.join(d, f))
        syms = {p[0]: sp.Symbol(p[0]) for p in params}
        xs = {x: sp.Symbol(x) for x in xnames}
        expr_text = rhs.replace("[", "(").replace("]", ")")
        ns = dict(FUNCS, **syms, **xs, **{k: sp.Float(v, 30) for k, v in consts.items()})
        expr = sp.sympify(expr_text, locals=ns)
        bs = [syms[p[0]] for p in params]
        xv = [xs[x] for x in xnames]
        fmod = sp.lambdify(bs + xv, expr, "numpy")
        fjac = [sp.lambdify(bs + xv, sp.diff(expr, b), "numpy") for b in bs]
        y = data[:, 0] if "log" not in lhs else np.log(data[:, 0])
        X = [data[:, 1 + k] for k in range(len(xnames))]
        res = lambda b: fmod(*b, *X) - y
        jac = lambda b: np.column_stack([np.broadcast_to(g(*b, *X), y.shape) for g in fjac])
        runs = {}
        for k in (1, 2):
            b0 = np.array([p[k] for p in params])
            for cfg in ("default", "tight-exact"):
                t = time.perf_counter()
                try:
                    if cfg == "default":
                        r = least_squares(res, b0, method="lm")
                    else:
                        r = least_squares(res, b0, jac=jac, method="lm", ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=20000)
                    runs[f"{k}/{cfg}"] = {"x": r.x.tolist(), "nfev": int(r.nfev), "status": int(r.status),
                                           "ms": 1000 * (time.perf_counter() - t)}
                except Exception as e:  # noqa: BLE001 - report and go on
                    runs[f"{k}/{cfg}"] = {"x": None, "error": str(e)}
        out[name] = runs
    return out


# ---------------------------------------------------------------------------- MGH

def split_top(s, sep=","):
    depth, parts, cur = 0, [], ""
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def to_python(e):
    """MGH infix -> Python source over helper names (_sum, _prod, _cmp, _and, X[], data arrays)."""
    e = e.replace("^", "**")
    out, i = "", 0
    while i < len(e):
        m = re.match(r"(sum|prod)\(", e[i:])
        if m and (i == 0 or not (e[i - 1].isalnum() or e[i - 1] == "_")):
            j, depth = i + len(m.group(0)), 1
            k = j
            while depth:
                depth += {"(": 1, ")": -1}.get(e[k], 0)
                k += 1
            inner = e[j:k - 1]
            parts = split_top(inner)
            head, body = parts[0], ",".join(parts[1:])
            var, rng = head.split("=")
            lo, hi = rng.split("..")
            out += f"_{m.group(1)}(lambda {var.strip()}: ({to_python(body)}), ({to_python(lo)}), ({to_python(hi)}))"
            i = k
        else:
            out += e[i]
            i += 1
    return out


def cond_to_python(c):
    parts = c.split(" and ")
    conv = []
    for p in parts:
        m = re.match(r"(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)", p)
        conv.append(f"_cmp(({to_python(m.group(1))}), '{m.group(2)}', ({to_python(m.group(3))}))")
    return "_and(" + ", ".join(conv) + ")"


def _sum(f, lo, hi):
    return sum((f(j) for j in range(int(lo), int(hi) + 1)), sp.Integer(0))


def _prod(f, lo, hi):
    r = sp.Integer(1)
    for j in range(int(lo), int(hi) + 1):
        r = r * f(j)
    return r


def _cmp(a, op, b):
    if all(isinstance(v, (int, float)) or (isinstance(v, sp.Basic) and v.is_number) for v in (a, b)):
        a, b = float(a), float(b)
        return {"==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    return {"==": sp.Eq, "!=": sp.Ne, "<": sp.StrictLessThan, ">": sp.StrictGreaterThan,
            "<=": sp.LessThan, ">=": sp.GreaterThan}[op](a, b)


def _and(*cs):
    if all(isinstance(c, bool) for c in cs):
        return all(cs)
    return sp.And(*cs)


class OneBased:
    def __init__(self, items):
        self.items = items

    def __getitem__(self, k):
        return self.items[int(k) - 1]


def mgh_objective(p):
    n = p["n"]
    X = [sp.Symbol(f"x{k + 1}", real=True) for k in range(n)]
    env = dict(FUNCS, _sum=_sum, _prod=_prod, _cmp=_cmp, _and=_and, x=OneBased(X), n=n, m=p["m"],
               T=lambda k, z: sp.chebyshevt(int(k), z), min=min, max=max, mod=lambda a, b: a % b)
    env.update(p.get("constants", {}))
    for k, v in p.get("data", {}).items():
        env[k] = OneBased(v)
    for key, val in p.get("definitions", {}).items():
        m = re.match(r"^(\w+)(?:\((\w+)\))?$", key)
        name, arg = m.group(1), m.group(2)
        if isinstance(val, str):
            src = to_python(val)
            env[name] = eval(f"lambda {arg}: {src}", env) if arg else eval(src, env)
        else:
            cases = [(cond_to_python(c["if"]), to_python(c["then"])) for c in val["cases"]]

            def piecewise(*a, cases=cases, arg=arg):
                local = dict(env)
                if arg:
                    local[arg] = a[0]
                pieces = []
                for cond, then in cases:
                    c = eval(cond, local)
                    if c is True:
                        return eval(then, local) if not pieces else sp.Piecewise(*pieces, (eval(then, local), True))
                    if c is False:
                        continue
                    pieces.append((eval(then, local), c))
                return sp.Piecewise(*pieces)
            env[name] = piecewise if arg else piecewise()
    residuals = []
    for block in p["residuals"]:
        exprs = block["expr"] if isinstance(block["expr"], list) else [block["expr"]]
        if "for" in block:
            var, rng = block["for"].split("=")
            lo, hi = rng.split("..")
            for i in range(int(eval(to_python(lo), env)), int(eval(to_python(hi), env)) + 1):
                for e in exprs:
                    residuals.append(eval(to_python(e), dict(env, **{var.strip(): i})))
        else:
            for e in exprs:
                residuals.append(eval(to_python(e), env))
    return X, [sp.sympify(r) for r in residuals]


def mgh_run(shared):
    problems = json.load(open(os.path.join(shared, "data/mgh/problems.json")))["problems"]
    out = {}
    for p in problems:
        t0 = time.perf_counter()
        X, res = mgh_objective(p)
        # f = Σ rₖ², ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ rₖ∇²rₖ): differentiating each residual keeps SymPy fast.
        J = [[sp.diff(r, x) for x in X] for r in res]
        H2 = [[[sp.diff(J[k][i], X[j]) for j in range(len(X))] for i in range(len(X))] for k in range(len(res))]
        rf = sp.lambdify([X], res, "numpy")
        jf = sp.lambdify([X], J, "numpy")
        hf2 = sp.lambdify([X], H2, "numpy")

        def fun(x):
            r = np.array(rf(x), dtype=float)
            return float(r @ r)

        def jac(x):
            return 2 * np.array(jf(x), dtype=float).T @ np.array(rf(x), dtype=float)

        def hes(x):
            r = np.array(rf(x), dtype=float)
            Jm = np.array(jf(x), dtype=float)
            T = np.array(hf2(x), dtype=float)
            return 2 * (Jm.T @ Jm + np.tensordot(r, T, axes=1))
        x0 = np.array(p["x0"], dtype=float)
        entry = {"f_x0": fun(x0)}
        for method in ("BFGS", "trust-exact"):
            t = time.perf_counter()
            try:
                kw = {"jac": jac}
                if method == "trust-exact":
                    kw["hess"] = hes
                r = minimize(fun, x0, method=method, **kw)
                entry[method] = {"f": float(r.fun), "x": r.x.tolist(), "nfev": int(r.nfev), "njev": int(getattr(r, "njev", 0) or 0),
                                 "nhev": int(getattr(r, "nhev", 0) or 0), "nit": int(r.nit), "success": bool(r.success),
                                 "ms": 1000 * (time.perf_counter() - t)}
            except Exception as e:  # noqa: BLE001
                entry[method] = {"f": None, "error": str(e)}
        out[p["uid"]] = entry
        print(f"{p['uid']}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    what, shared = sys.argv[1], sys.argv[2]
    print(json.dumps(nist_run(shared) if what == "nist" else mgh_run(shared)))
