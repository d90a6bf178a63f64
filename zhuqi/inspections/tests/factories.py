import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from zhuqi.cases.models import Category
from zhuqi.inspections.models import HAZARD_KIND, Checklist, InspectionType, Severity
from zhuqi.inspections.services import checklist_publish

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()

ITEMS = [
    {"section": "消防通道", "text": "消防通道、安全出口畅通", "legal_basis": "《中华人民共和国消防法》第二十八条"},
    {
        "section": "动火作业",
        "text": "动火作业办理作业票并有监护人",
        "legal_basis": "GB 30871-2022",
        "severity": Severity.SERIOUS,
    },
    {
        "section": "储罐区",
        "text": "储罐区报警联锁投用",
        "legal_basis": "重大危险源暂行规定",
        "severity": Severity.MAJOR,
    },
]


def photo(name="hazard.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_checklist(department, by=None, name="节后复工复产安全检查表", items=None) -> Checklist:
    category, _ = Category.objects.get_or_create(
        kind=HAZARD_KIND, name="安全生产隐患", defaults={"department": department, "deadline_workdays": 10}
    )
    checklist = Checklist.objects.create(
        name=name, inspection_type=InspectionType.RESUMPTION, department=department, hazard_category=category
    )
    checklist_publish(by=by, checklist=checklist, items=items or ITEMS)
    return checklist
