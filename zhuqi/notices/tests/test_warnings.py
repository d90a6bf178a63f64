"""A warning in the national exchange format (GB/T 35965.1, CAP 1.2) becomes a draft notice; a file that is not
well-formed, has another namespace or declares a DTD or entities is refused in Chinese, and nothing is kept."""

import pytest
from django.urls import reverse

from zhuqi.core.errors import DomainError
from zhuqi.notices.cap import warning_import, warning_parse
from zhuqi.notices.models import Notice

pytestmark = pytest.mark.django_db

ALERT = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>41040041600000_20240203103000</identifier>
  <sender>平顶山市气象台</sender>
  <sent>2024-02-03T10:30:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <language>zh-CN</language><category>Met</category><event>暴雪</event>
    <urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
    <effective>2024-02-03T10:30:00+08:00</effective><expires>2024-02-04T10:30:00+08:00</expires>
    <senderName>平顶山市气象台</senderName>
    <headline>平顶山市气象台发布暴雪橙色预警信号</headline>
    <description>预计未来12小时我市将出现暴雪天气，降雪量将达10毫米以上。</description>
    <instruction>做好道路清扫和积雪融化工作，加固棚架等易被雪压的临时搭建物。</instruction>
    <area><areaDesc>平顶山市</areaDesc></area>
  </info>
</alert>"""


def test_a_cap_alert_gives_the_warnings_level_area_and_validity():
    fields = warning_parse(ALERT.encode())
    assert fields["level"] == "orange" and fields["area"] == "平顶山市" and fields["event"] == "暴雪"
    assert fields["expires_at"].isoformat() == "2024-02-04T10:30:00+08:00"
    assert fields["source_name"] == "平顶山市气象台" and fields["measures"].startswith("做好道路清扫")


def test_an_imported_warning_is_a_draft_of_the_department(zone, client):
    client.force_login(zone.users["department"])
    upload = {"file": ("alert.xml", ALERT.encode())}
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(reverse("warning-import"), {"file": SimpleUploadedFile(*upload["file"], "text/xml")})
    notice = Notice.objects.get()
    assert answer.status_code == 302 and notice.kind == "warning" and notice.status == "draft"
    assert notice.department == zone.users["department"].department and notice.level == "orange"
    # the department sends it to one of its saved audiences, asking for a confirmation within working days
    from zhuqi.enterprises.models import Scale
    from zhuqi.notices.services import notice_create

    saved = notice_create(by=zone.users["department"], title="前次", body="正文", audience_name="规下企业",
                          criteria={"scales": [Scale.BELOW]}).audience  # fmt: skip
    answer = client.post(reverse("notice-edit-audience", args=[notice.pk]), {
        "kind": "warning", "title": notice.title, "body": notice.body, "requirement": "confirm", "due_workdays": 2,
        "audience": saved.pk, "measures": "加固临时搭建物"})  # fmt: skip
    notice.refresh_from_db()
    assert answer.status_code == 302 and notice.audience == saved and notice.criteria == {"scales": [Scale.BELOW]}
    assert notice.due_on is not None and notice.measures == "加固临时搭建物"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>1</identifier>",
            "预警文件不是格式正确的 XML",
        ),
        (ALERT.replace("cap:1.2", "cap:1.1").encode(), "不是 CAP 1.2 预警信息"),
        (
            b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x "boom">]>'
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>',
            "预警文件声明了 DTD 或实体",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE alert SYSTEM "http://example.invalid/a.dtd">'
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
            "预警文件声明了 DTD 或实体",
        ),
        (b"", "预警文件是空的"),
    ],
    ids=["not-well-formed", "wrong-namespace", "entity-declared", "external-dtd", "empty"],
)
def test_a_file_that_is_not_a_safe_cap_alert_is_refused_in_chinese_and_nothing_is_kept(zone, data, message):
    with pytest.raises(DomainError) as refused:
        warning_import(by=zone.users["department"], data=data)
    assert refused.value.message.startswith(message)
    assert not Notice.objects.exists()
