"""The password rule 等保 asks for: at least eight characters drawn from three of the four classes (lower case,
upper case, digits, other signs). Long passphrases are welcome: spaces count as signs and there is no upper
limit below Django's own."""

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", lambda c: c in string.ascii_lowercase),
    ("upper", lambda c: c in string.ascii_uppercase),
    ("digit", lambda c: c in string.digits),
    ("other", lambda c: not c.isascii() or not c.isalnum()),
)


class CharacterClassesValidator:
    def __init__(self, at_least: int = 3):
        self.at_least = at_least

    def validate(self, password, user=None):
        present = sum(any(test(c) for c in password) for _name, test in CLASSES)
        if present < self.at_least:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of: lower-case letters, upper-case letters, digits "
                    "and other signs."
                )
                % {"count": self.at_least},
                code="password_too_plain",
            )

    def get_help_text(self):
        return _("At least %(count)d of: lower-case letters, upper-case letters, digits and other signs.") % {
            "count": self.at_least
        }


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a message of ours: Django 5.2's Chinese catalog lacks its new wording."""

    def get_error_message(self):
        return _("The password must have at least %(count)d characters.") % {"count": self.min_length}

    def get_help_text(self):
        return self.get_error_message()
