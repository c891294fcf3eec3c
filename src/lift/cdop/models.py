"""Child death reviews: notifications, agency reporting forms, review meetings, the panel's
analysis, referrals, CDOP meetings, campaigns and per-partnership settings.

Every page but the restricted record shows the case number (e.g. CDOP-2025-014); the
child's identifiers live only in `ChildDeathIdentity`, readable by the CDOP coordinator and
the case's panel members (case team), each read logged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import (
    A,
    Access,
    C,
    P,
    RestrictedManager,
    RestrictedQuerySet,
    assignments_for,
    grants,
)
from lift.core.calendar import check_years
from lift.core.models import DomainModel

from .choices import (
    AgeBand,
    Audience,
    CampaignKind,
    CaseStatus,
    Expected,
    NotifiedVia,
    ReferralKind,
    ReferralStatus,
    ReportStatus,
    Sex,
)

R = r.R
COORDINATOR = frozenset({R.CDOP_COORDINATOR})
# Case pages (case number only, never identifiers): the coordinator, oversight, panel members.
CASE_READERS = COORDINATOR | r.OVERSIGHT
PANEL = frozenset({R.CASE_TEAM})
LEADS = frozenset({R.SAFEGUARDING_LEAD})
SETTINGS_EDITORS = COORDINATOR | r.ADMINS


class CdopSettings(DomainModel):
    """A partnership's CDOP settings: small-number suppression and reporting-form links."""

    suppression_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text="Counts below this are shown as 'fewer than N' outside the panel.",
    )
    link_expiry_days = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Days a reporting-form link works for.",
    )
    report_due_working_days = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days an agency has to return its reporting form.",
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(30)],
        help_text="Working days before the due date the agency contact is reminded.",
    )

    access: ClassVar[Access] = Access(
        grants(view={P: SETTINGS_EDITORS}, change={P: SETTINGS_EDITORS})
    )

    class Meta:
        verbose_name = "CDOP settings"
        verbose_name_plural = "CDOP settings"
        constraints = [
            models.UniqueConstraint(fields=["partnership"], name="cdopsettings_one_per_partnership")
        ]

    def __str__(self) -> str:
        return "CDOP settings"

    def get_absolute_url(self) -> str:
        return reverse("cdop:settings")


class CdopMeeting(DomainModel):
    """A meeting of the Child Death Overview Panel, with the cases it will review and the
    papers members can read beforehand. Members are the meeting's case team."""

    held_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: CASE_READERS, C: PANEL},
            add={P: COORDINATOR},
            change={P: COORDINATOR},
            delete={P: COORDINATOR},
        ),
        case="",
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "CDOP meeting"

    def __str__(self) -> str:
        return self.title or f"CDOP meeting, {self.held_on:%-d %B %Y}"

    def clean(self) -> None:
        super().clean()
        check_years(held_on=self.held_on)

    def get_absolute_url(self) -> str:
        return reverse("cdop:cdopmeeting_detail", args=[self.pk])


class ChildDeath(DomainModel):
    """One child death under review, known everywhere by its case number."""

    reference = models.CharField("case number", max_length=30, editable=False)
    notified_on = models.DateField()
    notified_via = models.CharField(
        max_length=20, choices=NotifiedVia.choices, default=NotifiedVia.COORDINATOR
    )
    notifier_name = models.CharField(max_length=200)
    notifier_role = models.CharField(max_length=200, blank=True)
    notifier_organisation = models.CharField(max_length=200, blank=True)
    notifier_email = models.EmailField(max_length=254, blank=True)
    notifier_phone = models.CharField(max_length=40, blank=True)
    year_of_death = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.UNKNOWN)
    expected = models.CharField(max_length=20, choices=Expected.choices)
    jar_criteria = models.JSONField("joint agency response criteria", default=list, blank=True)
    joint_agency_response = models.BooleanField(default=False, editable=False)
    jar_started_on = models.DateField("joint agency response started", null=True, blank=True)
    jar_completed_on = models.DateField("joint agency response finished", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.NOTIFIED
    )
    meeting = models.ForeignKey(
        CdopMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        help_text="The CDOP meeting that will review the case.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The notifier's contact details: shown (page and history) to the coordinator only.
    history_restricted: ClassVar[frozenset[str]] = frozenset(
        {
            "notifier_name",
            "notifier_role",
            "notifier_organisation",
            "notifier_email",
            "notifier_phone",
        }
    )
    access: ClassVar[Access] = Access(
        grants(
            view={P: CASE_READERS, C: PANEL},
            add={P: COORDINATOR},
            change={P: COORDINATOR},
            refer={P: COORDINATOR},
            export={P: COORDINATOR},
            delete={P: COORDINATOR},
        ),
        case="",
    )

    class Meta:
        ordering = ["-notified_on", "-id"]
        verbose_name = "child death"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="childdeath_unique_reference"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "year_of_death"]),
            models.Index(fields=["partnership", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cdop:childdeath_detail", args=[self.pk])

    def clean(self) -> None:
        from .rules import check_case

        check_case(self)


IDENTIFIER_FIELDS = (
    "first_name",
    "family_name",
    "date_of_birth",
    "date_of_death",
    "address",
    "postcode",
    "nhs_number",
    "circumstances",
)


class ChildDeathIdentity(DomainModel):
    """The restricted record: the child's identifiers and the circumstances as notified.
    Readable by the CDOP coordinator and the case's panel members only; each read logged;
    its change history shows the values only to them."""

    case = models.OneToOneField(ChildDeath, on_delete=models.CASCADE, related_name="identity")
    first_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField()
    address = models.TextField(max_length=500, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    nhs_number = models.CharField("NHS number", max_length=12, blank=True)
    circumstances = models.TextField(
        max_length=5000, blank=True, help_text="The circumstances of the death as notified."
    )

    history_restricted: ClassVar[frozenset[str]] = frozenset(IDENTIFIER_FIELDS)
    access: ClassVar[Access] = Access(
        grants(
            view={P: COORDINATOR, C: PANEL},
            add={P: COORDINATOR},
            change={P: COORDINATOR},
        ),
        case="case",
    )

    class Meta:
        verbose_name = "restricted record"
        verbose_name_plural = "restricted records"

    def __str__(self) -> str:
        # Never a name: this string goes into the change and access logs.
        return f"Restricted record: {self.case.reference}"

    def get_absolute_url(self) -> str:
        return reverse("cdop:childdeathidentity_detail", args=[self.pk])

    def clean(self) -> None:
        from .rules import check_identity

        check_identity(self)


class AgencyReportQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        """The policy, plus: the named contact (the person whose e-mail the form was sent to,
        holding a role in its partnership) may ask for its link again."""
        own = super().restrict(user, action)
        if action != "send_link" or not getattr(user, "is_authenticated", False):
            return own
        if not user.is_active or user.is_superuser or not user.email:
            return own
        partnerships = {a.partnership_id for a in assignments_for(user)}
        contact = Q(contact_email__iexact=user.email, partnership_id__in=partnerships)
        return self.filter(Q(pk__in=own.values("pk")) | contact)


class AgencyReport(DomainModel):
    """An agency's reporting form (the former Form B, with any supplementary forms), asked
    for through a single-use, expiring link; only a hash of the link's token is kept."""

    case = models.ForeignKey(ChildDeath, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField(max_length=254)
    supplementary = models.JSONField(default=list, blank=True)
    requested_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.REQUESTED
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_expires_at = models.DateTimeField(editable=False)
    token_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    received_on = models.DateField(null=True, blank=True)
    completed_by = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    form_version = models.PositiveIntegerField(default=1)

    history_restricted: ClassVar[frozenset[str]] = frozenset({"answers", "token_hash"})
    objects: ClassVar[Any] = RestrictedManager.from_queryset(AgencyReportQuerySet)()
    access: ClassVar[Access] = Access(
        grants(
            view={P: COORDINATOR, C: PANEL},
            add={P: COORDINATOR},
            change={P: COORDINATOR},
            # The agency's lead (and its named contact, see the queryset) may have the link
            # sent again to the contact; neither reads the form or the case here.
            send_link={A: LEADS},
        ),
        agency="agency",
        case="case",
    )

    class Meta:
        ordering = ["case", "agency__name", "id"]
        verbose_name = "agency reporting form"
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=~Q(status="withdrawn"),
                name="agencyreport_one_live_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: reporting form from {self.agency.name}"

    def get_absolute_url(self) -> str:
        return reverse("cdop:agencyreport_detail", args=[self.pk])


class ReviewMeeting(DomainModel):
    """The child death review meeting of the professionals involved (before the panel)."""

    case = models.ForeignKey(ChildDeath, on_delete=models.CASCADE, related_name="review_meetings")
    held_on = models.DateField()
    attendees = models.TextField(
        max_length=2000, help_text="Roles and agencies of those present, one per line."
    )
    summary = models.TextField(max_length=8000, help_text="What the meeting established.")
    issues_for_panel = models.TextField(max_length=4000, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: COORDINATOR, C: PANEL},
            add={P: COORDINATOR},
            change={P: COORDINATOR},
        ),
        case="case",
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "child death review meeting"

    def __str__(self) -> str:
        return f"{self.case.reference}: review meeting, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("cdop:reviewmeeting_detail", args=[self.pk])


class Analysis(DomainModel):
    """The panel's analysis (the former Form C)."""

    case = models.OneToOneField(ChildDeath, on_delete=models.CASCADE, related_name="analysis")
    meeting = models.ForeignKey(
        CdopMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="analyses"
    )
    category = models.CharField("category of death", max_length=60)
    modifiable = models.CharField("modifiable factors", max_length=20)
    learning_points = models.TextField(max_length=8000, blank=True)
    completed_on = models.DateField()
    reference_version = models.PositiveIntegerField(default=1, editable=False)

    access: ClassVar[Access] = Access(
        grants(
            view={P: CASE_READERS, C: PANEL},
            add={P: COORDINATOR},
            change={P: COORDINATOR},
        ),
        case="case",
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "CDOP analysis"
        verbose_name_plural = "CDOP analyses"

    def __str__(self) -> str:
        return f"{self.case.reference}: panel analysis"

    def get_absolute_url(self) -> str:
        return reverse("cdop:analysis_detail", args=[self.pk])

    @property
    def pseudonym(self) -> str:
        return self.case.reference

    def category_label(self) -> str:
        from .reference import cdop_reference

        ref = cdop_reference()
        return ref.label(ref.categories, self.category)

    def modifiable_label(self) -> str:
        from .reference import cdop_reference

        ref = cdop_reference()
        return ref.label(ref.outcomes, self.modifiable)

    def clean(self) -> None:
        from .rules import check_analysis

        check_analysis(self)


class AnalysisDomain(DomainModel):
    """The score of one factor domain on an analysis, with the factors the panel noted."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    factors = models.TextField(max_length=4000, blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: CASE_READERS, C: PANEL}, change={P: COORDINATOR}),
        case="analysis__case",
    )

    class Meta:
        ordering = ["analysis", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "domain"], name="analysisdomain_one_per_domain"
            ),
            models.CheckConstraint(condition=Q(score__lte=2), name="analysisdomain_score_0_2"),
        ]

    def __str__(self) -> str:
        return f"{self.analysis}: {self.domain} {self.score}"

    def clean(self) -> None:
        from .rules import DomainScoreInScale, domain_known

        domain_known(self.domain)
        DomainScoreInScale.check(self.score)


class AnalysisFactor(DomainModel):
    """A recorded factor (by code from reference/cdop/factors.yaml), counted across cases."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="factor_codes")
    code = models.CharField(max_length=60)
    domain = models.CharField(max_length=40)
    modifiable = models.BooleanField(default=False)

    access: ClassVar[Access] = Access(
        grants(view={P: CASE_READERS, C: PANEL}, change={P: COORDINATOR}),
        case="analysis__case",
    )

    class Meta:
        ordering = ["analysis", "code"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "code"], name="analysisfactor_unique")
        ]
        indexes = [models.Index(fields=["partnership", "code"])]

    def __str__(self) -> str:
        from .reference import cdop_reference

        ref = cdop_reference()
        return ref.label(ref.factors, self.code)


class CdopReferral(DomainModel):
    """A case referred to the Chair (serious case review / rapid review) or to the L&I
    sub-group (learning lessons review, created in the reviews area)."""

    case = models.ForeignKey(ChildDeath, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(max_length=30, choices=ReferralKind.choices)
    reasons = models.TextField(
        max_length=4000, help_text="Why. Never the child's name or other identifier."
    )
    referred_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    reviews_referral_id = models.PositiveBigIntegerField(
        null=True, blank=True, editable=False, help_text="The referral in the reviews area."
    )
    chair_outcome = models.TextField(max_length=4000, blank=True)
    chair_decided_on = models.DateField(null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: CASE_READERS, C: PANEL},
            add={P: COORDINATOR},
            decide={P: frozenset({R.CHAIR})},
        ),
        case="case",
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = "CDOP referral"

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cdop:cdopreferral_detail", args=[self.pk])

    @property
    def reviews_referral_url(self) -> str:
        if not self.reviews_referral_id:
            return ""
        try:
            return reverse("reviews:referral_detail", args=[self.reviews_referral_id])
        except Exception:
            return ""


class Campaign(DomainModel):
    """A campaign, publication or awareness drive, with its audience and reach."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CampaignKind.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    partners = models.TextField(
        max_length=2000, blank=True, help_text="Partner and community organisations involved."
    )
    factor = models.CharField(
        max_length=60, blank=True, help_text="The recurring factor it addresses, if any."
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reach = models.PositiveIntegerField(
        default=0, help_text="People reached (copies, attendees, views)."
    )
    description = models.TextField(max_length=4000, blank=True)
    published = models.BooleanField(
        "show on the public site",
        default=False,
        help_text="Only published campaigns appear on the partnership's public pages.",
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: SETTINGS_EDITORS},
            change={P: SETTINGS_EDITORS},
            delete={P: SETTINGS_EDITORS},
        )
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["partnership", "published", "started_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cdop:campaign_detail", args=[self.pk])

    def clean(self) -> None:
        from .rules import check_campaign

        check_campaign(self)
