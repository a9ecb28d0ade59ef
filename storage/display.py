"""How feed text is shown, never how it is stored: LaTeX in titles as readable text, long author lists shortened.

Feeds carry titles like `R\\'{e}nyi Divergences for $\\mathcal{O}(n)$ Sampling`. Running a whole title through a
LaTeX converter would eat what is not LaTeX (`a $100K budget`, `50% off`, `C++ ~ C#`), so only the constructs that
are surely LaTeX are converted, each by pylatexenc, which knows every accent and symbol: accent commands, escaped
specials, text-style commands, and `$...$` that holds a command, `^`, `_` or braces. The rest is left as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ACCENT = re.compile(
    r"""\{?\\(?:['"`^~=.]|[uvHckrbdt](?![A-Za-z]))\s*(?:\{\\?[A-Za-z]?\}|\\?[A-Za-z])\}?"""
    r"""|\{?\\(?:ss|o|O|aa|AA|ae|AE|oe|OE|l|L|i|j)(?![A-Za-z])(?:\{\})?\}?"""
)
_ESCAPE = re.compile(r"\\([%&_#$])")
_STYLE = re.compile(r"\\(?:emph|text(?:bf|it|tt|rm|sc|sf|up|sl)|math(?:rm|bf|it|sf|tt))\{([^{}$]*)\}")
_MATH = re.compile(r"\$([^$\n]{1,300})\$")
_MATHY = re.compile(r"\\[A-Za-z]+|[\^_{}]")


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def _convert(fragment: str) -> str:
    try:
        out = _converter().latex_to_text(fragment)
    except Exception:  # pylatexenc raises its own parse errors on odd input: show the text as it came
        return fragment
    return " ".join(out.split()) if out.strip() else fragment


def _math(m: re.Match) -> str:
    inner = m.group(1)
    if not _MATHY.search(inner):  # "$5 and $" is money, not math
        return m.group(0)
    return _convert(m.group(0))


@lru_cache(maxsize=4096)
def latex_text(text: str) -> str:
    """`R\\'{e}nyi` -> `Rényi`, `$\\mathcal{O}(n)$` -> `𝒪(n)`, `\\emph{x}` -> `x`, `50\\%` -> `50%`."""
    if "\\" not in text and "$" not in text:
        return text
    out = _MATH.sub(_math, text)
    if "\\" in out:
        out = _STYLE.sub(lambda m: m.group(1), out)
        out = _ACCENT.sub(lambda m: _convert(m.group(0)), out)
        out = _ESCAPE.sub(lambda m: m.group(1), out)
    return out


def short_authors(authors: list[str], keep: int = 3) -> str:
    """`A, B, C … and 122 more` for a long list; the whole list when it is short."""
    if len(authors) <= keep + 1:
        return ", ".join(authors)
    return f"{', '.join(authors[:keep])} … and {len(authors) - keep} more"


def venue(extra: dict) -> str:
    """Where the paper appeared, when its feed said: a .bib's journal or booktitle, arXiv's journal reference."""
    for key in ("venue", "journal_ref"):
        value = extra.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _count(extra: dict, key: str) -> int | None:
    value = extra.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def hf_facts(extra: dict) -> str:
    """`▲ 61 upvotes · 2 comments` from a Hugging Face feed's extras; "" when the feed gave neither."""
    parts = []
    if (up := _count(extra, "upvotes")) is not None:
        parts.append(f"▲ {up:,} upvote{'' if up == 1 else 's'}")
    if (comments := _count(extra, "num_comments")):
        parts.append(f"{comments:,} comment{'' if comments == 1 else 's'}")
    return " · ".join(parts)


def github_stars(extra: dict) -> str:
    """`★ 2,341` when the HF feed gave the repository's stars, else ""."""
    stars = _count(extra, "github_stars")
    return f"★ {stars:,}" if stars is not None else ""


def keywords(extra: dict) -> list[str]:
    value = extra.get("ai_keywords")
    return [k for k in value if isinstance(k, str) and k] if isinstance(value, list) else []
