"""A published review's report and learning briefing as PDF downloads on the public site:
no sign-in, published reviews only, the partnership's own, the published texts only (never
the restricted record). Every child and name here is fictional."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from lift.core.models import Partnership
from lift.reviews.models import ChildIdentity, Review

from .test_public import _review

pytestmark = pytest.mark.django_db

REPORT = "Harrowmere lessons: Child A's agencies did not share what they knew.\n\nSecond part."
BRIEFING = "Seven minutes: share worries about bruising in babies the same day."
# The restricted record: never in a public page or document.
FULL_NAME = "Amelie Testcase"
NHS = "485 777 3456"


def _pdf(review: Review, part: str, **query: str):
    return Client().get(reverse("reviews:public_pdf", args=[review.slug, part]), query)


def _text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def published(partnership: Partnership) -> Review:
    review = _review(partnership, "Child A", REPORT)
    ChildIdentity.objects.create(
        partnership=partnership,
        incident=review.incident,
        pseudonym="Child A",
        full_name=FULL_NAME,
        is_subject=True,
        date_of_birth=dt.date(2024, 11, 2),
        postcode="HM1 2AB",
        nhs_number=NHS,
    )
    review.briefing_text = BRIEFING
    review.save()
    return review


def test_the_public_page_offers_the_report_and_briefing_with_their_dates(published: Review):
    page = Client().get(reverse("reviews:public_detail", args=[published.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    q = f"?partnership={published.partnership.slug}"
    assert f"{reverse('reviews:public_pdf', args=[published.slug, 'report'])}{q}" in body
    assert f"{reverse('reviews:public_pdf', args=[published.slug, 'briefing'])}{q}" in body
    assert "2 June 2025" in body  # published
    assert "At least 2 June 2026" in body  # the 12-month minimum period
    for secret in (FULL_NAME, NHS, "HM1 2AB", published.incident.reference):
        assert secret not in body


def test_anyone_can_download_the_published_report(published: Review):
    response = _pdf(published, "report")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert published.title in text
    assert "Harrowmere lessons: Child A's agencies did not share what they knew." in text
    assert "Published 2 June 2025" in text
    assert "Kept on this site until at least 2 June 2026" in text
    assert "What Child A's review found." in text  # the public summary
    for secret in (FULL_NAME, NHS, "HM1 2AB", published.incident.reference, "Testcase"):
        assert secret not in text
    briefing = _pdf(published, "briefing")
    assert briefing.status_code == 200
    assert BRIEFING in _text(briefing.content)
    assert _pdf(published, "minutes").status_code == 404


def test_the_pdf_is_tagged(published: Review):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_pdf(published, "report").content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata is not None and reader.metadata.title == published.title


def test_no_briefing_no_briefing_download(partnership: Partnership):
    review = _review(partnership, "Child B", "Lessons for Child B.")
    page = Client().get(reverse("reviews:public_detail", args=[review.slug])).content.decode()
    assert reverse("reviews:public_pdf", args=[review.slug, "report"]) in page
    assert reverse("reviews:public_pdf", args=[review.slug, "briefing"]) not in page
    assert _pdf(review, "briefing").status_code == 404


def test_unpublished_and_other_partnerships_reviews_are_not_found(
    published: Review, partnership: Partnership, other_partnership: Partnership
):
    decided = _review(partnership, "Child D", "Not yet published: Child D.", publish=False)
    assert not decided.slug
    # An unpublished review has no public slug; guessing at the one it would get finds nothing.
    assert Client().get("/public/reviews/child-d/report.pdf").status_code == 404
    assert _pdf(published, "report", partnership=other_partnership.slug).status_code == 404
    assert _pdf(published, "report", partnership=partnership.slug).status_code == 200
    theirs = _review(other_partnership, "Child K", "Elsewhere lessons: Child K.")
    assert _pdf(theirs, "report", partnership=partnership.slug).status_code == 404


def test_a_text_changed_to_hold_an_identifier_is_withheld(published: Review):
    """Changed after publication to name the child: the guard stops it being shown."""
    Review.objects.filter(pk=published.pk).update(
        report_text=f"{REPORT}\n\n{FULL_NAME} lived with her grandmother."
    )
    assert _pdf(published, "report").status_code == 404
    assert _pdf(published, "briefing").status_code == 404
    page = Client().get(reverse("reviews:public_detail", args=[published.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert FULL_NAME not in body and "not available at the moment" in body
    assert reverse("reviews:public_pdf", args=[published.slug, "report"]) not in body


def test_the_public_page_queries_are_few(published: Review, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert Client().get(reverse("reviews:public_detail", args=[published.slug])).status_code
