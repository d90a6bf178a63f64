"""Pinyin initials for search: "sydq" finds 森源电气."""

from functools import lru_cache

from pypinyin import Style, pinyin


@lru_cache(maxsize=20000)
def _initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    readings = pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return readings[0][0].lower() if readings and readings[0] else ""


class _Initials(dict):
    """A str.translate table filled as characters are met: a 100,000-row import looks each one up in C."""

    def __missing__(self, code: int) -> str:
        self[code] = _initial(chr(code))
        return self[code]


_TABLE = _Initials()


def initials(text: str) -> str:
    """The first letter of each character's pinyin, ASCII letters and digits kept: 森源电气 → sydq."""
    return text.translate(_TABLE)
