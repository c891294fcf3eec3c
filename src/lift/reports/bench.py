"""The annual report in the benchmark: a draft report for this financial year in every
bench partnership (the subject `lift bench` times the annual report document on), and the
public campaigns page as a key page."""

from __future__ import annotations

import random
from typing import Any

from lift.core.bench.data import BenchContext, Scale
from lift.core.bench.registry import Targets


def generate_reports(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.voice.rules import year_of

    from .models import AnnualReport

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


def _annual_report(t: Targets) -> Any:
    return t.first("reports.AnnualReport")


def _public_query(t: Targets) -> str:
    return f"?partnership={t.partnership.slug}"


def register() -> None:
    from lift.core.bench import register_document_subject, register_generator, register_page

    register_generator("reports", generate_reports, order=90)
    register_document_subject("annual_report", _annual_report)
    register_page(
        "Public: awareness campaigns", "reports:public_campaigns", role="", query=_public_query
    )
