"""The SMS each notice about a case sends: which firm, what, and by when, in one message (core.sms_text).

SMS in China go out in Chinese under the platform's signature, whatever language the recipient's pages use, so
these patterns are written in Chinese rather than translated."""

from zhuqi.core.sms_text import firm_short, short_date, sms_fit

from .models import Case, SupervisionNotice
from .workflow import SMS_ASKED, Action, action_label

# what the person told is asked to do; {due} is the case's deadline
_ASKED = {
    "raise": "新提交，请交办",
    Action.ASSIGN: "已交办，请于{due}前办结",
    Action.ROUTE: "已分派，请于{due}前办结",
    Action.TRANSFER: "已转办，请于{due}前办结",
    Action.RETURN: "被退回，请重新交办",
    Action.ACCEPT: "已受理，{due}前办结",
    Action.REQUEST_EXTENSION: "申请延期，请审批",
    Action.DECIDE_EXTENSION: "延期已审批，时限{due}",
    Action.REPORT_RESULT: "已反馈办理结果，请核查",
    Action.VERIFY: "已办结，请评价",
    Action.REJECT_RESULT: "核查未通过，请于{due}前重办",
    Action.REOPEN: "重新办理，请于{due}前办结",
}


def _fit(case: Case, asked: str) -> str:
    if case.enterprise_id:
        firm = firm_short(case.enterprise.name)
        return sms_fit(
            "{firm}「{what}」{number}{asked}", shrink={"firm": firm, "what": case.category.name},
            number=case.number, asked=asked,
        )  # fmt: skip
    return sms_fit("「{what}」{number}{asked}", shrink={"what": case.category.name}, number=case.number, asked=asked)


def case_action_sms(case: Case, action) -> str:
    if action == Action.SUPERVISE:
        notice = SupervisionNotice.objects.filter(case=case).order_by("-pk").first()
        asked = f"被督办，请于{short_date(notice.reply_due)}前书面回复" if notice else "被督办，请书面回复"
    else:
        asked = _ASKED.get(action) or SMS_ASKED.get(action) or f"{action_label(action)}，请查看"
        if "{due}" in asked:
            asked = (
                asked.format(due=short_date(case.deadline)) if case.deadline else asked.split("，")[0] + "，请尽快办理"
            )
    return _fit(case, asked)


def reminder_sms(case: Case, kind: str) -> str:
    due = short_date(case.deadline)
    asked = {
        "overdue": f"已逾期（时限{due}），请尽快办结",
        "due_today": f"今日（{due}）到期，请今日办结",
        "warning": f"时限已过八成，请于{due}前办结",
    }[kind]
    return _fit(case, asked)


def reply_due_sms(notice: SupervisionNotice) -> str:
    asked = f"督办回复{short_date(notice.reply_due)}到期，请书面回复"
    return _fit(notice.case, asked)
