"""Sentences chosen from figures: "no meetings were held", "1 meeting was held", "3 meetings
were held". A report that prints a count prints it through these, so the words agree with
the number (GOV.UK style: numerals, "no" for zero, commas in thousands)."""

from __future__ import annotations


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun for `n` things: "meeting" for 1, "meetings" otherwise."""
    return singular if n == 1 else (plural or f"{singular}s")


def counted(n: int, singular: str, plural: str | None = None, *, zero: str = "no") -> str:
    """`n` things: "no meetings", "1 meeting", "1,204 meetings"."""
    number = zero if n == 0 else f"{n:,}"
    return f"{number} {noun(n, singular, plural)}"


def was(n: int) -> str:
    """ "was" for one thing, "were" for none or several."""
    return "was" if n == 1 else "were"


def times(n: int) -> str:
    """How often: "once", "twice", "3 times" ("not at all" for 0)."""
    return {0: "not at all", 1: "once", 2: "twice"}.get(n, f"{n:,} times")


def listed(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def sentence(text: str) -> str:
    """The text with a capital first letter ("no meetings ..." -> "No meetings ...")."""
    return text[:1].upper() + text[1:]
