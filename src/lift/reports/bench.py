"""The annual report in the benchmark: a draft report for this financial year in every
bench partnership (the subject `lift bench` times the annual report document on), and the
public campaigns page as a key page."""

from __future__ import annotations

import random
from typing import Any

from lift.core.bench.data import BenchContext, Scale
from lift.core.bench.registry import Targets


def generate_reports(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.governance.models import Board
    from lift.voice.rules import year_of

    from .choices import SectionStatus
    from .models import AnnualReport, Narrative

    year = year_of(ctx.today)
    ctx.insert(
        AnnualReport,
        [
            AnnualReport(
                partnership_id=bp.pk,
                year=year,
                title=f"Bench annual report {year}",
                foreword="A fictional foreword for the benchmark.",
            )
            for bp in ctx.partnerships
        ],
    )
    ids = [bp.pk for bp in ctx.partnerships]
    reports = {r.partnership_id: r.pk for r in AnnualReport.objects.filter(partnership_id__in=ids)}
    groups = {
        (b.partnership_id, b.short_name): b.pk
        for b in Board.objects.filter(partnership_id__in=ids, short_name__in=SECTIONS.values())
    }
    rows = []
    for bp in ctx.partnerships:
        for key, group in SECTIONS.items():
            board = groups.get((bp.pk, group))
            if board is None or bp.pk not in reports:
                continue
            submitted = key == "learning"
            rows.append(
                Narrative(
                    partnership_id=bp.pk,
                    report_id=reports[bp.pk],
                    key=key,
                    board_id=board,
                    due_on=ctx.today,
                    text="A fictional evaluation for the benchmark." if submitted else "",
                    status=SectionStatus.SUBMITTED if submitted else SectionStatus.DRAFT,
                    submitted_on=ctx.today if submitted else None,
                )
            )
    ctx.insert(Narrative, rows)


# The sections asked of a group's chair, by the bench group's short name.
SECTIONS = {"learning": "L&I", "training": "Training", "cdop": "CDOP"}


def _annual_report(t: Targets) -> Any:
    return t.first("reports.AnnualReport")


def _annual_report_args(t: Targets) -> tuple[Any, ...] | None:
    return t.pk("reports.AnnualReport")


def _section_args(t: Targets) -> tuple[Any, ...] | None:
    found = t.pk("reports.Narrative", key="learning")
    return (
        None
        if found is None
        else (t.first("reports.Narrative", key="learning").report_id, "learning")
    )


def _public_query(t: Targets) -> str:
    return f"?partnership={t.partnership.slug}"


def register() -> None:
    from lift.core.bench import register_document_subject, register_generator, register_page

    register_generator("reports", generate_reports, order=90)
    register_document_subject("annual_report", _annual_report)
    register_page("Annual report", "reports:annualreport_detail", args=_annual_report_args)
    register_page(
        "Annual report: a chair's section",
        "reports:section",
        args=_section_args,
    )
    register_page(
        "Public: annual report", "reports:public_annual_report", role="", query=_public_query
    )
    register_page(
        "Public: awareness campaigns", "reports:public_campaigns", role="", query=_public_query
    )
