"""A browser's date input takes only 2026-11-26: a day written the Chinese way (2026年11月26日) shows as empty, so a
form's default day, or the day in a form sent back with an error, would be lost."""

import datetime
import importlib
import pkgutil

from django import forms
from django.utils import translation

import zhuqi


def every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(zhuqi.__path__, "zhuqi."):
        if module.name.endswith(".forms") or module.name.endswith(".hazards"):
            importlib.import_module(module.name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("zhuqi."):
                found.append(sub)
            todo.append(sub)
    return found


def test_every_date_input_shows_its_day_as_the_browser_reads_it():
    day = datetime.date(2026, 11, 26)
    checked, wrong = 0, []
    with translation.override("zh-hans"):
        for form_class in every_form_class():
            for name, field in form_class.base_fields.items():
                if isinstance(field.widget, forms.DateInput) and field.widget.input_type == "date":
                    checked += 1
                    if field.widget.format_value(day) != "2026-11-26":
                        wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert checked > 10 and wrong == []
