import datetime

import factory

from zhuqi.core.pinyin import initials
from zhuqi.enterprises.credit_code import make_credit_code
from zhuqi.enterprises.models import Contact, Enterprise, Qualification, Tag, Visit
from zhuqi.org.tests.factories import ParkFactory


def credit_code_for(n: int) -> str:
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body, value = "", n
    for _ in range(6):
        value, r = divmod(value, 31)
        body = digits[r] + body
    return make_credit_code(authority="9", kind="1", division="410471", organisation8="MA" + body)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"标签{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试{n}号科技有限公司")
    credit_code = factory.Sequence(credit_code_for)
    name_initials = factory.LazyAttribute(lambda o: initials(o.name))
    park = factory.SubFactory(ParkFactory)
    industry = "C"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "张三"
    phone = "13812345678"
    is_primary = True


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "high_tech"
    certificate_no = factory.Sequence(lambda n: f"GR2024410{n:05d}")
    valid_from = datetime.date(2024, 1, 1)
    valid_until = datetime.date(2026, 12, 31)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    visited_on = datetime.date(2026, 11, 2)
    topics = "了解生产经营情况"
    recorded_by = factory.SubFactory("zhuqi.org.tests.factories.UserFactory")
