"""API: scoped lists, value entry through the service (own agency only, rules applied),
revision with a reason, suppression."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lift.core.models import Agency, Person
from lift.performance import services
from lift.performance.models import Indicator, IndicatorValue


def test_lists_are_scoped(
    with_values: Indicator, business_unit: Person, outsider: Person, client_for
) -> None:
    for path in ("indicators", "indicator-values", "scrutiny-focus-areas", "analysis-requests"):
        assert client_for(business_unit).get(f"/api/v1/{path}/").status_code == 200
        theirs = client_for(outsider).get(f"/api/v1/{path}/").json()
        assert theirs["count"] == 0 if "count" in theirs else theirs == []
    mine = client_for(business_unit).get(f"/api/v1/indicator-values/?indicator={with_values.pk}")
    assert mine.json()["count"] == 12
    assert client_for(outsider).get(f"/api/v1/indicators/{with_values.pk}/").status_code == 404


def test_value_entry_through_the_api(
    indicator: Indicator, lead: Person, make_person, other_agency: Agency, client_for
) -> None:
    url = "/api/v1/indicator-values/"
    ok = client_for(lead).post(
        url,
        {"indicator": indicator.pk, "period_start": "2015-04-01", "value": "85"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    bad = client_for(lead).post(
        url,
        {"indicator": indicator.pk, "period_start": "2015-05-01", "value": "101"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "value" in bad.json()["errors"]
    police = make_person("safeguarding_lead", agency=other_agency)
    refused = client_for(police).post(
        url,
        {"indicator": indicator.pk, "period_start": "2015-06-01", "value": "85"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    pk = ok.json()["id"]
    no_reason = client_for(lead).patch(
        f"{url}{pk}/", {"value": "86"}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    revised = client_for(lead).patch(
        f"{url}{pk}/",
        {"value": "86", "change_reason": "Late births"},
        content_type="application/json",
    )
    assert revised.status_code == 200, revised.content
    assert IndicatorValue.objects.get(pk=pk).value == Decimal(86)


def test_small_numbers_suppressed_in_the_api(
    partnership, agency: Agency, business_unit: Person, client_for
) -> None:
    from .conftest import make_indicator

    ind = make_indicator(partnership, agency, code="cpp", suppress_below=5)
    services.value_enter(
        indicator=ind,
        period_start=dt.date(2015, 4, 1),
        value=Decimal(6),
        numerator=Decimal(3),
        denominator=Decimal(50),
        by=None,
    )
    row = client_for(business_unit).get(f"/api/v1/indicator-values/?indicator={ind.pk}").json()
    result = row["results"][0]
    assert result["suppressed"] is True
    assert result["value"] is None and result["numerator"] is None
