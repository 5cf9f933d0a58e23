"""The allowlist grammar of a symbol's ``latex`` field (bottom layer; the spec reader and the report use it).

A ``latex`` field reaches pdfTeX verbatim, and pdfTeX primitives can read files (``\\pdfmapfile``), put
active content in the PDF (``\\pdfcatalog``, ``\\pdfannot``) or redefine anything. A blocklist cannot keep up
with them, so the field is parsed by this small grammar and anything outside it is refused::

    fragment := item*                       (at most MAX_LENGTH characters, braces nested <= MAX_DEPTH)
    item     := atom | ("_" | "^") arg
    atom     := letter | digit | one of  ' , . ( ) [ ] + - * / | < > = ! : ; and space
              | "{" fragment "}" | SYMBOL | ACCENT arg | FONT "{" fragment "}"
              | "\\text{" words "}"
    arg      := letter | digit | SYMBOL | "{" fragment "}"

SYMBOL is a Greek letter or one of a few math symbols (``\\ell``, ``\\infty``, ``\\partial``, ...), ACCENT
is ``\\hat``, ``\\bar``, ``\\tilde``, ``\\vec``, ... and FONT is ``\\mathcal``, ``\\mathrm``, ``\\mathbf``,
``\\operatorname``, ... (the full lists are below). No other control sequence, no ``$ % # & ~ \\\\``.
"""

from __future__ import annotations

__all__ = ["latex_fragment_error", "SYMBOLS", "ACCENTS", "FONTS", "MAX_LENGTH", "MAX_DEPTH"]

MAX_LENGTH = 200
MAX_DEPTH = 10

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu "
          "xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
          "Xi Pi Sigma Upsilon Phi Psi Omega").split()
#: Control sequences without arguments.
SYMBOLS = frozenset(_GREEK + "ell infty partial nabla prime cdot times star ast dagger ddagger circ top perp "
                             "emptyset varnothing hbar imath jmath aleph beth mho wp Re Im".split() + [",", ";", "!"])
#: Control sequences taking one argument (a token or a group).
ACCENTS = frozenset("hat bar tilde widehat widetilde vec dot ddot check breve acute grave mathring overline "
                    "underline".split())
#: Font switches taking one group.
FONTS = frozenset("mathcal mathrm mathbf mathit mathsf mathtt mathbb mathfrak boldsymbol operatorname "
                  "text".split())
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',.()[]+-*/|<>=!:; ")


class _Bad(Exception):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def control(self) -> str:
        """Read a control sequence after its backslash: a run of letters, or one other character."""
        start = self.i
        if self.i < len(self.s) and self.s[self.i].isascii() and self.s[self.i].isalpha():
            while self.i < len(self.s) and self.s[self.i].isascii() and self.s[self.i].isalpha():
                self.i += 1
        elif self.i < len(self.s):
            self.i += 1
        return self.s[start:self.i]

    def fragment(self, depth: int, closing: bool) -> None:
        while self.i < len(self.s):
            ch = self.peek()
            if ch == "}":
                if not closing:
                    raise _Bad("a '}' closes a group that was not opened")
                return
            if ch in "_^":
                self.i += 1
                self.arg(depth, f"'{ch}'")
            else:
                self.atom(depth)
        if closing:
            raise _Bad("a '{' is never closed")

    def group(self, depth: int) -> None:
        if depth >= MAX_DEPTH:
            raise _Bad(f"braces nested deeper than {MAX_DEPTH}")
        self.i += 1  # '{'
        self.fragment(depth + 1, closing=True)
        self.i += 1  # '}'

    def arg(self, depth: int, after: str) -> None:
        while self.peek() == " ":
            self.i += 1
        ch = self.peek()
        if ch == "{":
            self.group(depth)
        elif ch == "\\":
            self.i += 1
            name = self.control()
            if name not in SYMBOLS:
                raise _Bad(f"'\\{name}' is not allowed after {after} (allowed there: a letter, a digit, a group "
                           "{...} or a symbol such as \\alpha)")
        elif ch and ch.isascii() and ch.isalnum():
            self.i += 1
        else:
            raise _Bad(f"{after} needs an argument: a letter, a digit or a group {{...}}")

    def atom(self, depth: int) -> None:
        ch = self.peek()
        if ch == "{":
            self.group(depth)
            return
        if ch == "\\":
            self.i += 1
            name = self.control()
            if name in SYMBOLS:
                return
            if name in ACCENTS:
                self.arg(depth, f"\\{name}")
                return
            if name in FONTS:
                if self.peek() != "{":
                    raise _Bad(f"\\{name} needs a group {{...}}")
                if name == "text":  # text mode: words only (no scripts or commands there)
                    end = self.s.find("}", self.i)
                    body = self.s[self.i + 1:end] if end > 0 else "{"
                    if not all(c.isascii() and (c.isalnum() or c in " ,.-") for c in body):
                        raise _Bad("\\text{...} takes letters, digits, spaces and , . - only")
                self.group(depth)
                return
            shown = "\\" + name if name else "a trailing '\\'"
            raise _Bad(f"{shown} is not an allowed command (allowed: Greek letters, accents such as \\hat, "
                       "\\bar, \\tilde, fonts such as \\mathcal, \\mathrm, \\mathbf, \\operatorname, and a few "
                       "symbols such as \\ell, \\infty)")
        if ch in _PLAIN:
            self.i += 1
            return
        raise _Bad(f"character {ch!r} is not allowed (letters, digits, _ ^ {{ }} and ' , . ( ) [ ] + - * / | < > "
                   "= ! : ; only)")


def latex_fragment_error(text: object) -> str | None:
    """Why ``text`` is not an allowed ``latex`` field, or None when it is.

    >>> latex_fragment_error(r"\\hat{\\theta}_{n}") is None
    True
    >>> latex_fragment_error(r"\\pdfcatalog{/OpenAction}")[:20]
    '\\\\pdfcatalog is not a'
    """
    if not isinstance(text, str):
        return "must be a string"
    if not text.strip():
        return "must not be empty"
    if len(text) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    p = _Parser(text)
    try:
        p.fragment(0, closing=False)
    except _Bad as err:
        return str(err)
    return None
