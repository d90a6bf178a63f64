"""The demo zone's torch statistics (registered in apps.py): the 2023 returns of its high-tech and above-scale
firms, filed and approved, and the 2024 campaign under way — most returns in, some reviewed, one sent back,
a few not started (among them the demo firm's own login, to fill). Figures are generated (samples.py) and
marked demo data like the firms themselves; the shape follows the firm's scale and qualification."""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from zhuqi.core.roles import Role
from zhuqi.enterprises.models import Enterprise, QualificationKind, Scale
from zhuqi.indicators.models import Origin
from zhuqi.indicators.services import indicator_values_record
from zhuqi.org.models import User

from .definitions import torch_install
from .models import Return, ReturnEvent, ReturnState
from .samples import firm_years
from .selectors import values_clean, version_fields
from .services import campaign_create
from .workflow import Action

S = ReturnState


def _filed(ret, values, *, by, park_officer, office, state, at, comment=""):
    """A return as if filed through the pages: its values, its events, and (once submitted) its indicator values."""
    fields = version_fields(ret.campaign.version)
    cleaned, _problems = values_clean(fields, values)
    ret.values, ret.state = cleaned, state
    steps = {S.SAVED: [Action.SAVE], S.SUBMITTED: [Action.SAVE, Action.SUBMIT],
             S.PARK_APPROVED: [Action.SAVE, Action.SUBMIT, Action.PARK_APPROVE],
             S.ZONE_APPROVED: [Action.SAVE, Action.SUBMIT, Action.PARK_APPROVE, Action.ZONE_APPROVE]}[state]  # fmt: skip
    if comment:
        steps = [Action.SAVE, Action.SUBMIT, Action.PARK_RETURN]
    actors = {Action.SAVE: by, Action.SUBMIT: by, Action.PARK_APPROVE: park_officer, Action.PARK_RETURN: park_officer,
              Action.ZONE_APPROVE: office}  # fmt: skip
    targets = {Action.SAVE: S.SAVED, Action.SUBMIT: S.SUBMITTED, Action.PARK_APPROVE: S.PARK_APPROVED,
               Action.PARK_RETURN: S.SAVED, Action.ZONE_APPROVE: S.ZONE_APPROVED}  # fmt: skip
    before, events = S.NOT_STARTED, []
    for n, action in enumerate(steps):
        events.append(ReturnEvent(ret=ret, action=action, from_state=before, to_state=targets[action], by=actors[action],
                                  at=at + datetime.timedelta(days=2 * n), comment=comment if action == Action.PARK_RETURN else ""))  # fmt: skip
        before = targets[action]
    if Action.SUBMIT in steps:
        ret.submitted_at = at + datetime.timedelta(days=2)
        indicator_values_record(enterprise=ret.enterprise, period=ret.campaign.period, by=by, origin=Origin.RETURN,
                                origin_ref=f"reporting.return:{ret.pk}", origin_version=ret.campaign.version.label,
                                values=cleaned, units={f.indicator.code: f.unit for f in fields if f.unit})  # fmt: skip
    ret.explanations = {"revenue.yoy": "新产线投产，订单增加"} if ret.pk % 7 == 0 else {}
    ret.version += len(steps)
    ret.save()
    ReturnEvent.objects.bulk_create(events)


def load_demo_returns(*, seed: int = 2024, today: datetime.date | None = None) -> int:
    rng = random.Random(seed + 16)
    today = today or timezone.localdate()
    office = User.objects.filter(role=Role.ZONE_COORDINATOR, is_active=True).order_by("pk").first()
    if office is None:
        return 0
    version = torch_install(by=office)
    firms = list(
        Enterprise.objects.filter(Q(scale=Scale.ABOVE) | Q(qualifications__kind=QualificationKind.HIGH_TECH))
        .distinct().select_related("park").order_by("pk")
    )  # fmt: skip
    if not firms:
        return 0
    high_tech = set(
        Enterprise.objects.filter(qualifications__kind=QualificationKind.HIGH_TECH).values_list("pk", flat=True)
    )
    officers = {u.park_id: u for u in User.objects.filter(role=Role.PARK_OFFICER).order_by("pk")}
    contacts = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE_CONTACT)}
    years = {}
    for firm in firms:
        above = firm.scale == Scale.ABOVE
        revenue = rng.uniform(22_000, 400_000) if above else rng.uniform(3_000, 19_000)
        growth = rng.choice([rng.uniform(-0.1, 0.25)] * 6 + [rng.uniform(0.32, 0.6)])
        years[firm.pk] = firm_years(seed * 1000 + firm.pk, revenue=revenue, growths=[growth], high_tech=firm.pk in high_tech,
                                    founded=rng.randint(1998, 2019), industry=firm.industry or "C")  # fmt: skip

    c2023 = campaign_create(version=version, period="2023", title="2023 年火炬统计年报", opens_on=datetime.date(2024, 1, 5),
                            due_on=datetime.date(2024, 3, 31), closes_on=datetime.date(2024, 4, 15), by=office,
                            enterprise_ids=[f.pk for f in firms], criteria={"high_tech": True, "scale": "above"})  # fmt: skip
    filed_at = datetime.datetime(2024, 2, 20, 2, tzinfo=datetime.UTC)
    for ret in c2023.returns.select_related("enterprise", "campaign__version__form"):
        _filed(ret, years[ret.enterprise_id][0], by=contacts.get(ret.enterprise_id, office),
               park_officer=officers.get(ret.enterprise.park_id, office), office=office, state=S.ZONE_APPROVED, at=filed_at)  # fmt: skip

    c2024 = campaign_create(version=version, period="2024", title="2024 年火炬统计年报", by=office,
                            opens_on=today - datetime.timedelta(days=20), due_on=today + datetime.timedelta(days=25),
                            closes_on=today + datetime.timedelta(days=40), enterprise_ids=[f.pk for f in firms],
                            criteria={"high_tech": True, "scale": "above"})  # fmt: skip
    filed_at = timezone.now() - datetime.timedelta(days=15)
    sent_back = False
    for ret in c2024.returns.select_related("enterprise", "campaign__version__form").order_by("pk"):
        if ret.enterprise_id in contacts:
            continue  # the demo logins fill their own
        state = rng.choice(
            [S.SUBMITTED] * 4 + [S.PARK_APPROVED] * 2 + [S.ZONE_APPROVED, S.SAVED, S.NOT_STARTED, S.NOT_STARTED]
        )
        if state == S.NOT_STARTED:
            continue
        comment = ""
        if state == S.SAVED and not sent_back:
            comment, sent_back = "研发费用与加计扣除申报数不一致，请核对后重新提交", True
        _filed(ret, years[ret.enterprise_id][1], by=office, park_officer=officers.get(ret.enterprise.park_id, office),
               office=office, state=state, at=filed_at, comment=comment)  # fmt: skip
    return Return.objects.filter(campaign__in=[c2023, c2024]).exclude(state=S.NOT_STARTED).count()
