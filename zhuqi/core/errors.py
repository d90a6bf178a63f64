"""Domain errors: a stable code for programs, a Chinese message for people."""

from enum import Enum


class DomainError(Exception):
    def __init__(self, code: Enum, message: str | None = None, *, field: str | None = None):
        self.code = code
        self.message = message or str(code.value)
        self.field = field
        super().__init__(self.message)

    def __str__(self):
        return self.message
