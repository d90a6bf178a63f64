"""Form definitions: versions with sections and fields mapped to indicators, the rules each version checks (its
fields' own ranges and year-on-year limits, generated here, and the rules across fields), and the torch
statistics form shipped as data (data/torch.toml). A version in use never changes; form_version_copy makes the
next one."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from enum import Enum
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.errors import DomainError
from zhuqi.indicators.models import Indicator, Obtained, Severity, ValueKind
from zhuqi.indicators.services import rule_activate, rule_save, ruleset_ensure, ruleset_freeze
from zhuqi.indicators.units import to_base

from .models import Field, Form, FormVersion, Section

TORCH = Path(__file__).resolve().parent / "data" / "torch.toml"


class FormError(Enum):
    IN_USE = "in_use"


def _literal(kind: str, value: Decimal, unit: str) -> str:
    """A field's limit as a CEL literal of its indicator's type (amounts in whole 元)."""
    if kind == ValueKind.DECIMAL:
        return repr(float(value))
    return str(int(to_base(value, unit) if kind == ValueKind.AMOUNT else value))


def field_rules(field: Field) -> list[dict]:
    """The rules within a field: its range, and its change on last period (警示 beyond yoy_limit %)."""
    code, kind, unit, label = field.indicator.code, field.indicator.value_kind, field.unit, field.label
    label = label.removeprefix("其中：")
    rules = []
    if field.min_value is not None:
        low = _literal(kind, field.min_value, unit)
        rules.append({
            "code": f"{code}.min", "name": _("%(label)s not below %(low)s") % {"label": label, "low": field.min_value.normalize()},
            "expression": f"{code} >= {low}", "message": _("%(label)s is {%(code)s}, below %(low)s")
            % {"label": label, "code": code, "low": f"{field.min_value.normalize():f}"},
            "samples": [{"values": {code: _sample(kind, low, -1)}, "expect": "false"},
                        {"values": {code: _sample(kind, low, 0)}, "expect": "true"}],
        })  # fmt: skip
    if field.max_value is not None:
        high = _literal(kind, field.max_value, unit)
        rules.append({
            "code": f"{code}.max", "name": _("%(label)s not above %(high)s") % {"label": label, "high": field.max_value.normalize()},
            "expression": f"{code} <= {high}", "message": _("%(label)s is {%(code)s}, above %(high)s")
            % {"label": label, "code": code, "high": f"{field.max_value.normalize():f}"},
            "samples": [{"values": {code: _sample(kind, high, 1)}, "expect": "false"},
                        {"values": {code: _sample(kind, high, 0)}, "expect": "true"}],
        })  # fmt: skip
    if field.yoy_limit:
        limit = field.yoy_limit
        if kind == ValueKind.DECIMAL:
            expression = (f"last.{code} == 0.0 || ({code} - last.{code}) * 100.0 <= last.{code} * {limit}.0 && "
                          f"(last.{code} - {code}) * 100.0 <= last.{code} * {limit}.0")  # fmt: skip
            change = f"({code} - last.{code}) * 100.0 / last.{code}"
        else:
            expression = (f"last.{code} == 0 || ({code} - last.{code}) * 100 <= last.{code} * {limit} && "
                          f"(last.{code} - {code}) * 100 <= last.{code} * {limit}")  # fmt: skip
            change = f"double({code} - last.{code}) * 100.0 / double(last.{code})"
        rules.append({
            "code": f"{code}.yoy", "name": _("%(label)s changes by at most %(limit)d%% on last year") % {"label": label, "limit": limit},
            "expression": expression, "severity": Severity.WARNING, "values": {"change": change},
            "message": _("%(label)s changed by {change}%% on last year (%(limit)d%% or more needs an explanation)")
            % {"label": label, "limit": limit},
            "samples": [{"values": {code: 340}, "last": {code: 100}, "expect": "false"},
                        {"values": {code: 110}, "last": {code: 100}, "expect": "true"},
                        {"values": {code: 110}, "expect": "unknown"}],
        })  # fmt: skip
    return rules


def _sample(kind: str, literal: str, step: int):
    return float(literal) + step if kind == ValueKind.DECIMAL else int(literal) + step


def _ensure_unused(version: FormVersion) -> None:
    if version.in_use_at is not None:
        raise DomainError(FormError.IN_USE, _("This form version is in use and cannot change; make a new version"))


@transaction.atomic
def form_version_use(*, version: FormVersion) -> None:
    """A campaign uses the version: from now on neither it nor its rules change."""
    if version.in_use_at is None:
        FormVersion.objects.filter(pk=version.pk, in_use_at__isnull=True).update(in_use_at=timezone.now())
        version.refresh_from_db(fields=["in_use_at"])
    ruleset_freeze(ruleset=version.ruleset)


@transaction.atomic
def field_change(*, field: Field, by, **changes) -> Field:
    """Change a field of a version not yet in use (label, required, limits, help)."""
    version = FormVersion.objects.select_for_update().get(pk=field.section.version_id)
    _ensure_unused(version)
    allowed = {"label", "required", "min_value", "max_value", "yoy_limit", "help_text", "unit", "prefill"}
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(field, name, value)
    field.save()
    _field_rules_save(field, by=by)
    return field


def _field_rules_save(field: Field, *, by) -> None:
    for spec in field_rules(field):
        samples = spec.pop("samples")
        rule = rule_save(ruleset=field.section.version.ruleset, by=by, samples=samples, order=field.order, **spec)
        rule_activate(rule=rule, by=by)


@transaction.atomic
def form_version_copy(*, version: FormVersion, by) -> FormVersion:
    """The next version of a form: the same sections, fields and rules, free to change until it is used."""
    number = (version.form.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    ruleset = ruleset_ensure(code=f"form:{version.form.code}:v{number}", name=f"{version.form.name} v{number}")
    new = FormVersion.objects.create(form=version.form, number=number, title=version.title, notes=version.notes,
                                     ruleset=ruleset)  # fmt: skip
    for section in version.sections.prefetch_related("fields"):
        fields = list(section.fields.all())
        section.pk, section.version = None, new
        section.save()
        for field in fields:
            field.pk, field.section = None, section
        Field.objects.bulk_create(fields)
    for rule in version.ruleset.rules.all():
        copied = rule_save(ruleset=ruleset, code=rule.code, name=rule.name, expression=rule.expression,
                           message=rule.message, by=by, severity=rule.severity, values=rule.values,
                           valid_from=rule.valid_from, valid_to=rule.valid_to, source_document=rule.source_document,
                           samples=rule.samples, order=rule.order, industry=rule.industry,
                           replaces=rule.replaces)  # fmt: skip
        if rule.status == "active":
            rule_activate(rule=copied, by=by)
    return new


@transaction.atomic
def form_install(*, data: dict, by=None) -> FormVersion:
    """A form from its data file: its indicators (created or brought up to date), version 1 with sections and
    fields, and its rules, each tested on its samples and brought into effect. Does nothing for a form that
    already has a version."""
    spec = data["form"]
    form, _created = Form.objects.get_or_create(code=spec["code"], defaults={"name": spec["name"],
                                                                               "period_kind": spec["period_kind"]})  # fmt: skip
    existing = form.versions.order_by("-number").first()
    if existing is not None:
        return existing
    ruleset = ruleset_ensure(code=f"form:{form.code}:v1", name=f"{form.name} v1")
    version = FormVersion.objects.create(form=form, number=1, title=spec["title"], notes=spec.get("notes", ""),
                                         ruleset=ruleset)  # fmt: skip
    fields = []
    for order, section_spec in enumerate(data["sections"]):
        section = Section.objects.create(version=version, code=section_spec["code"], title=section_spec["title"],
                                         order=order)  # fmt: skip
        for position, item in enumerate(section_spec["fields"]):
            kind = item.get("kind", ValueKind.AMOUNT)
            unit = item.get("unit", "千元" if kind == ValueKind.AMOUNT else "")
            indicator, _created = Indicator.objects.update_or_create(code=item["code"], defaults={
                "name": item["name"].removeprefix("其中：").removeprefix("内部研发费用中：").removeprefix("研发费用中："),
                "value_kind": kind, "unit": unit, "period_kind": spec["period_kind"], "obtained": Obtained.REPORTED,
                "definition": item.get("definition", ""), "choices": item.get("choices", []),
            })  # fmt: skip
            fields.append(Field.objects.create(
                section=section, indicator=indicator, row=item.get("row", ""), label=item["name"], unit=unit,
                required=item.get("required", False), min_value=_decimal(item.get("min")),
                max_value=_decimal(item.get("max")), yoy_limit=item.get("yoy"), prefill=item.get("prefill", ""),
                help_text=item.get("definition", ""), simplified=item.get("simplified", False), order=order * 100 + position,
            ))  # fmt: skip
    for field in fields:
        _field_rules_save(field, by=by)
    for order, item in enumerate(data.get("rules", [])):
        samples = [{"values": _sample_values(item["fails"]), "last": item["fails"].get("last", {}), "expect": "false"},
                   {"values": _sample_values(item["holds"]), "last": item["holds"].get("last", {}), "expect": "true"}]  # fmt: skip
        rule = rule_save(ruleset=ruleset, code=item["code"], name=item["name"], expression=item["when"],
                         message=item["message"], severity=item.get("severity", Severity.ERROR),
                         values=item.get("values", {}), source_document=item.get("source", ""), samples=samples,
                         order=10_000 + order, industry=item.get("industry", ""),
                         replaces=item.get("replaces", ""), by=by)  # fmt: skip
        rule_activate(rule=rule, by=by)
    return version


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _sample_values(sample: dict) -> dict:
    return {k: v for k, v in sample.items() if k != "last"}


def torch_data() -> dict:
    with TORCH.open("rb") as handle:
        return tomllib.load(handle)


def torch_install(*, by=None) -> FormVersion:
    """The torch statistics form (火炬统计), version 1, from the data file shipped with this app."""
    return form_install(data=torch_data(), by=by)
