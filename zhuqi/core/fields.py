from django.db import models

from .crypto import blind_index, decrypt, encrypt


class EncryptedCharField(models.TextField):
    """Text stored SM4-encrypted (core.crypto); the model and forms see the plain value, up to max_length.
    The stored value differs on every save, so it cannot be searched: search its BlindIndexField."""

    encrypts = True

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def formfield(self, **kwargs):
        from django import forms

        return models.Field.formfield(
            self, **{"form_class": forms.CharField, "max_length": self.plain_max_length, **kwargs}
        )

    def get_lookup(self, lookup_name):  # a ciphertext compared with anything finds nothing: refuse, loudly
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


class BlindIndexField(models.CharField):
    """The keyed SM3 hash of another field's plain value, kept up to date on every save that writes it."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
