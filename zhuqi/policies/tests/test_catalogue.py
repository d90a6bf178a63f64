import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from zhuqi.policies import conditions as c
from zhuqi.policies.services import policy_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def handbook(catalogue):
    policy_create(by=catalogue.users["coordinator"], title="研发费用加计扣除", issuer="高新区税务局", category="tax",
                  mode="guidance", summary="研发费用按实际发生额的 100% 在税前加计扣除", valid_from=datetime.date(2025, 1, 1),
                  benefit_kind="none", benefit_text="100% 加计扣除", materials=["研发支出辅助账"], tags=["科技型企业"],
                  conditions=[c.rd_positive("财政部 税务总局公告2023年第7号")], rematch=False)  # fmt: skip
    return catalogue


def test_the_handbook_is_printed_by_category_from_the_catalogue(handbook, client_as):
    client = client_as(handbook.users["enterprise_a"])
    page = client.get(reverse("policy-handbook")).content.decode()
    assert (
        page.index("税费减免")
        < page.index("研发费用加计扣除")
        < page.index("科技创新")
        < page.index("高新技术企业认定奖励")
    )
    document = Document(io.BytesIO(client.get(reverse("policy-handbook-docx")).content))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "平顶山高新区助企手册"
    assert text.index("一、税费减免") < text.index("1. 研发费用加计扣除") < text.index("二、科技创新")
    assert "所需材料：研发支出辅助账" in text


def test_the_catalogue_is_searched_by_words_category_mode_and_tag(handbook, client_as):
    client = client_as(handbook.users["officer_a"])
    page = client.get(reverse("policy-list"), {"q": "加计扣除"}).content.decode()
    assert "研发费用加计扣除" in page and "高新技术企业认定奖励" not in page
    page = client.get(reverse("policy-list"), {"category": "innovation"}).content.decode()
    assert "高新技术企业认定奖励" in page and "研发费用加计扣除" not in page
    page = client.get(reverse("policy-list"), {"tag": "科技型企业", "mode": "guidance"}).content.decode()
    assert "研发费用加计扣除" in page and "高新技术企业认定奖励" not in page
    assert client.get(reverse("policy-list"), {"category": "nonsense"}).status_code == 200
