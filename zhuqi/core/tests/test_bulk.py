from zhuqi.core.bulk import insert_rows
from zhuqi.enterprises.models import Tag


def test_bulk_inserted_rows_get_the_model_default_of_every_field_left_out(db):
    insert_rows(Tag, ["name"], [("重点企业",), ("规上企业",)])  # sort_order (NOT NULL, default 0) not named
    assert sorted(Tag.objects.values_list("name", "sort_order")) == [("规上企业", 0), ("重点企业", 0)]
