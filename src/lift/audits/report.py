"""The overview report of a multi-agency audit, as one `Doc` for the page, PDF and DOCX.

Everything in it is pseudonymised: returns are cited by case reference, and every piece of
free text passes through `rules.redact` with the sample's identifiers (submission already
refuses text containing them; this is the second lock).
"""

from __future__ import annotations

from typing import Any

from lift.core.documents import Bullets, Chart, Doc, DocTable, Heading, KeyValue, Para

from . import rules, selectors
from .models import Audit, Workshop, YoungPeoplesViews
from .services import audit_identifiers


def _date(d: Any) -> str:
    return f"{d:%-d %B %Y}" if d else "Not set"


def _returns_period(audit: Audit) -> str:
    """The period a chart of the audit's returns covers, for its caption."""
    return f"Returns due by {_date(audit.returns_due_on)}" if audit.returns_due_on else ""


def build_overview(audit: Audit, user: Any) -> Doc:
    """The overview report as `user` may read it (the learning chain through restrict())."""
    identifiers = audit_identifiers(audit)

    def clean(text: str) -> str:
        return rules.redact(text or "", identifiers)

    dist = selectors.grade_distribution(audit)
    progress = selectors.return_progress(audit)
    texts = selectors.report_texts(audit)
    agencies = sorted(a.name for a in audit.agencies.all())
    themes = [t.name for t in audit.themes.all()]
    template = audit.template
    reported = progress.get("submitted", 0) + progress.get("quality_assured", 0)
    blocks: list[Any] = [
        KeyValue(
            [
                ("Programme", str(audit.programme)),
                ("Themes", ", ".join(themes) or "None recorded"),
                ("Planned", f"{_date(audit.planned_start)} to {_date(audit.planned_end)}"),
                ("Participating agencies", ", ".join(agencies) or "None recorded"),
                ("Cases sampled", str(audit.cases.count())),
                ("Sampling rule", clean(audit.sampling_rule) or "Not recorded"),
                ("Returns reported", f"{reported} of {sum(progress.values())}"),
                ("Template", str(template) if template else "Not chosen"),
                ("Status", audit.get_status_display()),
            ]
        ),
    ]
    if audit.overview_summary:
        blocks += [Heading("Summary", 1), Para(clean(audit.overview_summary))]
    if audit.purpose:
        blocks += [Heading("Purpose of the audit", 2), Para(clean(audit.purpose))]

    blocks.append(Heading("Grades by line of enquiry", 1))
    grade_labels = [g.label for g in dist.grades]
    if dist.sections and dist.grades:
        blocks.append(
            Chart(
                "stacked",
                "Grades given by line of enquiry (all agencies)",
                [s.title for s in dist.sections],
                {
                    g.label: [
                        float(dist.by_section.get(s.pk, {}).get(g.pk, 0)) for s in dist.sections
                    ]
                    for g in dist.grades
                },
                y_label="Returns",
                source=f"LIFT, agencies' returns to the audit “{audit.title}”",
                period=_returns_period(audit),
            )
        )
        blocks.append(
            DocTable(
                "Average score by line of enquiry (4 is the best)",
                ["Line of enquiry", "Average score"],
                [
                    [
                        s.title,
                        dist.average.get(s.pk)
                        if dist.average.get(s.pk) is not None
                        else NOT_SCORED,
                    ]
                    for s in dist.sections
                ],
                numeric=(1,),
            )
        )
        for s in dist.sections:
            agencies_here = sorted(dist.by_agency.get(s.pk, {}))
            blocks.append(Heading(s.title, 2))
            if s.description:
                blocks.append(Para(s.description))
            if not agencies_here:
                blocks.append(Para("No grades reported yet."))
                continue
            blocks.append(
                DocTable(
                    f"{s.title}: grades by agency",
                    ["Agency", *grade_labels],
                    [
                        [name, *[dist.by_agency[s.pk][name].get(g.pk, 0) for g in dist.grades]]
                        for name in agencies_here
                    ],
                    numeric=tuple(range(1, len(grade_labels) + 1)),
                )
            )
    else:
        blocks.append(Para("The audit has no template yet."))

    comparison = selectors.reaudit_comparison(audit)
    if comparison is not None:
        rows = comparison["rows"]
        blocks += [
            Heading("Comparison with the earlier audit", 1),
            Para(
                f"This is a re-audit of \u201c{comparison['previous'].title}\u201d. Average scores "
                "by line of enquiry, before and now (4 is the best)."
            ),
            Chart(
                "bar",
                "Average score: earlier audit and re-audit",
                [r["title"] for r in rows],
                {
                    "Earlier audit": [r["before"] for r in rows],
                    "Re-audit": [r["after"] for r in rows],
                },
                y_label="Average score",
                source=f"LIFT, returns to the audit “{audit.title}” and the earlier audit",
                period=_returns_period(audit),
            ),
            DocTable(
                "Change by line of enquiry",
                [
                    "Line of enquiry",
                    "Earlier average",
                    "Re-audit average",
                    "Change",
                    "Earlier % good or better",
                    "Re-audit % good or better",
                ],
                [
                    [
                        r["title"],
                        _num(r["before"]),
                        _num(r["after"]),
                        _num(r["change"], signed=True),
                        _num(r["before_good_share"]),
                        _num(r["after_good_share"]),
                    ]
                    for r in rows
                ],
                numeric=(1, 2, 3, 4, 5),
            ),
        ]

    blocks.append(Heading("Strengths", 1))
    blocks.append(_bullets(texts["strengths"], "No strengths reported yet."))
    blocks.append(Heading("Areas for improvement", 1))
    blocks.append(
        _bullets(texts["areas_for_improvement"], "No areas for improvement reported yet.")
    )

    blocks.append(Heading("Young people's views", 1))
    views = list(YoungPeoplesViews.objects.filter(audit=audit).order_by("held_on"))
    if views:
        for v in views:
            blocks += [
                Heading(f"{clean(v.group_description)}, {_date(v.held_on)}", 2),
                Para(f"How their views were gathered: {v.get_how_gathered_display()}."),
                Para(clean(v.what_they_said)),
            ]
    elif audit.views_waiver_approved_by_id and audit.views_waiver_agreed_by_id:
        blocks.append(
            Para(
                "Young people's views were not sought for this audit. Reason (approved by the "
                f"sub-group chair on {_date(audit.views_waiver_approved_on)} and agreed by "
                f"the Chair on {_date(audit.views_waiver_agreed_on)}): "
                f"{clean(audit.views_waiver_reason)}"
            )
        )
    elif audit.views_waiver_reason.strip():
        blocks.append(
            Para(
                "Young people's views have not been sought. A reason is recorded and waits "
                + (
                    "for the Chair's agreement."
                    if audit.views_waiver_approved_by_id
                    else "for the sub-group chair's approval and the Chair's agreement."
                )
            )
        )
    else:
        blocks.append(Para("Not yet recorded."))

    blocks.append(Heading("Workshop: discussion and challenge", 1))
    workshops = list(Workshop.objects.filter(audit=audit).prefetch_related("agencies"))
    if not workshops:
        blocks.append(Para("The workshop has not been held yet."))
    for w in workshops:
        blocks.append(Heading(f"Workshop on {_date(w.held_on)}", 2))
        names = ", ".join(sorted(a.name for a in w.agencies.all()))
        if names:
            blocks.append(Para(f"Agencies represented: {names}."))
        if w.discussion_notes:
            blocks += [Heading("Discussion", 3), Para(clean(w.discussion_notes))]
        if w.challenge_notes:
            blocks += [Heading("Challenge", 3), Para(clean(w.challenge_notes))]

    findings = list(selectors.audit_findings(user, audit))
    blocks.append(Heading("Findings", 1))
    if findings:
        blocks.append(
            DocTable(
                "Findings",
                ["Finding", "Kind", "What was found"],
                [[clean(f.title), f.get_kind_display(), clean(f.text)] for f in findings],
            )
        )
    else:
        blocks.append(Para("No findings recorded yet."))
    recs = list(selectors.audit_recommendations(user, audit))
    blocks.append(Heading("Recommendations", 1))
    if recs:
        blocks.append(
            DocTable(
                "Recommendations",
                ["Reference", "Recommendation", "To", "Response"],
                [
                    [
                        r.reference or "",
                        clean(r.text),
                        ", ".join(a.name for a in r.agencies.all()) or r.get_addressee_display(),
                        r.get_response_display(),
                    ]
                    for r in recs
                ],
            )
        )
    else:
        blocks.append(Para("No recommendations recorded yet."))

    return Doc(
        title=f"Multi-agency audit overview report: {audit.title}",
        subtitle=", ".join(themes),
        partnership=audit.partnership,
        sections=blocks,
        date=audit.completed_on,
    )


# What a line of enquiry with no graded return shows in place of its average (it printed as
# Python's "None").
NOT_SCORED = "Not scored"


def _num(value: Any, *, signed: bool = False) -> str:
    if value is None:
        return NOT_SCORED
    return f"{value:+.2f}" if signed else f"{value:g}"


def _bullets(items: list[selectors.ReportText], empty: str) -> Any:
    if not items:
        return Para(empty)
    return Bullets([f"{i.case} ({i.agency}): {i.text}" for i in items])
