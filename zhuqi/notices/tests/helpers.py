import datetime

from django.utils import timezone

from zhuqi.notices import services, training
from zhuqi.notices.models import Requirement

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip


def sent_notice(by, *, criteria, confirm=False, due_in=3, title="节后复工复产安全防范工作提示", **extra):
    notice = services.notice_create(
        by=by, title=title, body="请各企业开展节后复工复产安全自查。", criteria=criteria,
        requirement=Requirement.CONFIRM if confirm else Requirement.READ,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in) if confirm else None,
        confirm_prompt="自查发现的问题和整改情况" if confirm else "", **extra,
    )  # fmt: skip
    return services.notice_send(notice=notice, by=by)


def session_today(by, **extra):
    return training.session_create(by=by, topic="满负荷生产资金奖补政策专题培训会", starts_at=timezone.now(),
                                   place="园区会议室", **extra)  # fmt: skip
