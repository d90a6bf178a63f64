import factory

from zhuqi.cases.models import Case, Category, Kind, Source
from zhuqi.org.tests.factories import DepartmentFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["kind", "name"]

    kind = Kind.DEMAND
    name = "用工"
    department = factory.SubFactory(DepartmentFactory, name="人力资源管理局")
    deadline_workdays = 5


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"ZQ2026{n:06d}")
    category = factory.SubFactory(CategoryFactory)
    description = "招工难，急需电工"
    source = Source.ENTERPRISE
