"""The demo zone's 助企手册 (registered in apps.py): 7 大类 25 项, with believable conditions written as rules of the
shared engine, matched against the demo firms; the payments the zone's newspaper reported — the 满负荷生产奖补
(16 above-scale firms of 皇台产业园区 trained, 5 paid 140 万元 in total) and 创业担保贷款 (830 万元 since January)
— and a 高企认定奖励 round drawn 免申即享 and confirmed by 科技创新局, waiting for the firms' confirmation.
Titles and document numbers are the demo's own (generated), in the style of the zone's documents."""

import datetime
from decimal import Decimal

from django.utils import timezone

from zhuqi.enterprises.models import Enterprise, Scale
from zhuqi.org.models import Department, Park, Role, User

from . import conditions as c
from . import matching
from .models import Category, Mode, Policy
from .services import payment_record, policy_create, round_approve, round_draw

ZONE = "平顶山高新区管委会"
DOC = "平高管〔{}〕{}号（演示）"


def _catalogue(year: int) -> list[dict]:
    a = DOC.format(year - 1, 12)  # 关于支持实体经济高质量发展的若干措施 (demo)
    b = DOC.format(year - 1, 15)  # 科技创新若干政策 (demo)
    return [
        # 资金奖补
        dict(title="满负荷生产奖补", category=Category.FUNDS, mode=Mode.FAST, department="经济发展局", doc=a,
             summary="对满负荷生产、产值稳定增长的规模以上工业企业给予一次性奖补，最高 50 万元。",
             benefit="industrial_output >= 500000000 ? 500000 : (industrial_output >= 100000000 ? 300000 : 200000)",
             benefit_kind="tiers", benefit_text="工业总产值 5 亿元以上奖 50 万元，1 亿元以上奖 30 万元，其余 20 万元",
             conditions=[c.above_scale(f"{a} 第二条第（一）款"), c.output_at_least(2000, f"{a} 第二条第（二）款"),
                         c.taxes_at_least(50, f"{a} 第二条第（三）款")],
             materials=["奖补申请表", "电费缴纳凭证", "增值税纳税申报表"], tags=["规上工业企业"], budget=3000000),
        dict(title="首次升规入统奖励", category=Category.FUNDS, mode=Mode.AUTOMATIC, department="经济发展局", doc=a,
             summary="对当年首次纳入规模以上统计的工业企业一次性奖励 10 万元。", benefit="100000", benefit_text="一次性奖励 10 万元",
             conditions=[c.above_scale(f"{a} 第三条"), c.revenue_at_least(2000, f"{a} 第三条")], tags=["规上工业企业"]),
        dict(title="工业企业技术改造补助", category=Category.FUNDS, mode=Mode.APPLY, department="经济发展局", doc=a,
             summary="对设备投资 500 万元以上的技术改造项目，按设备投资额的 8% 给予补助，最高 200 万元。",
             benefit="", benefit_text="设备投资额的 8%，最高 200 万元",
             conditions=[c.above_scale(f"{a} 第四条"), c.taxes_at_least(30, f"{a} 第四条")],
             materials=["项目备案文件", "设备购置发票", "专项审计报告"], tags=["规上工业企业"]),
        dict(title="稳岗返还", category=Category.FUNDS, mode=Mode.AUTOMATIC, department="人力资源管理局",
             doc="豫人社规〔2023〕（演示）", level="province",
             summary="不裁员或少裁员的参保企业，按上年度实际缴纳失业保险费的一定比例返还。",
             benefit="staff * 300", benefit_kind="share", benefit_text="按参保人数每人 300 元返还",
             conditions=[c.staff_at_least(10, "豫人社规〔2023〕（演示） 第一条")], tags=["参保企业"]),
        # 税费减免
        dict(title="研发费用加计扣除", category=Category.TAX, mode=Mode.GUIDANCE, department="高新区税务局",
             doc="财政部 税务总局公告2023年第7号", level="national",
             summary="企业开展研发活动中实际发生的研发费用，在按规定据实扣除的基础上，再按实际发生额的 100% 在税前加计扣除。"
                     "随企业所得税年度申报（或 10 月预缴申报）享受，无需审批。",
             benefit="", benefit_kind="none", benefit_text="按研发费用实际发生额的 100% 税前加计扣除",
             conditions=[c.rd_positive("财政部 税务总局公告2023年第7号 第一条")],
             materials=["研发项目立项文件", "研发支出辅助账"], tags=["科技型企业"]),
        dict(title="高新技术企业所得税优惠", category=Category.TAX, mode=Mode.GUIDANCE, department="高新区税务局",
             doc="企业所得税法第二十八条", level="national", summary="高新技术企业减按 15% 的税率征收企业所得税。",
             benefit="", benefit_kind="none", benefit_text="减按 15% 税率征收企业所得税",
             conditions=[c.high_tech("企业所得税法第二十八条")], tags=["高新技术企业"]),
        dict(title="小型微利企业所得税优惠", category=Category.TAX, mode=Mode.GUIDANCE, department="高新区税务局",
             doc="财政部 税务总局公告2023年第12号", level="national",
             summary="对小型微利企业减按 25% 计算应纳税所得额，按 20% 的税率缴纳企业所得税。",
             benefit="", benefit_kind="none", benefit_text="实际税负 5%",
             conditions=[c.staff_at_most(300, "财政部 税务总局公告2023年第12号 第三条")], tags=["小微企业"]),
        dict(title="城镇土地使用税困难减免", category=Category.TAX, mode=Mode.APPLY, department="高新区税务局",
             doc="豫财税〔2022〕（演示）", level="province", summary="纳税确有困难的企业可申请减免城镇土地使用税。",
             benefit="", benefit_text="按核准困难程度减免",
             conditions=[c.taxes_at_least(1, "豫财税〔2022〕（演示） 第二条")], materials=["减免申请", "财务报表"]),
        # 金融支持
        dict(title="创业担保贷款", category=Category.FINANCE, mode=Mode.APPLY, department="人力资源管理局",
             doc="豫人社〔2023〕（演示）", level="province",
             summary="小微企业当年新招用符合条件人员达到职工总数 15%（超过 100 人的企业达 8%）的，可申请最高 300 万元创业担保贷款，财政贴息。",
             benefit="", benefit_text="最高 300 万元，财政贴息",
             conditions=[c.staff_at_most(300, "豫人社〔2023〕（演示） 第五条")],
             materials=["贷款申请表", "新招用人员名单及劳动合同", "营业执照"], tags=["小微企业"]),
        dict(title="科技贷款贴息", category=Category.FINANCE, mode=Mode.APPLY, department="科技创新局", doc=b,
             summary="对科技型企业获得的银行贷款按贷款利息的 50% 给予贴息，最高 50 万元。", benefit="",
             benefit_text="利息的 50%，最高 50 万元", conditions=[c.rd_share_at_least(3, f"{b} 第六条")],
             materials=["贷款合同", "付息凭证"], tags=["科技型企业"]),
        dict(title="上市挂牌奖励", category=Category.FINANCE, mode=Mode.APPLY, department="经济发展局", doc=a,
             summary="对在沪深北交易所上市的企业分阶段奖励 300 万元，在区域性股权市场挂牌的奖励 10 万元。", benefit="",
             benefit_text="上市 300 万元，挂牌 10 万元", conditions=[c.revenue_at_least(5000, f"{a} 第九条")]),
        # 人才
        dict(title="高层次人才引进补贴", category=Category.TALENT, mode=Mode.APPLY, department="人力资源管理局",
             doc=DOC.format(year - 1, 21), summary="企业全职引进博士或正高级职称人才，给予每人每月 3000 元生活补贴，连续 3 年。",
             benefit="", benefit_text="每人每月 3000 元，连续 3 年", conditions=[c.staff_at_least(20, "第二条")],
             materials=["学历学位证书", "劳动合同", "社保缴纳证明"]),
        dict(title="高校毕业生就业见习补贴", category=Category.TALENT, mode=Mode.APPLY, department="人力资源管理局",
             doc="平人社〔2023〕（演示）", level="city", summary="吸纳离校 2 年内未就业高校毕业生参加见习的，按当地最低工资标准的 60% 给予补贴。",
             benefit="", benefit_text="最低工资标准的 60%", conditions=[c.staff_at_least(5, "第三条")]),
        dict(title="技能人才培训补贴", category=Category.TALENT, mode=Mode.FAST, department="人力资源管理局",
             doc="平人社〔2023〕（演示）", level="city", summary="企业组织职工参加职业技能培训并取得证书的，每人补贴 1000—2000 元。",
             benefit="", benefit_text="每人 1000—2000 元", conditions=[c.staff_at_least(10, "第四条")]),
        # 科技创新
        dict(title="高新技术企业认定奖励", category=Category.INNOVATION, mode=Mode.AUTOMATIC, department="科技创新局", doc=b,
             summary="对首次认定的高新技术企业奖励 10 万元，重新认定的奖励 5 万元，免申即享。",
             benefit="100000", benefit_text="首次认定奖励 10 万元", budget=3000000,
             conditions=[c.high_tech(f"{b} 第二条"), c.rd_share_at_least(3, f"{b} 第二条")], exclusions=True,
             tags=["高新技术企业"]),
        dict(title="科技型中小企业研发费用补助", category=Category.INNOVATION, mode=Mode.AUTOMATIC,
             department="科技创新局", doc=b,
             summary="对入库科技型中小企业按上年度研发费用的 5% 给予补助，最高 20 万元。",
             benefit="rd_expense * 5 / 100 > 200000 ? 200000 : rd_expense * 5 / 100", benefit_kind="share",
             benefit_text="研发费用的 5%，最高 20 万元", exclusions=True,
             conditions=[c.rd_share_at_least(3, f"{b} 第三条"), c.staff_at_most(500, f"{b} 第三条")], tags=["科技型中小企业"]),
        dict(title="研发平台建设奖励", category=Category.INNOVATION, mode=Mode.APPLY, department="科技创新局", doc=b,
             summary="新认定国家级、省级、市级研发平台分别奖励 100 万元、30 万元、10 万元。", benefit="",
             benefit_text="国家级 100 万元，省级 30 万元，市级 10 万元",
             conditions=[c.rd_share_at_least(3, f"{b} 第四条"), c.inventions_at_least(2, f"{b} 第四条")],
             materials=["认定文件", "平台建设情况说明"]),
        dict(title="发明专利资助", category=Category.INNOVATION, mode=Mode.FAST, department="科技创新局", doc=b,
             summary="企业获得国内发明专利授权的，每件资助 5000 元。", benefit="valid_inventions * 5000", benefit_kind="share",
             benefit_text="每件 5000 元", conditions=[c.inventions_at_least(1, f"{b} 第五条")],
             materials=["发明专利证书", "年费缴纳凭证"]),
        # 用地用能
        dict(title="标准化厂房租金减免", category=Category.LAND, mode=Mode.APPLY, department="经济发展局", doc=a,
             summary="入驻园区标准化厂房的科技型企业，前两年租金全免，第三年减半。", benefit="",
             benefit_text="两免一减半", conditions=[c.rd_positive(f"{a} 第十二条")], materials=["租赁合同"]),
        dict(title="工业用地弹性出让", category=Category.LAND, mode=Mode.APPLY, department="城乡建设和生态环境局",
             doc=a, summary="工业用地可按 10—20 年弹性年期出让，或先租后让。", benefit="", benefit_kind="none",
             benefit_text="弹性年期出让、先租后让", conditions=[c.above_scale(f"{a} 第十三条")]),
        dict(title="电力需求侧管理补贴", category=Category.LAND, mode=Mode.FAST, department="经济发展局", doc=a,
             summary="参与电力需求响应的工业企业按响应负荷给予补贴。", benefit="", benefit_text="按响应负荷补贴",
             conditions=[c.above_scale(f"{a} 第十四条"), c.output_at_least(5000, f"{a} 第十四条")],
             materials=["需求响应确认单"]),
        # 服务便利
        dict(title="首席服务官一对一服务", category=Category.SERVICE, mode=Mode.GUIDANCE, department=None,
             doc="万人助万企（演示）", summary="每家企业配备首席服务官，问题通过平台提交，限时办结、结果回访。",
             benefit="", benefit_kind="none", benefit_text="限时办结", conditions=[c.staff_at_least(1, "万人助万企")]),
        dict(title="企业开办一日办结", category=Category.SERVICE, mode=Mode.GUIDANCE, department=None,
             doc="平高管〔2022〕（演示）", summary="企业登记、刻章、发票申领、社保登记一窗受理，一日办结。", benefit="",
             benefit_kind="none", benefit_text="一日办结", conditions=[c.staff_at_least(1, "第二条")]),
        dict(title="项目审批代办", category=Category.SERVICE, mode=Mode.GUIDANCE, department="经济发展局",
             doc="平高管〔2022〕（演示）", summary="工业项目从立项到竣工验收全程免费代办。", benefit="",
             benefit_kind="none", benefit_text="全程免费代办", conditions=[c.above_scale("第三条")]),
        dict(title="涉企检查“白名单”", category=Category.SERVICE, mode=Mode.GUIDANCE, department="应急管理局",
             doc="平高安委办〔2023〕（演示）", summary="列入白名单的企业原则上不开展现场检查（投诉举报、事故除外），以非现场监管为主。",
             benefit="", benefit_kind="none", benefit_text="无事不扰", conditions=[c.above_scale("第二条")],
             exclusions=True),
    ]  # fmt: skip


def load_demo_policies(*, seed: int = 2024) -> int:
    office = User.objects.filter(role=Role.ZONE_COORDINATOR, is_active=True).order_by("pk").first()
    if office is None or Policy.objects.exists():
        return 0
    c.indicators_ensure()
    today = timezone.localdate()
    departments = {d.name: d for d in Department.objects.all()}
    policies = {}
    for item in _catalogue(today.year):
        item = dict(item)
        title = item.pop("title")
        policies[title] = policy_create(
            by=office, rematch=False, title=title, doc_number=item.pop("doc"), issuer=ZONE if
            item.get("level", "zone") == "zone" else item.get("department") or ZONE,
            department=departments.get(item.pop("department") or ""), level=item.pop("level", "zone"),
            category=item.pop("category"), mode=item.pop("mode"), summary=item.pop("summary"),
            conditions=item.pop("conditions"), exclusions=c.EXCLUSIONS if item.pop("exclusions", False) else None,
            benefit=item.pop("benefit"), benefit_kind=item.pop("benefit_kind", "fixed"),
            benefit_text=item.pop("benefit_text"), materials=item.pop("materials", []), tags=item.pop("tags", []),
            budget=item.pop("budget", None), valid_from=datetime.date(today.year - 1, 1, 1),
            contacts="0375-（演示）", full_text="",
        )  # fmt: skip
    _staff_reported(office, today)
    matching.match_run(notify_new=False)
    _payments(policies, office, today)
    science = User.objects.filter(role=Role.DEPARTMENT_HANDLER, department__name="科技创新局").first() or office
    rnd = round_draw(policy=policies["高新技术企业认定奖励"], by=office)
    round_approve(round=rnd, by=office if science == office else science)
    # 稳岗返还: drawn and confirmed by 人力资源管理局, the firms (森源 among them) asked for their one-tap confirmation
    labour = User.objects.filter(role=Role.DEPARTMENT_HANDLER, department__name="人力资源管理局").first() or office
    rnd = round_draw(policy=policies["稳岗返还"], by=office)
    round_approve(round=rnd, by=labour)
    _applications(policies, office, today)
    return len(policies)


def _staff_reported(office, today):
    """森源 reports its headcount for last year (年末从业人员), so that 稳岗返还 lists it: its 工作台 then asks it to
    confirm the 免申即享 money."""
    from zhuqi.indicators.services import indicator_values_record

    senyuan = User.objects.filter(username="senyuan", role=Role.ENTERPRISE_CONTACT).select_related("enterprise").first()
    if senyuan is not None and senyuan.enterprise is not None:
        indicator_values_record(enterprise=senyuan.enterprise, period=str(today.year - 1), by=office,
                                values={"staff": senyuan.enterprise.headcount or 741})  # fmt: skip


def _upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{name}.pdf", DEMO_PDF, content_type="application/pdf")


DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _applications(policies, office, today):
    """申报 at every step, all 森源's (the demo's firm): 发明专利资助 in publicity, 科技贷款贴息 returned by the park for
    supplement, 研发平台建设奖励 paid, 电力需求侧管理补贴 waiting for the park's initial review. The steps are taken
    through the case engine today; the paid one's dates are set back to when its weeks would have fallen (the demo
    condenses them)."""
    from .applications import ApplicationAction as P
    from .applications import application_act, application_submit
    from .models import Application

    senyuan = User.objects.filter(username="senyuan", role=Role.ENTERPRISE_CONTACT).first()
    if senyuan is None or senyuan.enterprise is None:
        return
    officer = User.objects.filter(role=Role.PARK_OFFICER, park=senyuan.enterprise.park, is_active=True).order_by("pk")
    officer = officer.first()

    def handler(policy):
        return User.objects.filter(role=Role.DEPARTMENT_HANDLER, department=policy.department, is_active=True).first()

    def apply(title, amount, note=""):
        policy = policies[title]
        return application_submit(by=senyuan, policy=policy, amount=amount, note=note,
                                  materials={name: _upload(name) for name in policy.materials})  # fmt: skip

    platform = apply("研发平台建设奖励", "500000", "省级工程技术研究中心认定")
    science = handler(platform.policy)
    if officer is None or science is None:
        return
    platform = application_act(application=platform, action=P.PARK_PASS, by=officer, comment="已现场核实")
    platform = application_act(application=platform, action=P.APPROVE, by=science, amount="500000",
                               comment="省级工程技术研究中心，奖励 50 万元")  # fmt: skip
    Application.objects.filter(pk=platform.pk).update(submitted_on=today - datetime.timedelta(days=45),
                                                     publicity_until=today - datetime.timedelta(days=14))  # fmt: skip
    platform.refresh_from_db()
    application_act(application=platform, action=P.PAY, by=science, comment="财政直达资金拨付")

    patent = apply("发明专利资助", "20000", "发明专利 4 件")
    patent = application_act(application=patent, action=P.PARK_PASS, by=officer, comment="专利证书与缴费凭证齐全")
    application_act(application=patent, action=P.APPROVE, by=science, amount="15000",
                    comment="已授权发明专利 3 件，每件 5000 元；1 件尚在审查，不予计入")  # fmt: skip

    loan = apply("科技贷款贴息", "86000")
    application_act(application=loan, action=P.PARK_RETURN, by=officer, comment="贷款合同缺少银行盖章页，请补充上传")

    apply("电力需求侧管理补贴", "60000", "参与 7 月需求响应 2 次")


def _payments(policies, office, today):
    """满负荷生产奖补: 5 firms of 皇台产业园区 (the above-scale first) paid 140 万元 in total after the training;
    创业担保贷款: 830 万元 lent since January, to small firms."""
    park = Park.objects.filter(name="皇台产业园区").first()
    firms = list(Enterprise.objects.filter(park=park).order_by("-scale", "pk")[:5]) if park else []
    if len(firms) < 5:
        firms += list(
            Enterprise.objects.filter(scale=Scale.ABOVE).exclude(pk__in=[f.pk for f in firms])[: 5 - len(firms)]
        )
    paid_on = datetime.date(today.year, 3, 28) if today.month > 3 else today - datetime.timedelta(days=30)
    for firm, wan in zip(firms, [50, 30, 20, 20, 20], strict=False):
        payment_record(policy=policies["满负荷生产奖补"], enterprise=firm, amount=Decimal(wan * 10000), paid_on=paid_on,
                       started_on=paid_on - datetime.timedelta(days=52), by=office, note="培训后申报，园区初审、经发局审核")  # fmt: skip
    small = list(Enterprise.objects.filter(scale=Scale.BELOW).order_by("pk")[:14])
    loans = [100, 100, 80, 60, 60, 50, 50, 50, 50, 50, 50, 40, 40, 50]  # 830 万元
    for i, (firm, wan) in enumerate(zip(small, loans, strict=False)):
        day = datetime.date(today.year, 1, 15) + datetime.timedelta(
            days=min(i * 20, (today - datetime.date(today.year, 1, 15)).days)
        )
        payment_record(policy=policies["创业担保贷款"], enterprise=firm, amount=Decimal(wan * 10000), paid_on=day,
                       started_on=day - datetime.timedelta(days=25), by=office, note="人力资源管理局担保，合作银行放款")  # fmt: skip
