from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core.models import AppendOnlyModel

from .credit_code import validate_credit_code


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class Scale(models.TextChoices):
    ABOVE = "above", _("规上")
    BELOW = "below", _("规下")


class EnvironmentalGrade(models.TextChoices):
    LEADING = "leading", _("引领性")
    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级")
    D = "D", _("D级")
    NONE = "", _("未评级")


class VisitFrequency(models.IntegerChoices):
    """How often an enterprise must be visited; the value is the window in months."""

    MONTHLY = 1, _("每月")
    QUARTERLY = 3, _("每季度")
    HALF_YEARLY = 6, _("每半年")
    YEARLY = 12, _("每年")


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class VisitRule(models.Model):
    """走访频次: the strictest rule that matches an enterprise (by tag or by scale) applies; else the default."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("标签"))
    scale = models.CharField(_("规模"), max_length=10, choices=Scale.choices, blank=True, unique=True, null=True)
    frequency = models.PositiveSmallIntegerField(_("走访频次"), choices=VisitFrequency.choices)

    class Meta:
        verbose_name = _("走访频次规则")
        verbose_name_plural = _("走访频次规则")
        constraints = [
            models.CheckConstraint(
                name="visit_rule_tag_or_scale_not_both",
                condition=models.Q(tag__isnull=True) | models.Q(scale__isnull=True),
            ),
        ]

    def __str__(self):
        target = self.tag or (self.get_scale_display() if self.scale else _("默认"))
        return f"{target}：{self.get_frequency_display()}"


class Enterprise(models.Model):
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    former_names = models.JSONField(_("曾用名"), default=list, blank=True)
    name_initials = models.CharField(_("名称拼音首字母"), max_length=100, db_index=True, editable=False)
    park = models.ForeignKey(
        "org.Park",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("所属园区"),
    )
    grid = models.ForeignKey(
        "org.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("所属网格"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry.choices, blank=True)
    industry_detail = models.CharField(_("细分行业"), max_length=60, blank=True)
    scale = models.CharField(_("规模"), max_length=10, choices=Scale.choices, default=Scale.BELOW)
    headcount = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="enterprises", verbose_name=_("标签"))
    environmental_grade = models.CharField(
        _("环保绩效分级"), max_length=10, choices=EnvironmentalGrade.choices, blank=True, default=""
    )
    service_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_enterprises",
        verbose_name=_("首席服务官"),
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("生成的演示数据，信用代码非真实"))
    created_at = models.DateTimeField(_("建档时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["park", "name"], name="enterprise_park_name_idx"),
            models.Index(fields=["service_officer", "name"], name="enterprise_officer_idx"),
            models.Index(fields=["grid"], name="enterprise_grid_idx"),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(_("职务"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["-is_primary", "id"]

    def __str__(self):
        return self.name


class QualificationKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("高新技术企业")
    TECH_SME = "tech_sme", _("科技型中小企业")
    SPECIALISED = "specialised", _("专精特新")
    GAZELLE = "gazelle", _("瞪羚企业")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")


class Qualification(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("资质"), max_length=20, choices=QualificationKind.choices)
    certificate_no = models.CharField(_("证书编号"), max_length=40, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), db_index=True)

    class Meta:
        verbose_name = _("资质认定")
        verbose_name_plural = _("资质认定")
        ordering = ["valid_until"]
        constraints = [
            models.CheckConstraint(
                name="qualification_period_in_order", condition=models.Q(valid_until__gte=models.F("valid_from"))
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.certificate_no}）"


class OfficerAssignment(AppendOnlyModel):
    """Each change of chief service officer; the current one is Enterprise.service_officer."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="officer_assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("首席服务官")
    )
    assigned_at = models.DateTimeField(_("分包时间"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("操作人")
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("首席服务官分包记录")
        verbose_name_plural = _("首席服务官分包记录")
        ordering = ["-assigned_at", "-id"]


class Visit(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("走访人员"))
    other_officers = models.CharField(_("其他参加人员"), max_length=200, blank=True)
    people_met = models.CharField(_("企业接待人员"), max_length=200, blank=True)
    topics = models.TextField(_("走访内容"))
    findings = models.TextField(_("发现情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-visited_on"], name="visit_enterprise_date_idx")]

    def __str__(self):
        return f"{self.visited_on} {self.enterprise}"


class VisitProblem(models.Model):
    """A problem the enterprise raised during a visit; the case workflow will take it up from here."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("问题描述"))

    class Meta:
        verbose_name = _("走访问题")
        verbose_name_plural = _("走访问题")
        ordering = ["id"]

    def __str__(self):
        return self.description[:40]


class TimelineKind(models.TextChoices):
    REGISTERED = "registered", _("建档")
    UPDATED = "updated", _("信息变更")
    OFFICER_CHANGED = "officer_changed", _("首席服务官变更")
    VISIT = "visit", _("走访")
    QUALIFICATION = "qualification", _("资质认定")
    IMPORTED = "imported", _("台账导入")


class TimelineEntry(AppendOnlyModel):
    """一企一档: everything that happened to an enterprise, in one append-only stream."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=30, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    summary = models.CharField(_("摘要"), max_length=300)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("企业档案记录")
        verbose_name_plural = _("企业档案记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-occurred_at"], name="timeline_enterprise_idx")]


class LedgerImport(models.Model):
    """One uploaded ledger: checked first (every problem listed), imported only on request, all or nothing."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("检查中")
        CHECKED = "checked", _("已检查")
        IMPORTING = "importing", _("导入中")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("失败")

    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("无误行数"), default=0)
    problem_count = models.PositiveIntegerField(_("问题数"), default=0)
    problems = models.JSONField(_("问题清单"), default=list, blank=True)
    imported_count = models.PositiveIntegerField(_("导入数"), default=0)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name
