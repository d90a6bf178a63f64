"""政策: the catalogue (policies, their dated versions with conditions and benefit as rules of the shared engine),
each firm's match against each policy, and the 免申即享 grants with their payment batches."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TIMELINE_KIND = "policy_payment"


class Category(models.TextChoices):
    """助企手册's 7 大类."""

    FUNDS = "funds", _("Grants and awards")  # 资金奖补
    TAX = "tax", _("Tax and fee relief")  # 税费减免
    FINANCE = "finance", _("Financial support")  # 金融支持
    TALENT = "talent", _("Talent")  # 人才
    INNOVATION = "innovation", _("Science and innovation")  # 科技创新
    LAND = "land", _("Land and energy")  # 用地用能
    SERVICE = "service", _("Services and facilitation")  # 服务便利


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("Municipal")
    ZONE = "zone", _("Zone")


class Mode(models.TextChoices):
    AUTOMATIC = "automatic", _("Granted without applying")  # 免申即享
    FAST = "fast", _("Fast application")  # 快申快享
    APPLY = "apply", pgettext_lazy("policy mode", "Application")  # 申报
    GUIDANCE = "guidance", _("Guidance only")  # 政策指引 (研发费用加计扣除: claimed with the tax return)


class Priority(models.TextChoices):
    """Who comes first when a 免申即享 list exceeds the budget, as the policy's text says."""

    LARGER = "larger", _("Larger amount first")
    SMALLER = "smaller", _("Smaller amount first (more firms)")
    EARLIER = "earlier", _("First to qualify first")


class Policy(models.Model):
    title = models.CharField(_("Title"), max_length=200)
    doc_number = models.CharField(_("Document number (文号)"), max_length=80, blank=True)
    issuer = models.CharField(_("Issuing body"), max_length=100)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Department in charge"))  # fmt: skip
    level = models.CharField(pgettext_lazy("policy", "Level"), max_length=10, choices=Level.choices, default=Level.ZONE)
    category = models.CharField(pgettext_lazy("policy", "Category"), max_length=12, choices=Category.choices)
    mode = models.CharField(_("How it is obtained"), max_length=10, choices=Mode.choices, default=Mode.APPLY)
    summary = models.TextField(_("Summary"))
    full_text = models.TextField(_("Full text"), blank=True)
    contacts = models.CharField(pgettext_lazy("policy", "Contacts"), max_length=200, blank=True)
    materials = models.JSONField(_("Required materials"), default=list, blank=True)
    tags = models.JSONField(_("Beneficiaries"), default=list, blank=True)  # 高新技术企业, 规上工业企业 …
    budget = models.DecimalField(_("Budget (元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    priority = models.CharField(_("Order of priority over budget"), max_length=10, choices=Priority.choices,
                                default=Priority.LARGER)  # fmt: skip
    valid_from = models.DateField(pgettext_lazy("policy", "Valid from"))
    valid_to = models.DateField(pgettext_lazy("policy", "Valid to"), null=True, blank=True)
    attachment = models.FileField(_("Attachment"), upload_to="policies/%Y/", blank=True)
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Policy")
        verbose_name_plural = _("Policies")
        ordering = ["category", "title"]

    def __str__(self):
        return self.title


class BenefitKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    SHARE = "share", _("Share of an indicator, capped")
    TIERS = "tiers", _("Tiers")
    NONE = "none", _("No money")


class PolicyVersion(models.Model):
    """The rules of a policy from a date: its conditions (a RuleSet of the shared engine, each rule with its
    clause), its exclusions and its benefit (a CEL expression in 元). A revision adds a version; grants and
    matches made under the old one keep it."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions", verbose_name=_("Policy"))
    number = models.PositiveIntegerField(_("Version"), default=1)
    valid_from = models.DateField(pgettext_lazy("policy", "Valid from"))
    valid_to = models.DateField(pgettext_lazy("policy", "Valid to"), null=True, blank=True)
    conditions = models.ForeignKey("indicators.RuleSet", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Conditions"))  # fmt: skip
    exclusions = models.ForeignKey("indicators.RuleSet", on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=pgettext_lazy("policy", "Exclusions"))  # fmt: skip
    benefit_kind = models.CharField(_("Kind of benefit"), max_length=10, choices=BenefitKind.choices,
                                    default=BenefitKind.FIXED)  # fmt: skip
    benefit = models.TextField(_("Benefit (CEL, in 元)"), blank=True)
    benefit_text = models.CharField(_("Benefit in words"), max_length=200, blank=True)
    source_document = models.CharField(_("Source document"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Policy version")
        verbose_name_plural = _("Policy versions")
        ordering = ["policy", "-number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="policy_version_unique")]

    def __str__(self):
        return f"{self.policy} v{self.number}"


class Verdict(models.TextChoices):
    QUALIFIES = "qualifies", _("Qualifies")  # 符合
    NEARLY = "nearly", _("Nearly qualifies")  # 差一项
    UNKNOWN = "unknown", _("More information needed")  # 待补充信息
    FAILS = "fails", _("Does not qualify")  # 不符合


class Match(models.Model):
    """One firm against one policy for a period, stored by the matching task with the explanation per condition:
    [{"code", "name", "verdict", "text", "clause"}]."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=pgettext_lazy("policy", "Enterprise"), db_index=False)  # fmt: skip
    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="matches", verbose_name=_("Policy"), db_index=False
    )  # policy_match_verdict_idx leads with it
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("Policy version"))  # fmt: skip
    period = models.CharField(pgettext_lazy("policy", "Period"), max_length=10)
    verdict = models.CharField(pgettext_lazy("policy", "Result"), max_length=10, choices=Verdict.choices)
    amount = models.DecimalField(_("Amount (元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    conditions = models.JSONField(_("Conditions"), default=list)
    lacking = models.CharField(_("What it lacks"), max_length=300, blank=True)
    missing = models.JSONField(_("Figures needed"), default=list, blank=True)
    excluded = models.JSONField(pgettext_lazy("policy", "Exclusions"), default=list, blank=True)  # [reason, ...]
    received = models.BooleanField(_("Already received this period"), default=False)
    notified_at = models.DateTimeField(_("Told at"), null=True, blank=True)
    matched_at = models.DateTimeField(_("Matched at"), default=timezone.now)

    class Meta:
        verbose_name = _("Policy match")
        verbose_name_plural = _("Policy matches")
        constraints = [models.UniqueConstraint(fields=["enterprise", "policy"], name="policy_match_unique")]
        indexes = [models.Index(fields=["policy", "verdict"], name="policy_match_verdict_idx")]

    def __str__(self):
        return f"{self.enterprise_id}:{self.policy_id} {self.verdict}"


class GrantStatus(models.TextChoices):
    LISTED = "listed", _("Listed")  # 比对入围
    EXCLUDED = "excluded", _("Set aside")  # 排除
    DEFERRED = "deferred", _("Over budget")  # 超出预算
    APPROVED = "approved", _("Confirmed by the department")  # 部门确认
    ACCEPTED = "accepted", _("Confirmed by the firm")  # 企业意愿确认
    DECLINED = "declined", _("Declined by the firm")  # 企业放弃
    PAID = "paid", _("Paid")  # 已拨付


class Round(models.Model):
    """One 免申即享 round of a policy: the list drawn from the matches on a day, checked and paid."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("Policy"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Policy version"))  # fmt: skip
    period = models.CharField(pgettext_lazy("policy", "Period"), max_length=10)
    drawn_at = models.DateTimeField(_("Drawn at"), default=timezone.now)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Drawn by"))  # fmt: skip
    approved_at = models.DateTimeField(_("Confirmed by the department at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name=pgettext_lazy("policy", "Confirmed by"))  # fmt: skip

    class Meta:
        verbose_name = _("免申即享 round")
        verbose_name_plural = _("免申即享 rounds")
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"{self.policy} {self.period}"


class PaymentBatch(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="batches", verbose_name=_("Round"))
    paid_on = models.DateField(_("Paid on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=pgettext_lazy("policy", "Recorded by"))  # fmt: skip
    created_at = models.DateTimeField(pgettext_lazy("policy", "Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Payment batch")
        verbose_name_plural = _("Payment batches")
        ordering = ["-paid_on"]

    def __str__(self):
        return f"{self.round} {self.paid_on}"


class Grant(models.Model):
    """A firm's line in a round: its amount, its place in the order of priority, why it was set aside, its
    confirmation (with the account, shown masked) or its refusal, and the batch that paid it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="grants", verbose_name=_("Round"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=pgettext_lazy("policy", "Enterprise"))  # fmt: skip
    amount = models.DecimalField(_("Amount (元)"), max_digits=14, decimal_places=2)
    priority = models.PositiveIntegerField(_("Order of priority"))
    status = models.CharField(_("Status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.LISTED)
    reasons = models.JSONField(_("Reasons set aside"), default=list, blank=True)
    bank_name = models.CharField(_("Bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("Bank account"), max_length=40, blank=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name=_("Answered by"))  # fmt: skip
    decline_reason = models.CharField(_("Reason for declining"), max_length=200, blank=True)
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="grants",
                              verbose_name=_("Payment batch"))  # fmt: skip

    class Meta:
        verbose_name = _("免申即享 grant")
        verbose_name_plural = _("免申即享 grants")
        ordering = ["round", "priority"]
        constraints = [models.UniqueConstraint(fields=["round", "enterprise"], name="grant_one_per_round")]

    def __str__(self):
        return f"{self.round} {self.enterprise_id}"

    @property
    def account_masked(self) -> str:
        account = self.bank_account
        return f"{account[:4]} **** **** {account[-4:]}" if len(account) > 8 else ("*" * len(account))


class PolicyPayment(models.Model):
    """兑现台账: every payment a firm received under a policy (免申即享 or after an application), the figures' source."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="payments", verbose_name=_("Policy"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=pgettext_lazy("policy", "Enterprise"))  # fmt: skip
    amount = models.DecimalField(_("Amount (元)"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("Paid on"))
    started_on = models.DateField(_("Started on"))  # the list drawn / the application submitted
    automatic = models.BooleanField(_("Without applying"), default=False)
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="payment")
    note = models.CharField(_("Note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Policy payment")
        verbose_name_plural = _("Policy payments")
        ordering = ["-paid_on"]
        indexes = [models.Index(fields=["enterprise", "paid_on"], name="policy_payment_firm_idx")]

    def __str__(self):
        return f"{self.policy} {self.enterprise_id} {self.amount}"


# -- 申报: an application is a case of its own kind (applications.py registers its table with the case engine) ------

APPLICATION_KIND = "policy_application"
FAST_PAYMENT_WORKDAYS = 60  # 快申快享: the province's time limit from the application to the payment
PUBLICITY_WORKDAYS = 5  # 公示 5 个工作日 before the payment
REVIEW_WORKDAYS = 30  # 申报: the time the park and the department take, the publicity and the payment included


class Application(models.Model):
    """申报: a firm's application under a policy's version in force on the day it applied (its rules and amount stay
    with it), the amounts asked and approved, the publicity window and the payment it led to. Its steps are the
    case's (`case`): the case engine moves it, the transition table in applications.py says how."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="policy_application",
                                verbose_name=pgettext_lazy("policy", "Case"))  # fmt: skip
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Policy"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Policy version"))  # fmt: skip
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=pgettext_lazy("policy", "Enterprise"))  # fmt: skip
    fast = models.BooleanField(_("Fast application"), default=False)  # 快申快享: the 60-working-day payment limit
    amount_requested = models.DecimalField(_("Amount requested (元)"), max_digits=14, decimal_places=2)
    amount_approved = models.DecimalField(_("Amount approved (元)"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)  # fmt: skip
    submitted_on = models.DateField(_("Submitted on"))
    publicity_until = models.DateField(_("Publicity until"), null=True, blank=True)
    refusal_reason = models.CharField(_("Reason for refusal"), max_length=500, blank=True)
    payment = models.OneToOneField(PolicyPayment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="application", verbose_name=_("Payment"))  # fmt: skip

    class Meta:
        verbose_name = _("Policy application")
        verbose_name_plural = _("Policy applications")
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["policy", "enterprise"], name="policy_application_firm_idx")]
        constraints = [
            models.CheckConstraint(name="policy_application_amount_positive",
                                   condition=models.Q(amount_requested__gt=0)),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.policy} {self.enterprise_id}"


class ApplicationMaterial(models.Model):
    """One material of the checklist as uploaded (the file is a core attachment of the application). A supplement
    adds rows: the earlier files stay, the latest of each name is the one in force."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials",
                                    verbose_name=_("Policy application"))  # fmt: skip
    name = models.CharField(_("Material"), max_length=100)
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Attachment"))  # fmt: skip
    uploaded_at = models.DateTimeField(_("Uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Application material")
        verbose_name_plural = _("Application materials")
        ordering = ["application", "name", "-uploaded_at", "-pk"]

    def __str__(self):
        return self.name
