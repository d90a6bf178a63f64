"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), entity kind (1), administrative division (6),
organisation code per GB 11714 with its own check character (9), check character (1).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALID = frozenset(ALPHABET)
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_AUTHORITIES = set("123456789ABCDEFGNY")
_ORG_CODE_ALPHABET = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def check_character(first17: str) -> str:
    total = sum(map(int.__mul__, map(_VALUE.__getitem__, first17), _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check_character(first8: str) -> str:
    """GB 11714: the ninth character of the organisation code."""
    total = sum(map(int.__mul__, map(int, first8, [36] * 8), _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalise(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def credit_code_problem(raw: str) -> str | None:
    """Why the code is not a valid unified social credit code, in Chinese; None when it is valid."""
    code = normalise(raw)
    if not code:
        return _("The unified social credit code is required")
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d") % {"n": len(code)}
    for position, ch in enumerate(code if not _VALID.issuperset(code) else "", start=1):
        if ch not in _VALUE:
            return _(
                "Character %(pos)d, “%(ch)s”, cannot appear in a unified social credit code (I, O, Z, S and V are not used)"
            ) % {
                "pos": position,
                "ch": ch,
            }
    if code[0] not in _AUTHORITIES:
        return _("Character 1, the registration authority “%(ch)s”, is not valid") % {"ch": code[0]}
    if not code[2:8].isdigit():
        return _("Characters 3–8 must be a 6-digit administrative division code, not “%(part)s”") % {"part": code[2:8]}
    expected = check_character(code[:17])
    if code[17] != expected:
        return _(
            "Wrong check character: from the first 17 characters, character 18 should be “%(expected)s”, not “%(actual)s”"
        ) % {
            "expected": expected,
            "actual": code[17],
        }
    org = code[8:17]
    if set(org) <= _ORG_CODE_ALPHABET and org[8] != organisation_check_character(org[:8]):
        return _(
            "Wrong check character in the organisation code (characters 9–17): it should be “%(expected)s”, not “%(actual)s”"
        ) % {
            "expected": organisation_check_character(org[:8]),
            "actual": org[8],
        }
    return None


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")


def make_credit_code(*, authority: str, kind: str, division: str, organisation8: str) -> str:
    """A valid code from its parts; the demo zone uses it to generate codes that validate."""
    org = organisation8 + organisation_check_character(organisation8)
    first17 = authority + kind + division + org
    return first17 + check_character(first17)
