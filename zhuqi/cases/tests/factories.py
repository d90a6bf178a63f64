import factory

from zhuqi.cases.figures import contribution, rollup_move
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
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"ZQ2026{n:06d}")
    category = factory.SubFactory(CategoryFactory)
    kind = factory.SelfAttribute("category.kind")  # as case_raise sets it
    description = "招工难，急需电工"
    source = Source.ENTERPRISE

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        """Built cases count in the monthly figures as the services' cases do."""
        if create:
            rollup_move(None, contribution(obj))
