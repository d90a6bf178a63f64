"""Drafting a brief from the data: each kind's sentences filled from the modules' figures, read only through the
selectors they register (brief.figures.<module>, assessments.ranking, policies.figures …). A draft is a title,
paragraphs (each with the links of its numbers to the lists behind them), charts and, for the bulletin, the ranking."""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings

from zhuqi.core import registry

from . import wording as w
from .models import BriefKind

# the offices' own names for some grid-incident categories in their briefs
INCIDENT_WORDING = {"占道经营": "店外占道经营", "违规燃放烟花爆竹": "违规烟花爆竹", "燃气隐患": "燃气安全隐患"}
POLLUTANT_NAMES = {"so2": "二氧化硫", "nox": "氮氧化物", "pm": "颗粒物", "vocs": "挥发性有机物"}


class Unavailable(Exception):
    """A kind whose figures no module provides (the bulletin before the assessment is installed)."""


@dataclass
class Unit:
    department: int | None = None
    park: int | None = None
    name: str = ""

    @property
    def pronoun(self) -> str:
        return "该局" if self.department else "该园区" if self.park else "全区"

    @property
    def key(self) -> str:
        return f"department:{self.department}" if self.department else f"park:{self.park}" if self.park else "zone"


@dataclass
class Draft:
    title: str
    subtitle: str = ""
    issuer: str = ""
    paragraphs: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    def say(self, text: str, *links: tuple[str, str | None], heading: bool = False) -> None:
        self.paragraphs.append(
            {"text": text, "heading": heading, "links": [{"text": t, "url": u} for t, u in links if u and t in text]}
        )

    def head(self, text: str) -> None:
        self.say(text, heading=True)


def available(kind: str) -> bool:
    needs = {
        BriefKind.BULLETIN: ["assessments.ranking", "assessments.unit_scores"],
        BriefKind.WEEKLY: ["brief.figures.cases"],
        BriefKind.CAMPAIGN: ["brief.figures.inspections"],
        BriefKind.ALERT: ["brief.figures.pollution"],
    }[kind]
    have = registry.selectors()
    return all(n in have for n in needs)


def _selector(name: str):
    try:
        return registry.selector(name)
    except KeyError:
        raise Unavailable(name) from None


def _optional(name: str):
    return registry.selectors().get(name)


def subjects(kind: str) -> list[dict]:
    """The campaigns or alerts a campaign summary or an alert report may be about."""
    name = {BriefKind.CAMPAIGN: "brief.subjects.inspections", BriefKind.ALERT: "brief.subjects.pollution"}.get(kind)
    found = _optional(name) if name else None
    return found() if found else []


def _count(n: int, measure: str) -> str:
    text = w.about(n)
    return f"{text}{measure}" if text.endswith("余") else f"{text} {measure}"


def _team_kind(names: list[str]) -> str:
    """第一暗访指导组, 第二暗访指导组 → 暗访指导组."""
    kinds = {re.sub(r"^第[一二三四五六七八九十\d]+", "", n) for n in names}
    return kinds.pop() if len(kinds) == 1 else "检查组"


def _campaign_sentence(c: dict, teams: list[str]) -> str:
    return (
        f"{w.span(c['starts_on'], c['ends_on'])}，{c['department']}组建{w.chinese_numeral(c['teams'])}个"
        f"{_team_kind(teams)}、抽调 {c['people']} 名业务骨干，开展“{c['name']}”。"
    )


def weekly(unit: Unit, start: datetime.date, end: datetime.date) -> Draft:
    d = Draft(
        title=f"{unit.name}工作简报",
        subtitle=f"（{w.span(start, end)}）",
        issuer=unit.name,
    )
    who = unit.pronoun
    where = {"department": unit.department, "park": unit.park}
    inspections = _optional("brief.figures.inspections")
    if inspections:
        f = inspections(start=start, end=end, **where)
        for c in f["campaigns"]:
            d.say(_campaign_sentence(c, [t for t, _n in c["per_team"]]))
        if f["visits"]:
            outings, visits = f"{f['outings']} 人次", f"{f['visits']} 家次"
            text = f"截至 {w.month_day(end)}，{who}累计出动 {outings}、检查指导企业 {visits}"
            if f["found"]:
                text += f"，排查隐患 {f['found']} 条、已整改 {f['rectified']} 条"
            d.say(text + "。", (outings, f["url"]), (visits, f["url"]), (f"{f['found']} 条", f["hazards_url"]))
    visits = _optional("brief.figures.enterprises")
    cases = _selector("brief.figures.cases")(start=start, end=end, **where)
    v = visits(start=start, end=end, **where) if visits else {"visits": 0}
    problems = cases["visit_problems"]
    if v["visits"]:
        place = "园区企业" if unit.park else "企业"
        seen = (
            f"{v['enterprises']} 家"
            if v["visits"] == v["enterprises"]
            else f"{v['visits']} 家次（涉及企业 {v['enterprises']} 家）"
        )
        text = f"{w.span(start, end)}，{who}走访{place} {seen}"
        if problems["raised"]:
            text += (
                f"，收集问题 {problems['raised']} 件，帮助企业解决问题 {problems['solved']} 个，"
                f"解决率 {w.percent(problems['solved'], problems['raised'])}"
            )
        d.say(text + "。")
    if cases["received"]:
        received = f"{cases['received']} 件"
        text = f"{who}受理企业诉求 {received}"
        trend = "，".join(t for t in (w.change(cases["received"], cases["previous"], "环比"),
                                     w.change(cases["received"], cases["last_year"], "同比")) if t)  # fmt: skip
        text += f"，{trend}" if trend else ""
        text += f"；已办结 {cases['closed']} 件，办结率 {w.percent(cases['closed'], cases['received'])}。"
        d.say(text, (received, cases["url"]))
    if cases["survey"]:
        survey = _count(cases["survey"], "件")
        d.say(
            f"通过企业满意度调查甄别回复诉求 {survey}，办结率 {w.percent(cases['survey_closed'], cases['survey'])}。",
            (survey, cases["survey_url"]),
        )
    if cases["incidents"]:
        parts = [(f"{INCIDENT_WORDING.get(i['category'], i['category'])} {i['count']} 宗", i["url"])
                 for i in cases["incidents"]]  # fmt: skip
        d.say(f"{w.span(start, end)}，{who}查处" + "、".join(t for t, _u in parts) + "。", *parts)
        d.charts.append({"title": "查处问题分类（宗）",
                         "items": [[INCIDENT_WORDING.get(i["category"], i["category"]), i["count"]]
                                   for i in cases["incidents"]]})  # fmt: skip
    elif cases["received"]:
        d.charts.append({"title": "企业诉求办理（件）",
                         "items": [["本期受理", cases["received"]], ["上期受理", cases["previous"]],
                                   ["去年同期", cases["last_year"]], ["本期办结", cases["closed"]]]})  # fmt: skip
    if not d.paragraphs:
        d.say(f"{w.span(start, end)}，{who}暂无可统计的工作数据。")
    return d


def campaign(unit: Unit, campaign_id: int) -> Draft:
    f = _selector("brief.figures.inspections")(campaign=campaign_id)
    if not f["campaigns"]:
        raise Unavailable("campaign")
    c = f["campaigns"][0]
    d = Draft(title=f"关于{c['name']}工作情况的报告", subtitle="", issuer=c["department"])
    d.head("一、基本情况")
    d.say(_campaign_sentence(c, [t for t, _n in c["per_team"]]))
    outings, visits = f"{f['outings']} 人次", f"{f['visits']} 家次"
    text = (
        f"截至 {w.month_day(c['ends_on'])}，累计出动 {outings}、检查指导企业 {visits}（涉及企业 {f['enterprises']} 家），"
        f"排查隐患 {f['found']} 条、已整改 {f['rectified']} 条"
    )
    if f["found"]:
        text += f"，整改率 {w.percent(f['rectified'], f['found'])}"
    d.say(text + "。", (outings, f["url"]), (visits, f["url"]), (f"{f['found']} 条", f["hazards_url"]))
    if c["per_team"]:
        d.head("二、各组检查情况")
        d.say("；".join(f"{name}检查指导企业 {n} 家次" for name, n in c["per_team"]) + "。")
        d.charts.append({"title": "各组检查指导企业（家次）", "items": [[name, n] for name, n in c["per_team"]]})
    if f["found"] > f["rectified"]:
        d.head("三、下一步工作")
        d.say(f"对尚未整改的 {f['found'] - f['rectified']} 条隐患，督促企业按期整改到位，逐条复查销号。")
    return d


def alert(unit: Unit, alert_id: int) -> Draft:
    s = _selector("brief.figures.pollution")(alert=alert_id)
    if s is None:
        raise Unavailable("alert")
    d = Draft(title=f"{settings.ZHUQI_ZONE_NAME}重污染天气{s['level']}应急响应情况报告", issuer=unit.name)
    d.say(s["sentence"], (f"{s['figures']['counts']['firms']} 家", s["url"]))
    d.head("一、减排成效")
    items = []
    for key, p in s["figures"]["zone"].items():
        if not p["normal"]:
            continue
        achieved = p["achieved_pct"] or 0
        d.say(
            f"{POLLUTANT_NAMES.get(key, key)}正常排放 {p['normal']:.1f} 千克/日，要求减排 {p['required_pct'] or 0}%，"
            f"实际减排 {achieved}%（目标 {s['figures']['target']}%）。"
        )
        items.append([POLLUTANT_NAMES.get(key, key), float(achieved)])
    if items:
        d.charts.append({"title": "各污染物实际减排比例（%）", "items": items})
    return d


def bulletin(unit: Unit, year: int, month: int) -> Draft:
    ranking = _selector("assessments.ranking")(year=year, month=month)
    unit_scores = _selector("assessments.unit_scores")
    d = Draft(
        title=f"关于 {year} 年 {month} 月各部门、园区绩效考核情况的通报",
        subtitle=f"{settings.ZHUQI_ZONE_NAME}管委会办公室",
        issuer=f"{settings.ZHUQI_ZONE_NAME}管委会办公室",
    )
    d.say(f"根据高新区绩效考核办法，现将 {year} 年 {month} 月各部门、园区绩效考核情况通报如下。")
    if not ranking:
        d.say("本月尚无考核结果。")
        return d
    d.head("一、考核排名")
    first = ranking[0]
    d.say(f"本月考核共 {len(ranking)} 个单位参加，{first['unit_name']}以 {first['score']} 分位列第一。",
          (f"{first['score']} 分", first.get("url")))  # fmt: skip
    up = [r for r in ranking if (r.get("movement") or 0) > 0]
    down = [r for r in ranking if (r.get("movement") or 0) < 0]
    if up or down:
        text = "与上月相比，"
        if up:
            text += "名次上升的有" + "、".join(f"{r['unit_name']}（上升 {r['movement']} 位）" for r in up)
        if down:
            text += (
                ("；" if up else "")
                + "名次下降的有"
                + "、".join(f"{r['unit_name']}（下降 {-r['movement']} 位）" for r in down)
            )
        d.say(text + "。")
    last = ranking[-1]
    lost = [s for s in unit_scores(year=year, month=month, unit_key=last["unit_key"])
            if s.get("points") is not None and s.get("max_points") is not None and s["points"] < s["max_points"]]  # fmt: skip
    if lost:
        d.head("二、存在问题")
        d.say(
            f"{last['unit_name']}排名末位，主要失分项为"
            + "、".join(f"{s['name']}（得 {s['points']} 分，满分 {s['max_points']} 分）" for s in lost[:3])
            + "。",
            *[(f"得 {s['points']} 分", s.get("records_url")) for s in lost[:3]],
        )
    policies = _optional("policies.figures")
    if policies:
        p = policies(year=year)
        if p["total"]:
            d.say(f"{year} 年以来，全区兑现惠企政策资金 {w.wan(p['total'])}，惠及企业 {p['firms']} 家。")
    d.head("三、工作要求")
    d.say("各单位要对照考核指标，查找差距，补齐短板，确保各项目标任务按期完成。")
    for r in ranking:
        move = r.get("movement") or 0
        d.rows.append({
            "rank": r["rank"], "name": r["unit_name"], "url": r.get("url"), "score": str(r["score"]),
            "previous": r.get("previous_rank") or "—",
            "movement": f"↑{move}" if move > 0 else f"↓{-move}" if move < 0 else "—",
        })  # fmt: skip
    d.charts.append({"title": "各单位考核得分", "items": [[r["unit_name"], float(r["score"])] for r in ranking]})
    return d


def draft(*, kind: str, unit: Unit, start: datetime.date, end: datetime.date, subject: int | None = None) -> Draft:
    if not available(kind):
        raise Unavailable(kind)
    if kind == BriefKind.BULLETIN:
        return bulletin(unit, start.year, start.month)
    if kind == BriefKind.CAMPAIGN:
        return campaign(unit, subject)
    if kind == BriefKind.ALERT:
        return alert(unit, subject)
    return weekly(unit, start, end)
