"""The demo zone's growth pipeline (registered in apps.py), from what the seeds report for 火炬园 (创新创业服务园区):
the 2022 round — 16 recognised (5 re-examined, 11 new, 富美尔 among them after it found a plant) —, 19 firms in the
后备培育库, 33 high-tech firms at the end of 2022 (40.2% of the zone's 82), and later 44 tech SMEs, 40 high-tech,
3 瞪羚, 7 专精特新, 1 小巨人. Certificate numbers, dates and the pool firms' statistics are generated (demo data)."""

import datetime
import random

from django.utils import timezone

from zhuqi.enterprises.models import Enterprise
from zhuqi.indicators.models import Origin
from zhuqi.indicators.selectors import indicator_values_of
from zhuqi.indicators.services import indicator_values_record
from zhuqi.org.models import Role, User

from . import criteria
from .models import AnnualReport, RecognitionRound, Result, RoundEntry, Stage, StageEvent, StageKind

HUOJU = "创新创业服务园区"
MONEY_CODES = {
    "revenue",
    "rd_expense",
    "rd_expense_domestic",
    "high_tech_product_revenue",
    "total_assets",
    "liabilities",
    "total_cost",
}
FUMEIER = "河南富美尔环保科技有限公司"
PLANS = ["科技专员每季度走访一次，辅导研发费用归集与辅助账", "对接高校院所开展产学研合作，补齐核心知识产权",
         "组织参加高企认定政策培训，指导科技人员认定与社保口径", "协调金融机构研发贷款，提高研发投入强度"]  # fmt: skip


def _stage(firm, kind, granted_on, *, number="", plan="", valid_years=None, ended_on=None, end_reason="", by=None):
    valid_until = None
    if valid_years:
        valid_until = granted_on.replace(year=granted_on.year + valid_years) - datetime.timedelta(days=1)
    elif kind == StageKind.TECH_SME:
        valid_until = datetime.date(granted_on.year, 12, 31)
    stage = Stage.objects.create(enterprise=firm, kind=kind, number=number, year=granted_on.year,
                                 granted_on=granted_on, valid_until=valid_until, plan=plan, ended_on=ended_on,
                                 end_reason=end_reason, created_by=by,
                                 review_year=valid_until.year if kind == StageKind.HIGH_TECH else None)  # fmt: skip
    StageEvent.objects.create(stage=stage, action=StageEvent.Action.GRANTED, actor=by)
    if ended_on:
        StageEvent.objects.create(stage=stage, action=StageEvent.Action.ENDED, actor=by, note=end_reason)
    return stage


def _cert(rng, year):
    return f"GR{year}41{rng.randrange(10**6):06d}"


def _statistics(rng, firm, years, *, by, near: bool):
    """Three years of figures for a pool firm, near the 高企 bars (some over, some just short)."""
    revenue = rng.randint(8_000, 90_000) * 1000  # 元
    staff = rng.randint(30, 200)
    existing = indicator_values_of(enterprises=[firm], period=str(years[0])).get(firm.pk, {})
    for i, year in enumerate(years):
        revenue = int(revenue * rng.uniform(1.02, 1.25))
        ratio = rng.uniform(0.036, 0.058) if near else rng.uniform(0.02, 0.07)
        tech = max(1, int(staff * rng.uniform(0.085, 0.16)))
        values = {"revenue": revenue, "rd_expense": int(revenue * ratio), "rd_expense_domestic": int(revenue * ratio),
                  "high_tech_product_revenue": int(revenue * rng.uniform(0.5, 0.8)), "staff": staff, "tech_staff": tech,
                  "total_assets": int(revenue * 1.4), "liabilities": int(revenue * 0.5), "total_cost": int(revenue * 0.9),
                  "founded_year": year - rng.randint(4, 12) if i == 0 else None, "valid_inventions": rng.randint(0, 2),
                  "ip_class2": rng.randint(0, 6), "core_ip_owned": rng.random() < 0.85, "in_key_field": True,
                  "innov_ip_score": rng.randint(16, 30), "innov_transfer_score": rng.randint(15, 28),
                  "innov_mgmt_score": rng.randint(10, 18), "national_award_5y": False,
                  "provincial_rd_institution": rng.random() < 0.2, "standard_led_5y": False}  # fmt: skip
        if i == 0:
            values = {k: v for k, v in values.items() if k not in existing}
        values = {k: v for k, v in values.items() if v is not None}
        indicator_values_record(enterprise=firm, period=str(year), values=values, by=by, origin=Origin.IMPORT,
                                origin_ref="growth.demo", units={k: "元" for k in values if k in MONEY_CODES})  # fmt: skip
        staff = int(staff * rng.uniform(1.0, 1.15))


def load_demo_growth(*, seed: int = 2024) -> int:
    if Stage.objects.exists():
        return Stage.objects.count()
    rng = random.Random(seed + 18)
    criteria.criteria_install()
    office = User.objects.filter(role=Role.ZONE_COORDINATOR).order_by("pk").first()
    huoju = list(Enterprise.objects.filter(park__name=HUOJU).order_by("pk"))
    others = list(Enterprise.objects.exclude(park__name=HUOJU).order_by("pk"))
    rng.shuffle(huoju)
    fumeier = next((f for f in huoju if f.name == FUMEIER), None)
    if fumeier is not None:
        huoju.remove(fumeier)
        huoju.insert(0, fumeier)
    # 火炬园: 5 re-examined in 2022 (first recognised 2019), 17 recognised 2020–2021, 11 new in 2022 (富美尔 first),
    # 7 more by 2024: 40 high-tech; the pool at the end of 2022 holds 19, of which 3 were recognised in 2023–2024
    new_2022, re_exam, earlier = huoju[:11], huoju[11:16], huoju[16:33]
    later = huoju[33:40]
    pool_2022 = later[:3] + huoju[40:56]
    end_2022 = datetime.date(2022, 12, 1)
    for firm in re_exam:
        _stage(firm, StageKind.HIGH_TECH, datetime.date(2019, 12, 2), number=_cert(rng, 2019), valid_years=3, by=office)
    for firm in earlier:
        year = rng.choice([2020, 2021])
        _stage(firm, StageKind.HIGH_TECH, datetime.date(year, 12, rng.randint(1, 15)), number=_cert(rng, year),
               valid_years=3, by=office)  # fmt: skip
    rnd = RecognitionRound.objects.create(
        year=2022, note="创新创业服务园区：认定 16 家（重新认定 5 家、首次认定 11 家）"
    )
    for firm in re_exam + new_2022:
        _stage(firm, StageKind.HIGH_TECH, end_2022, number=_cert(rng, 2022), valid_years=3, by=office)
        RoundEntry.objects.create(round=rnd, enterprise=firm, re_exam=firm in re_exam, from_pool=firm in new_2022,
                                  forecast="eligible", result=Result.PASSED, recorded_by=office)  # fmt: skip
    for firm, reason in zip(pool_2022[3:6], ["研发费用归集不规范，近三年研发费用占比未达 5%",
                                              "科技人员占比 8.7%，未达 10%", "高新技术产品收入占比不足 60%"],
                            strict=False):  # fmt: skip
        RoundEntry.objects.create(round=rnd, enterprise=firm, from_pool=True, forecast="short", result=Result.FAILED,
                                  reasons=reason, recorded_by=office)  # fmt: skip
    for firm in pool_2022:
        _stage(firm, StageKind.POOL, datetime.date(rng.choice([2021, 2022]), rng.randint(3, 9), 1),
               plan=rng.choice(PLANS), by=office)  # fmt: skip
    for i, firm in enumerate(later):
        year = 2023 if i < 4 else 2024
        stage = _stage(firm, StageKind.HIGH_TECH, datetime.date(year, 11, 20), number=_cert(rng, year), valid_years=3,
                       by=office)  # fmt: skip
        for pooled in Stage.objects.filter(enterprise=firm, kind=StageKind.POOL, ended_on__isnull=True):
            pooled.ended_on, pooled.end_reason = stage.granted_on, "认定为高新技术企业"
            pooled.save(update_fields=["ended_on", "end_reason"])
    # the re-examinations of 2025: the 2022 certificates renewed for most
    for firm in re_exam + new_2022[:8] + earlier[:6]:
        if firm in earlier:
            continue
        _stage(firm, StageKind.HIGH_TECH, datetime.date(2025, 12, 1), number=_cert(rng, 2025), valid_years=3, by=office)
    # tech SMEs: 44 in 火炬园 this year, from the pool, the newer high-tech firms and younger firms
    smes = (pool_2022 + new_2022 + later + huoju[56:] + earlier)[:44]
    this_year = timezone.localdate().year
    for firm in smes:
        _stage(firm, StageKind.TECH_SME, datetime.date(this_year, rng.randint(3, 6), rng.randint(1, 28)),
               number=f"{this_year}4104{rng.randrange(10**5):05d}{rng.randrange(10**4):04d}", by=office)  # fmt: skip
    high_tech_now = re_exam + new_2022 + earlier + later
    for firm, kind, years in [*[(f, StageKind.SPECIALISED, 3) for f in high_tech_now[:7]],
                              *[(f, StageKind.GAZELLE, None) for f in high_tech_now[7:10]],
                              (high_tech_now[0], StageKind.LITTLE_GIANT, 3)]:  # fmt: skip
        _stage(firm, kind, datetime.date(2024, rng.randint(5, 10), 1), valid_years=years, by=office,
               number=f"{kind[:2].upper()}2024{rng.randrange(10**4):04d}")  # fmt: skip
    # the rest of the zone: 49 more high-tech firms at the end of 2022 (33 is 40.2% of 82)
    for firm in others[:49]:
        year = rng.choice([2020, 2021, 2022])
        _stage(firm, StageKind.HIGH_TECH, datetime.date(year, 12, rng.randint(1, 15)), number=_cert(rng, year),
               valid_years=3, by=office)  # fmt: skip
    # annual reports on 2025: most filed
    for firm in high_tech_now[:-4]:
        AnnualReport.objects.get_or_create(enterprise=firm, year=this_year - 1,
                                           defaults={"filed_on": datetime.date(this_year, 5, rng.randint(5, 28))})  # fmt: skip
    data_year = this_year - 1
    for firm in pool_2022[3:]:
        _statistics(rng, firm, [data_year - 2, data_year - 1, data_year], by=office, near=True)
    return Stage.objects.count()
