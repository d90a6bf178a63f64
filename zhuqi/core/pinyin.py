"""Pinyin initials for search: "sydq" finds 森源电气."""

from functools import lru_cache

from pypinyin import Style, pinyin


@lru_cache(maxsize=20000)
def _initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    readings = pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return readings[0][0].lower() if readings and readings[0] else ""


def initials(text: str) -> str:
    """The first letter of each character's pinyin, ASCII letters and digits kept: 森源电气 → sydq."""
    return "".join(_initial(ch) for ch in text)
