"""The annual training report's page: it opens at once (drawn once per version of the
training data, shared with the dashboard), downloads render once per content, and the PDF
can be built in the background."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lift.core.models import Person
from lift.training.models import Programme
from tests.permissions import assert_permissions

pytestmark = pytest.mark.django_db


def test_the_page_opens_and_the_pdf_builds_in_the_background(
    programme: Programme,
    session: Any,
    business_unit: Person,
    trainer: Person,
    learner: Person,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from lift.core.models.documents import GeneratedDocument

    url = reverse("training:annual_report")
    assert_permissions(url, allowed=[business_unit, trainer], forbidden=[learner])
    page = client_for(trainer).get(url).content.decode()
    assert "Annual training report" in page and "Make the PDF in the background" in page
    assert "Places offered, taken and attended" in page
    pdf = client_for(trainer).get(url + f"?format=pdf&programme={programme.pk}")
    assert pdf.content.startswith(b"%PDF")
    assert client_for(trainer).get(url + "?format=odt").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(trainer).post(url + f"?programme={programme.pk}", {"format": "pdf"})
    assert response.status_code == 302
    built = GeneratedDocument.objects.get(kind="training_annual_report")
    assert built.status == "ready" and built.object_id == programme.pk


@pytest.mark.django_db(transaction=True)
def test_the_page_is_kept_while_the_data_do_not_change(
    programme: Programme,
    session: Any,
    trainer: Person,
    client_for: Callable[[Person], Client],
    django_assert_max_num_queries: Any,
) -> None:
    c = client_for(trainer)
    url = reverse("training:annual_report")
    c.get(url)
    with django_assert_max_num_queries(10):
        assert c.get(url).status_code == 200
