"""项目库 (七个一批): investment projects from 谋划 to 达产 with dated milestones (planned and actual) and their
evidence, yearly planned and actual investment, and 招商线索 (visited targets and institutes) with their pipeline."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PROBLEM_KIND = "project_problem"  # the kind of case a project's problem becomes


class Stage(models.TextChoices):
    PLANNING = "planning", pgettext_lazy("project stage", "Planning")  # 谋划
    NEGOTIATING = "negotiating", pgettext_lazy("project stage", "Negotiating")  # 洽谈
    SIGNED = "signed", pgettext_lazy("project stage", "Signed")  # 签约
    STARTED = "started", pgettext_lazy("project stage", "Construction started")  # 开工
    BUILDING = "building", pgettext_lazy("project stage", "Under construction")  # 建设
    OPERATING = "operating", pgettext_lazy("project stage", "In production")  # 投产
    FULL = "full", pgettext_lazy("project stage", "At full capacity")  # 达产


ORDER = list(Stage.values)
# 谋划储备一批、开工实施一批、投产见效一批
BATCHES = {
    "reserve": (_("Planned and in reserve"), [Stage.PLANNING, Stage.NEGOTIATING, Stage.SIGNED]),
    "building": (_("Started and being built"), [Stage.STARTED, Stage.BUILDING]),
    "producing": (_("In production and paying off"), [Stage.OPERATING, Stage.FULL]),
}


class Project(models.Model):
    name = models.CharField(_("Project name"), max_length=120, unique=True)
    owner = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("Owner firm"))  # fmt: skip
    investor = models.CharField(_("Investor"), max_length=120, blank=True)
    industry = models.CharField(_("Industry"), max_length=60)
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("Park"))  # fmt: skip
    total_investment = models.DecimalField(_("Total investment (10k yuan)"), max_digits=12, decimal_places=2)
    land_mu = models.DecimalField(_("Land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True)
    energy_tce = models.DecimalField(_("Energy use (tce a year)"), max_digits=12, decimal_places=2, null=True,
                                     blank=True)  # fmt: skip
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Responsible department"))  # fmt: skip
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("Responsible officer"))  # fmt: skip
    stage = models.CharField(_("Project stage"), max_length=12, choices=Stage.choices, default=Stage.PLANNING)
    is_key = models.BooleanField(_("Key investment project"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Investment project")
        verbose_name_plural = _("Investment projects")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Milestone(models.Model):
    """The date a project is planned to reach a stage, the date it did, and what shows it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("Project stage"), max_length=12, choices=Stage.choices)
    planned_on = models.DateField(_("Planned on"))
    actual_on = models.DateField(_("Reached on"), null=True, blank=True)
    evidence = models.TextField(pgettext_lazy("project", "Evidence"), blank=True)

    class Meta:
        verbose_name = _("Milestone")
        verbose_name_plural = _("Milestones")
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="project_milestone_once")]

    def __str__(self):
        return f"{self.project_id} {self.stage}"


class ProjectYear(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("Year"))
    planned = models.DecimalField(_("Planned investment (10k yuan)"), max_digits=12, decimal_places=2, default=0)
    actual = models.DecimalField(_("Actual investment (10k yuan)"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_year_once")]

    def __str__(self):
        return f"{self.project_id} {self.year}"


class ProjectEvent(models.Model):
    """Append-only history: each stage moved, with its evidence; each problem raised as a case."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12, blank=True)
    evidence = models.TextField(blank=True)
    case_ref = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")  # fmt: skip
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "at", "pk"]

    def __str__(self):
        return f"{self.project_id} {self.action}"


class LeadStatus(models.TextChoices):
    CONTACTED = "contacted", _("Contacted")  # 接触
    VISITED = "visited", _("Visited")  # 拜访
    TALKING = "talking", _("In talks")  # 洽谈
    PROJECT = "project", _("Became a project")  # 转为项目
    DROPPED = "dropped", _("Dropped")  # 放弃


LEAD_NEXT = {
    LeadStatus.CONTACTED: [LeadStatus.VISITED, LeadStatus.DROPPED],
    LeadStatus.VISITED: [LeadStatus.TALKING, LeadStatus.DROPPED],
    LeadStatus.TALKING: [LeadStatus.PROJECT, LeadStatus.DROPPED],
}


class Lead(models.Model):
    """招商线索: a target firm or institute the zone courts."""

    name = models.CharField(_("Target"), max_length=120)
    is_institute = models.BooleanField(_("Research institute"), default=False)
    industry = models.CharField(_("Industry"), max_length=60, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.CONTACTED)
    visited_on = models.DateField(_("Visited on"), null=True, blank=True)
    note = models.TextField(_("Note"), blank=True)
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Investment lead")
        verbose_name_plural = _("Investment leads")
        ordering = ["status", "name"]

    def __str__(self):
        return self.name


class LeadEvent(models.Model):
    """A lead's steps, append-only: recorded, each move along its pipeline (with the note of the visit or talk)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(_("Status"), max_length=10, choices=LeadStatus.choices)
    note = models.TextField(_("Note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")  # fmt: skip
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lead", "at", "pk"]

    def __str__(self):
        return f"{self.lead_id} {self.to_status}"
