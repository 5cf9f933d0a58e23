"""LaTeX text helpers (layer 6, report): escaping untrusted strings, vetting ``latex`` fields of symbols.

Everything a spec file says in prose (title, description, ids, reasons, file names) reaches the document
through :func:`escape_tex`; the only raw TeX a spec may carry is the ``latex`` field of a symbol, which
:func:`safe_math_fragment` vets (balanced braces, no dangerous primitives) before it is used.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_tex", "tt", "safe_math_fragment", "breakable", "sentence", "shorten"]

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "~": r"$\sim$",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "`": "{`}",  # not a ligature with a preceding ! or ? (which would print an inverted mark)
}

# Non-ASCII characters people put in specs, with a rendering that needs no extra package.
_UNICODE = {
    "≤": r"$\leq$", "≥": r"$\geq$", "≠": r"$\neq$", "∈": r"$\in$", "∉": r"$\notin$", "→": r"$\to$",
    "←": r"$\leftarrow$", "⇒": r"$\Rightarrow$", "⇔": r"$\Leftrightarrow$", "∞": r"$\infty$", "±": r"$\pm$",
    "×": r"$\times$", "·": r"$\cdot$", "÷": r"$\div$", "√": r"$\surd$", "∑": r"$\sum$", "∏": r"$\prod$",
    "∫": r"$\int$", "∂": r"$\partial$", "∇": r"$\nabla$", "∀": r"$\forall$", "∃": r"$\exists$",
    "≈": r"$\approx$", "∼": r"$\sim$", "≲": r"$\lesssim$", "≳": r"$\gtrsim$", "⊂": r"$\subset$",
    "⊆": r"$\subseteq$", "∩": r"$\cap$", "∪": r"$\cup$", "ℝ": r"$\mathbb{R}$", "ℕ": r"$\mathbb{N}$",
    "ℤ": r"$\mathbb{Z}$", "ℚ": r"$\mathbb{Q}$", "…": r"\dots{}", "–": "--", "—": "---", "‘": "`", "’": "'",
    "“": "``", "”": "''", "•": r"$\bullet$", "°": r"$^\circ$", "µ": r"$\mu$", "§": r"\S{}", "¶": r"\P{}",
    "\u00a0": r"\nobreakspace{}", "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "ø": r"\o{}", "Ø": r"\O{}",
    "å": r"\aa{}", "Å": r"\AA{}", "œ": r"\oe{}", "Œ": r"\OE{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}", "¿": r"?`",
    "¡": r"!`",
}
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi",
    "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
# Accents that plain LaTeX (OT1 + the kernel's accent commands) renders without any package.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0308": '"', "\u0307": ".",
    "\u030a": "r", "\u030c": "v", "\u0306": "u", "\u0327": "c", "\u030b": "H", "\u0328": "k",
}


def _unicode_char(ch: str) -> str:
    if ch in _UNICODE:
        return _UNICODE[ch]
    if ch in _GREEK:
        return f"$\\{_GREEK[ch]}$"
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if base.isascii() and base.isalpha() and marks and all(m in _ACCENTS for m in marks):
        out = base if base not in "ij" else "\\" + ("i" if base == "i" else "j") + "{}"
        for m in marks:
            out = f"\\{_ACCENTS[m]}{{{out}}}"
        return out
    ascii_form = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    if ascii_form and ascii_form.isprintable():
        return escape_tex(ascii_form)
    return "?"


def escape_tex(text: object) -> str:
    """Escape arbitrary text for LaTeX paragraph mode.

    Every TeX special character (``\\ { } $ & # % _ ~ ^``, and ``< > | "`` which OT1 fonts misprint) is
    replaced by a command that prints it; non-ASCII characters become LaTeX accents or math symbols, or
    ``?`` when there is no rendering without extra packages; control characters and line breaks become
    spaces. The result is safe to place anywhere text is allowed, including arguments of ``\\section``.

    Args:
        text: anything; it is converted with ``str``.

    Returns:
        The escaped text.
    """
    out: list[str] = []
    quotes = 0
    for ch in str(text):
        if ch == '"':
            out.append(r"\textquotedblleft{}" if quotes % 2 == 0 else r"\textquotedblright{}")
            quotes += 1
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in "\n\r\t\f\v":
            out.append(" ")
        elif ch.isascii():
            out.append(ch if ch.isprintable() else " ")
        else:
            out.append(_unicode_char(ch))
    return "".join(out)


def shorten(text: object, limit: int = 120) -> str:
    """Text cut to ``limit`` characters with an ellipsis (for headings, tags and captions, which TeX sets
    in a box: a very long one would not fit in TeX's dimensions)."""
    t = " ".join(str(text).split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def sentence(text: str) -> str:
    """Escaped text as a sentence: whitespace collapsed, first letter capitalised, one final period."""
    t = " ".join(str(text).split()).rstrip(".")
    if not t:
        return ""
    first = t.split(" ", 1)[0]
    if len(first) > 1 and first.isalpha() and first.islower():  # not a symbol such as "n" or "z_i"
        t = t[0].upper() + t[1:]
    return breakable(escape_tex(t)) + "."


_BREAK_AFTER = re.compile(r"(\\_|/|\.|-|\+|\*|,|=|\(|:)")


def breakable(escaped: str) -> str:
    """Add line-break opportunities after separators (``_ / . - + * , = (``) in escaped text."""
    return _BREAK_AFTER.sub(lambda m: m.group(1) + r"\allowbreak{}", escaped)


# In \texttt, OT1 cmtt has every printable ASCII character at its own code: print them with \char so that
# no glyph is borrowed from a math font.
_TT = {"\\": 92, "{": 123, "}": 125, "~": 126, "^": 94, "_": 95, "<": 60, ">": 62, "|": 124, '"': 34}
_TT_ESC = {"$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%"}
_TT_BREAK = set("_/.-+*,=(:")


def tt(text: object) -> str:
    """Text in typewriter type (medium weight, also in bold context), escaped, with line-break
    opportunities after separators (for claim ids and file names)."""
    out: list[str] = []
    for ch in str(text):
        if ch in _TT:
            out.append(f"\\char{_TT[ch]}{{}}")
        elif ch in _TT_ESC:
            out.append(_TT_ESC[ch])
        elif ch.isascii():
            out.append(ch if ch.isprintable() and ch not in "\n\r\t" else " ")
        else:
            out.append(_unicode_char(ch))
        if ch in _TT_BREAK:
            out.append(r"\allowbreak{}")
    return r"\texttt{\mdseries\upshape " + "".join(out) + "}"


_ALLOWED_FRAGMENT = re.compile(r"^[A-Za-z0-9\\{}_^ ,.;:'!+\-*/()\[\]|=<>@]*$")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_FORBIDDEN = {
    "input", "include", "includeonly", "InputIfFileExists", "write", "immediate", "openout", "openin", "read",
    "readline", "closeout", "closein", "def", "edef", "gdef", "xdef", "let", "futurelet", "catcode", "csname",
    "endcsname", "expandafter", "newcommand", "renewcommand", "providecommand", "DeclareRobustCommand",
    "usepackage", "RequirePackage", "documentclass", "begin", "end", "special", "pdfobj", "pdfliteral",
    "directlua", "loop", "repeat", "output", "shipout", "end", "endinput", "batchmode", "errorstopmode",
    "scrollmode", "nonstopmode", "outer", "long", "global", "afterassignment", "aftergroup", "uppercase",
    "lowercase", "string", "scantokens", "detokenize", "unexpanded", "everypar", "everymath", "everyjob",
    "par", "newline", "jobname", "input@path", "verb", "label", "ref", "tag", "hline", "item", "section",
}


def safe_math_fragment(fragment: str) -> bool:
    """Whether a ``latex`` field of a symbol is a harmless math-mode fragment.

    It must use ordinary characters only (no ``$ % # & ~`` or line breaks), have balanced braces that
    never close more than they opened, and call no command that reads or writes files, defines macros,
    changes category codes or ends the math mode (``\\input``, ``\\def``, ``\\catcode``, ``\\end``, ...).
    """
    from .._texname import latex_fragment_error

    if latex_fragment_error(fragment) is not None:  # the allowlist grammar (the spec reader uses it too)
        return False
    if not fragment.strip() or len(fragment) > 200 or not _ALLOWED_FRAGMENT.match(fragment):
        return False
    depth = 0
    i = 0
    while i < len(fragment):
        ch = fragment[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    if depth != 0:
        return False
    for m in _COMMAND.finditer(fragment):
        name = m.group(1)
        if name in _FORBIDDEN or "@" in name or name == "\\":
            return False
    if fragment.endswith("\\") or re.search(r"[_^]\s*$", fragment) or re.search(r"[_^]\s*[_^]", fragment):
        return False
    return True
