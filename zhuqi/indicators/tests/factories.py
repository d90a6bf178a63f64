import factory

from zhuqi.indicators.models import Indicator, RuleSet


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    value_kind = "amount"
    unit = "千元"


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    code = factory.Sequence(lambda n: f"set-{n}")
    name = factory.Sequence(lambda n: f"规则集{n}")


def some_indicators():
    return {
        "revenue": IndicatorFactory(code="revenue", name="营业收入"),
        "rd_expense": IndicatorFactory(code="rd_expense", name="研发费用"),
        "staff": IndicatorFactory(code="staff", name="年末从业人员", value_kind="integer", unit="人"),
        "rd_staff": IndicatorFactory(code="rd_staff", name="研究开发人员", value_kind="integer", unit="人"),
        "share": IndicatorFactory(code="share", name="出口占比", value_kind="decimal", unit="%"),
    }
