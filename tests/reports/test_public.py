"""The public site: no sign-in, only what was published, cacheable, per partnership."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lift.learning.services import dissemination_create
from lift.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(partnership, business_unit):
    public = dissemination_create(
        partnership=partnership,
        kind="briefing",
        title="Seven-minute briefing: bruising in babies",
        held_on=dt.date(2016, 1, 10),
        audience="All practitioners",
        by=business_unit,
    )
    public.is_public = True
    public.save()
    dissemination_create(
        partnership=partnership,
        kind="briefing",
        title="Internal draft briefing",
        held_on=dt.date(2016, 1, 11),
        audience="Board",
        by=business_unit,
    )
    draft = services.annual_report_create(
        partnership=partnership, by=business_unit, year="2016/17", foreword="DRAFT TEXT"
    )
    signed = services.annual_report_create(
        partnership=partnership, by=business_unit, year="2015/16", foreword="Signed foreword"
    )
    services.annual_report_sign_off(report=signed, by=business_unit)
    return {"draft": draft, "signed": signed}


def _get(url, **params):
    return Client().get(url, params)


def test_home_without_sign_in(partnership, published):
    response = _get(reverse("reports:public_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Seven-minute briefing" in page
    assert "Internal draft briefing" not in page
    assert "Annual report 2015/16" in page and "2016/17" not in page
    assert response["Cache-Control"] == "public, max-age=300"
    assert reverse("core:brand_css", args=[partnership.pk]) in page


def test_learning_shows_only_public_briefings(partnership, published):
    page = _get(reverse("reports:public_learning")).content.decode()
    assert "Seven-minute briefing" in page and "Internal draft briefing" not in page


def test_annual_report_is_the_signed_off_one(partnership, published):
    url = reverse("reports:public_annual_report")
    page = _get(url).content.decode()
    assert "Signed foreword" in page and "DRAFT TEXT" not in page
    assert _get(url, year="2016/17").status_code == 404  # a draft is not published
    pdf = _get(url, format="pdf")
    assert pdf.content.startswith(b"%PDF")


def test_many_partnerships_are_listed_and_chosen(partnership, other_partnership, published):
    page = _get(reverse("reports:public_home")).content.decode()
    assert partnership.name in page and other_partnership.name in page
    page = _get(reverse("reports:public_home"), partnership=other_partnership.slug).content.decode()
    assert "Seven-minute briefing" not in page and "No annual report is published yet" in page
    # Its links to other areas' public pages keep the partnership chosen.
    assert f'/public/reviews/?partnership={other_partnership.slug}"' in page
    assert _get(reverse("reports:public_home"), partnership="nowhere").status_code == 404
    page = _get(reverse("reports:public_learning"), partnership=partnership.slug).content.decode()
    assert "Seven-minute briefing" in page


def test_signed_in_pages_are_not_shared_cache(partnership, published, business_unit, client_for):
    response = client_for(business_unit).get(reverse("reports:public_home"))
    assert response.status_code == 200 and "private" in response["Cache-Control"]


def test_nothing_restricted_is_reachable(partnership, published):
    # The report's staff pages all need a sign-in.
    for url in (
        reverse("reports:annualreport_detail", args=[published["draft"].pk]),
        reverse("reports:annualreport_list"),
        reverse("voice:forum"),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def campaigns(partnership, other_partnership, make_person):
    from lift.cdop.services import campaign_create

    coordinator = make_person("cdop_coordinator")
    common = {"kind": "campaign", "audience": "public", "by": coordinator}
    shown = campaign_create(
        partnership=partnership,
        title="Safer sleep, every sleep",
        started_on=dt.date(2016, 2, 1),
        description="Leaflets for every new family.",
        published=True,
        **common,
    )
    hidden = campaign_create(
        partnership=partnership,
        title="Draft campaign on water safety",
        started_on=dt.date(2016, 3, 1),
        **common,
    )
    elsewhere = campaign_create(
        partnership=other_partnership,
        title="Kingsbrook road safety week",
        started_on=dt.date(2016, 3, 1),
        published=True,
        **{**common, "by": None},
    )
    return {"shown": shown, "hidden": hidden, "elsewhere": elsewhere}


def test_only_published_campaigns_are_public(partnership, campaigns):
    q = {"partnership": partnership.slug}
    for name in ("reports:public_home", "reports:public_campaigns"):
        response = _get(reverse(name), **q)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Safer sleep, every sleep" in page
        assert "Draft campaign on water safety" not in page
        assert "Kingsbrook road safety week" not in page
        assert response["Cache-Control"] == "public, max-age=300"
    page = _get(reverse("reports:public_campaigns"), **q).content.decode()
    assert "Leaflets for every new family." in page


def test_unpublishing_removes_a_campaign(partnership, campaigns):
    shown = campaigns["shown"]
    shown.published = False
    shown.save()
    page = _get(reverse("reports:public_campaigns"), partnership=partnership.slug)
    assert "Safer sleep, every sleep" not in page.content.decode()
    assert "No campaigns are published" in page.content.decode()


def test_nothing_else_of_cdop_is_reachable_signed_out(partnership, campaigns):
    shown = campaigns["shown"]
    for url in (
        reverse("cdop:campaign_list"),
        reverse("cdop:campaign_detail", args=[shown.pk]),
        reverse("cdop:trends"),
        "/api/v1/cdop/campaigns/",
    ):
        response = Client().get(url)
        assert response.status_code in (302, 401, 403), url
        assert "Safer sleep" not in response.content.decode()


def test_signed_in_visitors_get_a_private_copy(partnership, campaigns, client_for, learner):
    response = client_for(learner).get(reverse("reports:public_campaigns"))
    assert response["Cache-Control"] == "private, no-cache"
