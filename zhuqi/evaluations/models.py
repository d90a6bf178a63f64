"""企业绩效综合评价 and 国家高新区综合评价: a park's evaluation methods (items, weights, scoring, grades, exclusions,
the hand-worked firms a method must reproduce), the yearly runs with each firm's score item by item, the
objections, the append-only log of changes, and the national index's dated indicator system with the zone's
hand-entered figures."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhuqi.core.models import AppendOnlyModel

TIMELINE_KIND = "evaluation"


class MethodStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("evaluation method", "Published")
    RETIRED = "retired", _("Retired")


class Method(models.Model):
    """One version of a park's published evaluation method (《企业绩效综合评价意见》), with its document."""

    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("Park"))
    code = models.CharField(_("Method code"), max_length=40)
    version = models.PositiveIntegerField(_("Version"), default=1)
    name = models.CharField(_("Name"), max_length=200)
    document = models.CharField(_("Source document (文号)"), max_length=200)
    valid_from = models.DateField(_("Valid from"))
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    # [{"grade": "A", "min": 85}, …], highest first; a firm takes the first grade whose minimum it reaches
    grades = models.JSONField(_("Grade thresholds"), default=list)
    # [{"code": "young", "label": "成立不满一年", "expression": "years_registered < 1"}]: CEL over the firm's facts
    exclusions = models.JSONField(pgettext_lazy("evaluation", "Exclusions"), default=list, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=MethodStatus.choices, default=MethodStatus.DRAFT)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Published by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("Evaluation method")
        verbose_name_plural = _("Evaluation methods")
        ordering = ["park", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="evaluation_method_version_unique")]

    def __str__(self):
        return f"{self.name}（第 {self.version} 版）"


class Scoring(models.TextChoices):
    LINEAR = "linear", _("Linear between bounds")
    BANDS = "bands", _("Bands")
    YES_NO = "yes_no", _("Full points when it holds")
    DEDUCTION = "deduction", _("Deduction per event")


class Item(models.Model):
    """One scored item: a CEL expression of the shared engine over the firm's facts (an indicator code alone is
    one), its weight (the most points it gives; for a deduction the most it takes) and how it is scored.
    params: linear {"low": x, "high": y} (low → 0, high → full, either way round); bands {"bands": [[min, points],
    …]} highest first; deduction {"per": points}."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="items", verbose_name=_("Method"))
    code = models.CharField(_("Item code"), max_length=40)
    name = models.CharField(_("Name"), max_length=100)
    expression = models.TextField(_("Value (CEL)"))
    unit = models.CharField(_("Unit of measure"), max_length=20, blank=True)
    weight = models.DecimalField(_("Weight (points)"), max_digits=6, decimal_places=2)
    scoring = models.CharField(_("Scoring"), max_length=10, choices=Scoring.choices)
    params = models.JSONField(_("Scoring parameters"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Evaluation item")
        verbose_name_plural = _("Evaluation items")
        ordering = ["method", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["method", "code"], name="evaluation_item_code_unique")]

    def __str__(self):
        return self.name


class WorkedFirm(models.Model):
    """A firm worked by hand from the method's document: its facts and the points, total and grade the method must
    give it. A method is published only when it reproduces every one."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="worked", verbose_name=_("Method"))
    label = models.CharField(_("Firm"), max_length=100)
    facts = models.JSONField(_("Facts"), default=dict)
    points = models.JSONField(_("Points expected per item"), default=dict, blank=True)
    total = models.DecimalField(_("Total expected"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("Grade expected"), max_length=2, blank=True)
    excluded = models.CharField(_("Exclusion expected"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Hand-worked firm")
        verbose_name_plural = _("Hand-worked firms")
        ordering = ["method", "pk"]

    def __str__(self):
        return self.label


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft list")
    OBJECTIONS = "objections", _("Published for objections")
    FINAL = "final", _("Final (frozen)")


class Run(models.Model):
    """One park's evaluation of one year."""

    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="runs", verbose_name=_("Method"))
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("Park"))
    year = models.PositiveIntegerField(_("Year"))
    status = models.CharField(_("Status"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT)
    objections_until = models.DateField(_("Objections until"), null=True, blank=True)
    scored_at = models.DateTimeField(_("Scored at"), null=True, blank=True)
    published_at = models.DateTimeField(_("Draft published at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("Final at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Created by")
    )

    class Meta:
        verbose_name = _("Evaluation run")
        verbose_name_plural = _("Evaluation runs")
        ordering = ["-year", "park"]
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="evaluation_run_park_year_unique")]

    def __str__(self):
        return f"{self.park} {self.year} 年度企业绩效综合评价"


class Score(models.Model):
    """A firm's score in a run: each item's value, points and source (items JSON), total, grade or exclusion."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="scores", verbose_name=_("Run"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("Enterprise")
    )
    total = models.DecimalField(_("Score"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(pgettext_lazy("evaluation", "Grade"), max_length=2, blank=True)
    excluded = models.CharField(_("Excluded because"), max_length=100, blank=True)
    rank = models.PositiveIntegerField(_("Rank"), null=True, blank=True)
    # [{"code", "name", "value", "points", "weight", "source"}]
    items = models.JSONField(_("Items"), default=list)

    class Meta:
        verbose_name = _("Evaluation score")
        verbose_name_plural = _("Evaluation scores")
        ordering = ["run", "rank", "enterprise"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="evaluation_score_unique")]
        indexes = [models.Index(fields=["enterprise", "run"], name="evaluation_score_firm_idx")]

    def __str__(self):
        return f"{self.enterprise} {self.grade or self.excluded}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Objection(models.Model):
    """A firm's one objection to its draft score, with its evidence, decided by the park with a reason."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="objections", verbose_name=_("Run"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("Enterprise")
    )
    item_code = models.CharField(_("Item objected to"), max_length=40, blank=True)
    text = models.TextField(_("Objection"))
    evidence = models.FileField(pgettext_lazy("evaluation", "Evidence"), upload_to="evaluations/evidence/%Y/")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Filed by")
    )
    filed_at = models.DateTimeField(_("Filed at"), default=timezone.now)
    status = models.CharField(_("Status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.PENDING)  # fmt: skip
    reason = models.TextField(_("Reason of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Objection")
        verbose_name_plural = _("Objections")
        ordering = ["run", "filed_at"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="evaluation_one_objection")]

    def __str__(self):
        return f"{self.enterprise} {self.get_status_display()}"


class ScoreChange(AppendOnlyModel):
    """The log of every change of a firm's score after the run was scored: who, when, why, from what to what."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="changes", verbose_name=_("Run"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("Enterprise")
    )
    item_code = models.CharField(_("Item"), max_length=40, blank=True)
    before = models.JSONField(_("Before"), default=dict)
    after = models.JSONField(_("After"), default=dict)
    reason = models.CharField(_("Reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("Changed by"))  # fmt: skip
    at = models.DateTimeField(_("Changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("Score change")
        verbose_name_plural = _("Score changes")
        ordering = ["run", "at", "pk"]


# -- the national high-tech zone index ---------------------------------------------------------------------------


class IndexSystem(models.Model):
    """The torch centre's evaluation indicator system in force from a date: groups, indicators, weights, and the
    values a zone at the target rank reaches (benchmarks), kept as dated parameters with their source."""

    code = models.CharField(_("Index system code"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    document = models.CharField(_("Source document (文号)"), max_length=200)
    valid_from = models.DateField(_("Valid from"))
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    weights_assumed = models.BooleanField(
        _("Weights assumed"), default=True,
        help_text=_("The weights were not taken from the official text: to be replaced when it is at hand"),
    )  # fmt: skip
    target_rank = models.PositiveIntegerField(_("Target rank"), default=60)
    # [[index score, rank], …]: the ranks the published results gave such scores, for an estimated rank
    rank_anchors = models.JSONField(_("Score to rank anchors"), default=list)
    notes = models.TextField(_("Notes"), blank=True)

    class Meta:
        verbose_name = _("National index system")
        verbose_name_plural = _("National index systems")
        ordering = ["-valid_from"]

    def __str__(self):
        return self.name


class IndexIndicator(models.Model):
    """A second-level indicator: a CEL expression over the zone's totals (torch sums and hand figures), its weight
    within the 100 points, and the value a zone at the target rank reaches. contributor: the torch code whose
    firms move it most (their values summed into it)."""

    system = models.ForeignKey(IndexSystem, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("Index system"))  # fmt: skip
    group = models.CharField(_("First-level indicator"), max_length=40)
    code = models.CharField(_("Index indicator code"), max_length=40)
    name = models.CharField(_("Name"), max_length=100)
    expression = models.TextField(_("Value (CEL)"))
    unit = models.CharField(_("Unit of measure"), max_length=20, blank=True)
    weight = models.DecimalField(_("Weight (points)"), max_digits=6, decimal_places=2)
    benchmark = models.DecimalField(_("Value at the target rank"), max_digits=18, decimal_places=4)
    lower_is_better = models.BooleanField(_("Lower is better"), default=False)
    contributor = models.CharField(_("Firms' indicator that moves it"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("National index indicator")
        verbose_name_plural = _("National index indicators")
        ordering = ["system", "order"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="index_indicator_code_unique")]

    def __str__(self):
        return self.name


class ZoneFigure(models.Model):
    """A zone-level figure entered by hand for a year (city GDP, land, the reported rank, or a torch total of a year
    before the platform): it wins over the torch sum of the same code."""

    year = models.PositiveIntegerField(_("Year"))
    code = models.CharField(_("Figure code"), max_length=40)
    value = models.DecimalField(_("Value"), max_digits=22, decimal_places=4)
    source = models.CharField(_("Source"), max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Entered by"))  # fmt: skip
    entered_at = models.DateTimeField(_("Entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("Zone figure")
        verbose_name_plural = _("Zone figures")
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="zone_figure_unique")]

    def __str__(self):
        return f"{self.year} {self.code}"
