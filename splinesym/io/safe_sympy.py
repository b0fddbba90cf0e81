"""Sympy expressions from untrusted strings, without ever evaluating code.

``sympy.sympify`` and ``sympy.parse_expr`` run ``eval`` on their input (``__import__('os')...``
executes). Here the string is parsed by Python's :mod:`ast` (parsing never runs code), every node
is checked against a whitelist (numbers, names, ``+ - * / ** ^``, comparisons, ``& | ~``,
``and or not`` and the calls ``Piecewise Max Min Abs Heaviside Eq Ne Lt Le Gt Ge And Or Not
Rational``), the degree and the number of terms after expansion are estimated and capped, and
the sympy objects are built directly from the checked tree (iteratively, no recursion).

Examples
--------
>>> parse_sympy_expression("Piecewise((x**2, x < 0), (x, True))")
Piecewise((x**2, x < 0), (x, True))
>>> try:
...     parse_sympy_expression("__import__('os').system('true')")
... except InvalidInputError as e:
...     print(e.problem[:25])
call of 'Attribute' is no
"""

from __future__ import annotations

import ast
import math

from ..errors import InvalidInputError, LimitExceededError
from ..limits import check_cap, check_decimal_literal, get_limit

__all__ = ["parse_sympy_expression", "FUNCTIONS"]

FUNCTIONS = ("Piecewise", "Max", "Min", "Abs", "Heaviside", "Eq", "Ne", "Lt", "Le", "Gt", "Ge",
             "And", "Or", "Not", "Rational")
_ALLOWED = "numbers, names, arithmetic, comparisons and " + "/".join(
    f for f in FUNCTIONS if f not in ("Lt", "Le", "Gt", "Ge")) + " calls"
_BIN = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.BitXor, ast.BitAnd, ast.BitOr)
_CMP = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)


def parse_sympy_expression(text: str, field: str = "expression"):
    """A sympy expression from ``text``, checked by a whitelist; nothing is evaluated.

    Raises
    ------
    InvalidInputError
        Syntax errors, anything outside the whitelist, or sizes above the caps
        (``expression_chars``, ``int_digits``, ``exponent``, ``degree``, ``terms``).
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"expected a string, got {type(text).__name__}", field)
    check_cap("expression_chars", len(text), field)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise InvalidInputError(f"not an expression: {exc.msg}"
                                + (f" at column {exc.offset}" if exc.offset else ""),
                                field) from None
    except (RecursionError, MemoryError, ValueError):
        raise InvalidInputError("the expression is nested too deeply", field) from None
    nodes = _check(tree.body, text.strip(), field)
    _estimate(tree.body, field, text.strip())
    return _build(tree.body, text.strip(), nodes, field)


def _children(n: ast.AST) -> list[ast.AST]:
    if isinstance(n, ast.BinOp):
        return [n.left, n.right]
    if isinstance(n, ast.UnaryOp):
        return [n.operand]
    if isinstance(n, ast.BoolOp):
        return list(n.values)
    if isinstance(n, ast.Compare):
        return [n.left, *n.comparators]
    if isinstance(n, ast.Call):
        return list(n.args)
    if isinstance(n, ast.Tuple):
        return list(n.elts)
    return []


def _check(root: ast.AST, text: str, field: str) -> list[ast.AST]:
    """Whitelist every node (iteratively); the nodes in post-order."""
    order, stack, depth = [], [(root, 0)], 0
    while stack:
        n, d = stack.pop()
        depth = max(depth, d)
        if depth > 10_000:
            raise InvalidInputError("the expression is nested too deeply", field)
        if isinstance(n, ast.Constant):
            v = n.value
            if isinstance(v, bool) or v is None:
                if v is None:
                    raise InvalidInputError("None is not allowed", field)
            elif isinstance(v, int):
                check_cap("int_digits", math.ceil(v.bit_length() * 0.30103), field)
            elif isinstance(v, float):
                lit = ast.get_source_segment(text, n) or repr(v)
                check_decimal_literal(lit, field)
            else:
                raise InvalidInputError(f"{type(v).__name__} constants are not allowed", field)
        elif isinstance(n, ast.Name):
            if n.id.startswith("_"):
                raise InvalidInputError(f"name {n.id!r} is not allowed", field)
        elif isinstance(n, ast.BinOp):
            if not isinstance(n.op, _BIN):
                raise InvalidInputError(f"operator {type(n.op).__name__} is not allowed", field)
        elif isinstance(n, ast.UnaryOp):
            if not isinstance(n.op, (ast.USub, ast.UAdd, ast.Not, ast.Invert)):
                raise InvalidInputError(f"operator {type(n.op).__name__} is not allowed", field)
        elif isinstance(n, ast.Compare):
            if not all(isinstance(o, _CMP) for o in n.ops):
                raise InvalidInputError("only < <= > >= == != comparisons are allowed", field)
        elif isinstance(n, ast.Call):
            if not isinstance(n.func, ast.Name) or n.func.id not in FUNCTIONS:
                what = n.func.id if isinstance(n.func, ast.Name) else type(n.func).__name__
                raise InvalidInputError(f"call of {what!r} is not allowed: not a polynomial or "
                                        f"piecewise function (allowed: {', '.join(FUNCTIONS)})",
                                        field)
            if n.keywords:
                raise InvalidInputError("keyword arguments are not allowed", field)
        elif isinstance(n, ast.Tuple):
            pass
        elif isinstance(n, ast.BoolOp):
            pass
        else:
            raise InvalidInputError(f"{type(n).__name__!r} is not allowed (only {_ALLOWED})",
                                    field)
        order.append(n)
        stack.extend((c, d + 1) for c in _children(n))
    order.reverse()
    return order


def _int_const(n: ast.AST) -> int | None:
    """The value of an integer literal (with unary signs), else None."""
    sign = 1
    while isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(n.op, ast.USub) else sign
        n = n.operand
    if isinstance(n, ast.Constant) and isinstance(n.value, int) and not isinstance(n.value, bool):
        return sign * n.value
    return None


def _digits(n: ast.AST, ch: list[float], text: str) -> float:
    """A bound on the digits of the numbers the node's value contains."""
    if isinstance(n, ast.Constant):
        v = n.value
        if isinstance(v, int):
            return max(1.0, v.bit_length() * 0.30103)
        lit = (ast.get_source_segment(text, n) or repr(v)).lower()
        mant, _, exp = lit.partition("e")
        return len(mant) + (abs(int(exp)) if exp.lstrip("+-").isdigit() else 0)
    if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Pow, ast.BitXor)):
        e = _int_const(n.right)
        return ch[0] * abs(e) if e is not None else ch[0]
    if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Mult, ast.Div)):
        return ch[0] + ch[1]
    return max(ch, default=1.0) + 1


def _estimate(root: ast.AST, field: str, text: str = "") -> None:
    """Degree, term-count and number-size bounds of the expanded expression, capped before
    building."""
    info: dict[int, tuple[int, float, frozenset]] = {}   # id -> (degree, log10 terms, names)
    digits: dict[int, float] = {}
    post, stack = [], [root]
    while stack:
        n = stack.pop()
        post.append(n)
        stack.extend(_children(n))
    for n in reversed(post):
        dg = digits[id(n)] = _digits(n, [digits[id(c)] for c in _children(n)], text)
        if dg > 10 * get_limit("int_digits"):
            raise LimitExceededError("int_digits", f"about {dg:.0f}", get_limit("int_digits"),
                                     field, problem=f"a number in the expression would have "
                                                    f"about {dg:.0f} digits, above 10 x the cap "
                                                    f"int_digits = {get_limit('int_digits')} "
                                                    f"(raise it with --limit int_digits=N)")
        ch = [info[id(c)] for c in _children(n)]
        names = frozenset().union(*(c[2] for c in ch)) if ch else frozenset()
        if isinstance(n, ast.Name):
            info[id(n)] = (1, 0.0, frozenset([n.id]))
            continue
        if isinstance(n, ast.Constant):
            info[id(n)] = (0, 0.0, frozenset())
            continue
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Pow, ast.BitXor)):
            e = _int_const(n.right)
            if e is None or (e < 0 and ch[0][0] > 0):
                raise InvalidInputError("a power needs an integer literal exponent (nonnegative "
                                        "unless the base is a number)", field)
            e = abs(e)
            if e > get_limit("degree") and ch[0][0] > 0:
                raise LimitExceededError("degree", e, get_limit("degree"), field,
                                         problem=f"exponent {e} is above the cap degree = "
                                                 f"{get_limit('degree')} (raise it with "
                                                 f"--limit degree=N)")
            d = ch[0][0] * e
            t = ch[0][1] * e if ch[0][0] else 0.0
        elif isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult):
            d, t = ch[0][0] + ch[1][0], ch[0][1] + ch[1][1]
        elif isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div):
            if ch[1][0] > 0:
                raise InvalidInputError("division by a non-constant is not allowed", field)
            d, t = ch[0][0], ch[0][1]
        elif isinstance(n, ast.BinOp):  # + - and the logical & |
            d = max(c[0] for c in ch)
            t = math.log10(sum(10 ** min(c[1], 300) for c in ch))
        else:
            d = max((c[0] for c in ch), default=0)
            t = math.log10(sum(10 ** min(c[1], 300) for c in ch)) if ch else 0.0
        # never more terms than monomials of that degree in those names
        if d > 0 and names:
            k = len(names)
            t = min(t, math.lgamma(k + d + 1) / math.log(10) - math.lgamma(k + 1) / math.log(10)
                    - math.lgamma(d + 1) / math.log(10))
        check_cap("degree", d, field)
        if t > math.log10(get_limit("terms")):
            raise LimitExceededError("terms", f"about 10^{t:.0f}", get_limit("terms"), field,
                                     problem=f"the expanded expression would have about "
                                             f"10^{t:.0f} terms, above the cap terms = "
                                             f"{get_limit('terms')} (raise it with --limit "
                                             f"terms=N)")
        info[id(n)] = (d, t, names)


def _build(root: ast.AST, text: str, order: list[ast.AST], field: str):
    import sympy

    ops = {ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
           ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne}
    calls = {name: getattr(sympy, name) for name in FUNCTIONS}
    val: dict[int, object] = {}
    try:
        for n in order:
            ch = [val[id(c)] for c in _children(n)]
            if isinstance(n, ast.Constant):
                v = n.value
                if isinstance(v, bool):
                    out = sympy.true if v else sympy.false
                elif isinstance(v, int):
                    out = sympy.Integer(v)
                else:
                    out = sympy.Rational(ast.get_source_segment(text, n) or repr(v))
            elif isinstance(n, ast.Name):
                out = {"True": sympy.true, "False": sympy.false}.get(n.id) or sympy.Symbol(n.id)
            elif isinstance(n, ast.BinOp):
                a, b = ch
                op = n.op
                out = (a + b if isinstance(op, ast.Add) else a - b if isinstance(op, ast.Sub)
                       else a * b if isinstance(op, ast.Mult) else a / b
                       if isinstance(op, ast.Div) else sympy.And(a, b)
                       if isinstance(op, ast.BitAnd) else sympy.Or(a, b)
                       if isinstance(op, ast.BitOr) else sympy.Pow(a, b))
            elif isinstance(n, ast.UnaryOp):
                a = ch[0]
                out = (-a if isinstance(n.op, ast.USub) else a if isinstance(n.op, ast.UAdd)
                       else sympy.Not(a))
            elif isinstance(n, ast.BoolOp):
                out = (sympy.And if isinstance(n.op, ast.And) else sympy.Or)(*ch)
            elif isinstance(n, ast.Compare):
                parts = [ops[type(o)](ch[i], ch[i + 1]) for i, o in enumerate(n.ops)]
                out = parts[0] if len(parts) == 1 else sympy.And(*parts)
            elif isinstance(n, ast.Tuple):
                out = tuple(ch)
            else:  # ast.Call, whitelisted in _check
                out = calls[n.func.id](*ch)
            val[id(n)] = out
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, sympy.SympifyError) as exc:
        raise InvalidInputError(f"not a valid expression: {str(exc)[:200]}", field) from None
    return val[id(root)]
