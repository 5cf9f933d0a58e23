"""Safe expression parser (layer 1): whitelisted text -> sympy.

Text is parsed with :func:`ast.parse` (which never executes anything) and the tree is walked with a
whitelist of node types, function names and symbol names. Nothing from a spec file ever reaches
``eval``, ``exec`` or ``sympify``.
"""

from __future__ import annotations

import ast
import re
import signal
import unicodedata
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Callable

import sympy as sp

from ._timebox import TimeLimit, time_limit
from .errors import ParseError

__all__ = ["parse_expr", "parse_relation", "parse_number", "definedness_terms", "FUNCTIONS", "CONSTANTS",
           "KEYWORD_NAMES"]

MAX_LENGTH = 5000
MAX_DEPTH = 200
MAX_INT_DIGITS = 40
MAX_NUMERIC_EXPONENT = 4096
#: Largest exact number an expression may produce (decimal digits of numerator or denominator): beyond it
#: sympy's exact arithmetic takes seconds to hours (``((2**4096)**4096)**4096``).
MAX_NUMBER_DIGITS = 5000
#: Largest decimal exponent of a literal such as ``1e300`` (``1e999999999`` is an exact 10^9-digit number).
MAX_LITERAL_EXPONENT = 1000
#: Largest numeric argument of ``gamma`` (sympy evaluates gamma of an integer exactly: gamma(10**9) hangs).
MAX_GAMMA_ARGUMENT = 1000
#: Seconds one expression may take to build (sympy evaluates as it constructs; on some inputs, such as
#: definitions squaring each other, that evaluation runs for hours).
MAX_PARSE_SECONDS = 5.0
#: Largest expression, counted as a tree (a shared subexpression counts each time it is used): definitions
#: that square each other (``a1 = "a0*a0 + x"``, ... 40 levels) grow as 2^40 when expanded.
MAX_NODES = 20000


_MAX_BITS = int(MAX_NUMBER_DIGITS * 3.33) + 4


@contextmanager
def _time_box(text: str, ctx: dict):
    """At most MAX_PARSE_SECONDS for one expression; a ParseError naming it after that. An outer time limit
    (a claim's worker) stays in charge: its TimeLimit passes through."""
    outer = hasattr(signal, "getitimer") and signal.getitimer(signal.ITIMER_REAL)[0] > 0
    try:
        with time_limit(MAX_PARSE_SECONDS):
            yield
    except TimeLimit:
        if outer:
            raise
        raise ParseError(f"expression took more than {MAX_PARSE_SECONDS:g} s to build (sympy evaluates as it "
                         "builds; simplify it by hand or split it)", expr=_short(text), **ctx) from None


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def tree_size(expr: sp.Basic, limit: int | None = None) -> int:
    """The number of nodes of ``expr`` as a tree (a shared subexpression counts each time it occurs),
    computed in time linear in the distinct subexpressions; stops early past ``limit``."""
    memo: dict[sp.Basic, int] = {}
    stack: list[tuple[sp.Basic, bool]] = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if e in memo:
            continue
        if ready:
            total = 1 + sum(memo[a] for a in e.args)
            memo[e] = total
            if limit is not None and total > limit:
                return total
            continue
        stack.append((e, True))
        stack.extend((a, False) for a in e.args if a not in memo)
    return memo[expr]


def _log(*args: sp.Expr) -> sp.Expr:
    if len(args) == 1:
        return sp.log(args[0])
    if len(args) == 2:
        return sp.log(args[0]) / sp.log(args[1])
    raise TypeError("log takes one or two arguments")


def _root(x: sp.Expr, k: sp.Expr) -> sp.Expr:
    return sp.Pow(x, 1 / k)


def _rational(p: sp.Expr, q: sp.Expr = sp.Integer(1)) -> sp.Expr:
    if not (p.is_Integer and q.is_Integer) or q == 0:
        raise TypeError("Rational takes integer arguments with a nonzero denominator")
    return sp.Rational(p, q)


#: Whitelisted functions: name -> (sympy constructor, allowed argument counts).
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], tuple[int, ...]]] = {
    "sqrt": (sp.sqrt, (1,)),
    "cbrt": (sp.cbrt, (1,)),
    "root": (_root, (2,)),
    "log": (_log, (1, 2)),
    "ln": (_log, (1,)),
    "log10": (lambda x: sp.log(x) / sp.log(10), (1,)),
    "log2": (lambda x: sp.log(x) / sp.log(2), (1,)),
    "exp": (sp.exp, (1,)),
    "Abs": (sp.Abs, (1,)),
    "abs": (sp.Abs, (1,)),
    "Min": (sp.Min, (2, 3, 4, 5, 6)),
    "Max": (sp.Max, (2, 3, 4, 5, 6)),
    "min": (sp.Min, (2, 3, 4, 5, 6)),
    "max": (sp.Max, (2, 3, 4, 5, 6)),
    "Rational": (_rational, (1, 2)),
    "floor": (sp.floor, (1,)),
    "ceiling": (sp.ceiling, (1,)),
    "sin": (sp.sin, (1,)),
    "cos": (sp.cos, (1,)),
    "tan": (sp.tan, (1,)),
    "atan": (sp.atan, (1,)),
    "arctan": (sp.atan, (1,)),
    "asin": (sp.asin, (1,)),
    "acos": (sp.acos, (1,)),
    "sinh": (sp.sinh, (1,)),
    "cosh": (sp.cosh, (1,)),
    "tanh": (sp.tanh, (1,)),
    "gamma": (sp.gamma, (1,)),
}

#: Whitelisted constants.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "oo": sp.oo, "inf": sp.oo}

#: Functions defined (finite, real) for every real argument: nothing to record for definedness.
_TOTAL = frozenset({"exp", "Abs", "abs", "Min", "Max", "min", "max", "Rational", "floor", "ceiling", "sin", "cos",
                    "atan", "arctan", "sinh", "cosh", "tanh"})

_RELATIONS: dict[type, Callable[[sp.Expr, sp.Expr], sp.Basic]] = {
    ast.Lt: sp.StrictLessThan,
    ast.LtE: sp.LessThan,
    ast.Gt: sp.StrictGreaterThan,
    ast.GtE: sp.GreaterThan,
    ast.Eq: sp.Eq,
    ast.NotEq: sp.Ne,
}


class _Builder:
    """Walks a Python AST and builds sympy, refusing anything not whitelisted."""

    def __init__(self, text: str, names: Mapping[str, sp.Expr], ctx: dict,
                 name_terms: Mapping[str, tuple[sp.Expr, ...]] | None = None, source: str | None = None) -> None:
        self.text = text
        self.source = text if source is None else source
        self.names = names
        self.ctx = ctx
        # definedness: every partial operation as written (a reciprocal, a fractional or negative power,
        # log, sqrt, ...), recorded before sympy's automatic evaluation can cancel it (t**2/t**2 -> 1,
        # 0*log(t) -> 0); see definedness_terms
        self.terms: list[sp.Expr] = []
        self.name_terms = name_terms or {}

    def record(self, term: sp.Expr) -> None:
        if not isinstance(term, sp.Expr):
            return
        if not term.is_number or term.has(sp.zoo, sp.nan) or term.is_extended_real is not True:
            self.terms.append(term)

    def fail(self, message: str) -> ParseError:
        return ParseError(message, expr=_short(self.text), **self.ctx)

    def build(self, node: ast.AST, depth: int = 0) -> sp.Basic:
        if depth > MAX_DEPTH:
            raise self.fail("expression is nested too deeply")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(f"'{_describe(node)}' is not allowed in an expression")
        return method(node, depth + 1)

    def _Expression(self, node: ast.Expression, depth: int) -> sp.Basic:
        return self.build(node.body, depth)

    def _Constant(self, node: ast.Constant, depth: int) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"literal {value!r} is not a number")
        if isinstance(value, int):
            if value.bit_length() > 4 * MAX_INT_DIGITS or len(str(abs(value))) > MAX_INT_DIGITS:
                raise self.fail(f"integer literal has more than {MAX_INT_DIGITS} digits")
            return sp.Integer(value)
        segment = ast.get_source_segment(self.source, node) or repr(value)
        segment = segment.replace("_", "")
        m = re.search(r"[eE]([+-]?\d+)$", segment)
        if (m and abs(int(m.group(1)[-12:])) > MAX_LITERAL_EXPONENT) or len(segment) > 2 * MAX_INT_DIGITS:
            raise self.fail(f"number literal {segment[:40]!r} is out of range (exponent at most "
                            f"{MAX_LITERAL_EXPONENT}, at most {2 * MAX_INT_DIGITS} characters)")
        try:
            return sp.Rational(segment)
        except (TypeError, ValueError):
            return sp.Rational(repr(value))

    def _Name(self, node: ast.Name, depth: int) -> sp.Expr:
        if not node.id.isascii():  # Python folds look-alikes (NFKC): a fullwidth 'ｐｉ' would become pi
            raise self.fail(f"non-ASCII name {node.id!r}: names are ASCII letters, digits and _")
        name = _user_name(node.id)
        if name in self.names:  # a symbol or definition shadows a function or constant of the same name
            self.terms.extend(self.name_terms.get(name, ()))
            return self.names[name]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in FUNCTIONS:
            raise self.fail(f"function '{node.id}' used without arguments")
        raise self.fail(f"unknown name '{node.id}' (not a symbol, definition or constant)")

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> sp.Expr:
        operand = self._expr(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail(f"operator '{_describe(node.op)}' is not allowed")

    def _number(self, value: sp.Expr) -> sp.Expr:
        """``value``, or an error when it is an exact number too large to compute with."""
        if isinstance(value, sp.Rational) and max(abs(value.p).bit_length(), value.q.bit_length()) > _MAX_BITS:
            raise self.fail(f"a number in the expression has more than {MAX_NUMBER_DIGITS} digits")
        return value

    def _BinOp(self, node: ast.BinOp, depth: int) -> sp.Expr:
        # a chain a + b + c + ... (or * /) is a left spine in the AST: walk it iteratively, so that a sum
        # of many terms is long, not deep
        chain = []
        kind = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (
            (ast.Mult, ast.Div) if isinstance(node.op, (ast.Mult, ast.Div)) else None)
        while kind is not None and isinstance(node, ast.BinOp) and isinstance(node.op, kind) \
                and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, kind):
            chain.append(node)
            node = node.left
        value = self._binop(node, depth)
        for outer in reversed(chain):
            value = self._apply(outer.op, value, self._expr(outer.right, depth))
        return value

    def _binop(self, node: ast.BinOp, depth: int) -> sp.Expr:
        left = self._expr(node.left, depth)
        right = self._expr(node.right, depth)
        return self._apply(node.op, left, right)

    def _apply(self, op: ast.operator, left: sp.Expr, right: sp.Expr) -> sp.Expr:
        return self._number(self._apply_op(op, left, right))

    def _apply_op(self, op: ast.operator, left: sp.Expr, right: sp.Expr) -> sp.Expr:
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            if right == 0:
                raise self.fail("division by zero")
            self.record(sp.Pow(right, -1))
            return left / right
        if isinstance(op, ast.Pow):
            if right.is_number and left.is_number and right.is_Rational and abs(right) > MAX_NUMERIC_EXPONENT:
                raise self.fail("numeric exponent is too large")
            if isinstance(left, sp.Rational) and isinstance(right, sp.Integer) and left not in (0, 1, -1):
                bits = max(abs(left.p).bit_length(), left.q.bit_length())
                if abs(int(right)) * (bits - 1) > _MAX_BITS:
                    raise self.fail(f"a power of a number has more than {MAX_NUMBER_DIGITS} digits")
            value = sp.Pow(left, right)
            if not (right.is_Integer and right >= 0):
                self.record(value)
            return value
        raise self.fail(f"operator '{_describe(op)}' is not allowed")

    def _Call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail("only plain function names may be called")
        name = _user_name(node.func.id)
        if node.keywords:
            raise self.fail(f"keyword arguments are not allowed (in call to '{name}')")
        if name in ("Eq", "Ne"):
            if len(node.args) != 2:
                raise self.fail(f"{name} takes two arguments")
            a, b = (self._expr(arg, depth) for arg in node.args)
            return sp.Eq(a, b, evaluate=False) if name == "Eq" else sp.Ne(a, b, evaluate=False)
        if name not in FUNCTIONS:
            raise self.fail(f"unknown function '{name}'; allowed: {', '.join(sorted(FUNCTIONS))}")
        func, arities = FUNCTIONS[name]
        if len(node.args) not in arities:
            raise self.fail(f"'{name}' takes {' or '.join(map(str, arities))} argument(s), got {len(node.args)}")
        args = [self._expr(arg, depth) for arg in node.args]
        if name == "gamma" and args[0].is_number and args[0].is_real and abs(args[0]) > MAX_GAMMA_ARGUMENT:
            raise self.fail(f"gamma of a number larger than {MAX_GAMMA_ARGUMENT} (sympy would compute it exactly)")
        try:
            value = func(*args)
        except (TypeError, ValueError) as err:
            raise self.fail(f"bad call to '{name}': {err}") from err
        except (AssertionError, KeyError, IndexError, AttributeError):
            # sympy's own evaluation tripped (Max((1/10**12)**n, 10**12) with n an integer fails an assertion
            # in sympy's integer reasoning): keep the call as written, unevaluated
            try:
                value = func(*args, evaluate=False)
            except Exception as err:  # noqa: BLE001 - sympy cannot build it at all: say so, as an input error
                raise self.fail(f"sympy cannot build the call to '{name}' ({type(err).__name__})") from err
        if name in ("log", "ln", "log10", "log2"):
            self.record(sp.log(args[0]))
            if len(args) == 2:
                self.record(sp.Pow(sp.log(args[1]), -1))
        elif name == "root":
            self.record(sp.Pow(args[0], sp.Pow(args[1], -1)))
            self.record(sp.Pow(args[1], -1))
        elif name not in _TOTAL:
            self.record(value)
        return value

    def _Compare(self, node: ast.Compare, depth: int) -> sp.Basic:
        terms = [self._expr(node.left, depth)] + [self._expr(c, depth) for c in node.comparators]
        rels = []
        for op, a, b in zip(node.ops, terms, terms[1:]):
            ctor = _RELATIONS.get(type(op))
            if ctor is None:
                raise self.fail(f"comparison '{_describe(op)}' is not allowed")
            rels.append(ctor(a, b, evaluate=False))
        return rels[0] if len(rels) == 1 else sp.And(*rels, evaluate=False)

    def _expr(self, node: ast.AST, depth: int) -> sp.Expr:
        value = self.build(node, depth)
        if not isinstance(value, sp.Expr):
            raise self.fail("a comparison cannot be used as a number")
        return value


def _describe(node: ast.AST) -> str:
    return {
        "Attribute": "attribute access (.)", "Subscript": "subscript ([])", "Lambda": "lambda",
        "BitAnd": "&", "BitOr": "|", "FloorDiv": "//", "Mod": "%", "MatMult": "@", "Not": "not",
        "Invert": "~", "LShift": "<<", "RShift": ">>", "Is": "is", "In": "in", "BoolOp": "and/or",
        "List": "list", "Tuple": "tuple", "Dict": "dict", "Set": "set", "JoinedStr": "f-string",
    }.get(type(node).__name__, type(node).__name__)


# Python keywords that papers use as names (lambda for a regularisation weight): the text is tokenised and
# each such keyword becomes a name no spec can write (names start with a letter), mapped back when read.
KEYWORD_NAMES = ("lambda",)
_KEYWORD_RE = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(KEYWORD_NAMES) + r")(?![A-Za-z0-9_])")


def _user_name(name: str) -> str:
    """The spec's spelling of a (possibly keyword-escaped) identifier."""
    return name[4:] if name.startswith("_kw_") and name[4:] in KEYWORD_NAMES else name


def _tree(text: object, ctx: dict) -> tuple[str, ast.Expression, str]:
    if not isinstance(text, (str, int, float)) or isinstance(text, bool):
        raise ParseError(f"expected an expression string, got {type(text).__name__}", **ctx)
    text = str(text)
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression longer than {MAX_LENGTH} characters", expr=text[:80] + "...", **ctx)
    if not text.strip():
        raise ParseError("empty expression", expr=text, **ctx)
    if not text.isascii():  # Python folds look-alikes (NFKC): a fullwidth 'ｐｉ' would silently become pi
        ch = next(c for c in text if not c.isascii())
        folded = unicodedata.normalize("NFKC", ch)
        hint = f"; Python would read it as {folded!r}" if folded != ch and folded.isascii() else ""
        raise ParseError(f"non-ASCII character {ch!r} (U+{ord(ch):04X}) in an expression{hint}",
                         expr=_short(text), **ctx)
    # '^' means power here (it has no other meaning in the grammar); rewriting it before parsing gives it
    # the precedence of '**' rather than Python's looser bitwise-xor precedence.
    text = text.strip().replace("^", "**")
    source = _KEYWORD_RE.sub(r"_kw_\1", text)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        if re.search(r"(?<![<>=!])=(?!=)", text):
            raise ParseError("'=' is assignment; write '==' for an equality (e.g. \"R_hat == 0\")",
                             expr=_short(text), **ctx) from err
        raise ParseError(f"syntax error: {err.msg}", expr=_short(text), **ctx) from err
    except (ValueError, RecursionError, MemoryError) as err:
        raise ParseError(f"cannot parse: {err}", expr=_short(text), **ctx) from err
    return text, tree, source


def _check_real_constants(builder: _Builder, text: str, ctx: dict) -> None:
    """A constant sub-term that is not a real number, as written (``sqrt(-1)``, ``(-2)**(1/3)``, ``0**-1``),
    is an error even when the whole evaluates to a real (``sqrt(-1)**2`` is -1 in sympy)."""
    for t in builder.terms:
        if t.is_number and (t.has(sp.zoo, sp.nan) or t.is_extended_real is not True):
            raise ParseError(f"'{t}' is not a real number (a negative base to a fractional power, or a "
                             "division by zero)", expr=_short(text), **ctx)


def _check_size(value: sp.Basic, text: str, ctx: dict) -> None:
    size = tree_size(value, MAX_NODES)
    if size > MAX_NODES:
        raise ParseError(f"expression is too large once its definitions are substituted (more than {MAX_NODES} "
                         "nodes; do definitions square each other?)", expr=_short(text), **ctx)


def _build(text: object, names: Mapping[str, sp.Expr] | None, ctx: dict) -> tuple[str, "_Builder", sp.Basic]:
    """(the text, its builder, the sympy value) of an expression or relation, under the parse time box."""
    text, tree, source = _tree(text, ctx)
    builder = _Builder(text, names or {}, ctx, source=source)
    with _time_box(text, ctx):
        try:
            value = builder.build(tree)
        except RecursionError as err:
            raise builder.fail("expression is nested too deeply") from err
    return text, builder, value


def parse_expr(text: object, names: Mapping[str, sp.Expr] | None = None, *, file: str | None = None,
               key: str | None = None, line: int | None = None) -> sp.Expr:
    """Parse an arithmetic expression over whitelisted names.

    Args:
        text: the expression, Python syntax (``**`` or ``^`` for powers).
        names: the names that may appear (symbols and definitions) mapped to sympy values.
        file, key, line: where the text came from, for error messages.

    Returns:
        The sympy expression.

    Raises:
        ParseError: anything outside the grammar, with file, key and line.
    """
    ctx = {"file": file, "key": key, "line": line}
    text, builder, value = _build(text, names, ctx)
    if not isinstance(value, sp.Expr):
        raise ParseError("expected an expression, got a comparison", expr=_short(text), **ctx)
    _check_size(value, text, ctx)
    if value.has(sp.zoo, sp.nan):
        raise ParseError("expression is undefined (division by zero or 0*oo)", expr=_short(text), **ctx)
    _check_real_constants(builder, text, ctx)
    return value


def definedness_terms(text: object, names: Mapping[str, sp.Expr] | None = None,
                      name_terms: Mapping[str, tuple[sp.Expr, ...]] | None = None) -> tuple[sp.Expr, ...]:
    """The partial sub-terms of ``text`` *as written*: each reciprocal ``1/b``, power with a negative or
    non-integer exponent, ``log``, root and partial function (``tan``, ``asin``, ``acos``, ``gamma``), built
    before sympy's automatic evaluation of the enclosing expression can erase it (``t**2/t**2`` is 1 and
    ``0*log(t)`` is 0 once evaluated, but they are undefined at ``t = 0``).

    The expression is defined at a point exactly when every returned term is. ``name_terms`` gives the
    terms of the definitions that ``names`` holds (a name brings its definition's terms along). The text
    must already be valid (it is parsed as by :func:`parse_expr`).
    """
    text_s, tree, source = _tree(text, {})
    builder = _Builder(text_s, names or {}, {}, name_terms, source=source)
    with _time_box(text_s, {}):
        builder.build(tree)
    seen: dict[sp.Expr, None] = {}
    for t in builder.terms:
        seen.setdefault(t, None)
    return tuple(seen)


def parse_relation(text: object, names: Mapping[str, sp.Expr] | None = None, *, file: str | None = None,
                   key: str | None = None, line: int | None = None) -> sp.Basic:
    """Parse a comparison such as ``d >= 2`` or ``0 < x <= 1`` (a chain becomes an ``And``)."""
    ctx = {"file": file, "key": key, "line": line}
    text, builder, value = _build(text, names, ctx)
    _check_size(value, text, ctx)
    if isinstance(value, sp.Expr):
        raise ParseError("expected a comparison (<, <=, >, >=, ==, !=)", expr=_short(text), **ctx)
    if isinstance(value, sp.Basic) and value.has(sp.zoo, sp.nan):
        raise ParseError("relation is undefined (division by zero or 0*oo)", expr=_short(text), **ctx)
    _check_real_constants(builder, text, ctx)
    return value


def parse_number(text: object, *, file: str | None = None, key: str | None = None,
                 line: int | None = None) -> sp.Expr:
    """Parse an exact constant (``"1/100"``, ``"pi"``, ``2``, ``0.5``) with no free symbols."""
    value = parse_expr(text, {}, file=file, key=key, line=line)
    if value.free_symbols:
        raise ParseError("expected a constant", expr=str(text), file=file, key=key, line=line)
    return value
