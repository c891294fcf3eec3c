"""cached_svg: a drawing is made once per key and data version, and never served stale."""

from __future__ import annotations

from django.core.cache import cache

from lift.core.charts import cached_svg, chart_cache_key, data_version


def test_drawn_once_per_version() -> None:
    calls: list[str] = []

    def draw(text: str) -> str:
        calls.append(text)
        return f"<svg>{text}</svg>"

    assert cached_svg("page:chart:1", "v1", lambda: draw("a")) == "<svg>a</svg>"
    assert cached_svg("page:chart:1", "v1", lambda: draw("b")) == "<svg>a</svg>"
    assert calls == ["a"]
    # A new data version is drawn again; the same version of another key is its own.
    assert cached_svg("page:chart:1", "v2", lambda: draw("c")) == "<svg>c</svg>"
    assert cached_svg("page:chart:2", "v1", lambda: draw("d")) == "<svg>d</svg>"
    assert calls == ["a", "c", "d"]


def test_key_includes_the_version_and_is_cache_safe() -> None:
    long_key = "x" * 500 + " spaces and : colons"
    assert chart_cache_key(long_key, "1") != chart_cache_key(long_key, "2")
    assert chart_cache_key("a", "b:c") != chart_cache_key("a:b", "c")
    assert len(chart_cache_key(long_key, "1")) < 250 and " " not in chart_cache_key(long_key, "1")
    cached_svg(long_key, "1", lambda: "<svg/>")
    assert cache.get(chart_cache_key(long_key, "1")) == "<svg/>"


def test_data_version_follows_the_figures() -> None:
    assert data_version([1, 2], "x") == data_version([1, 2], "x")
    assert data_version([1, 2], "x") != data_version([1, 3], "x")


def test_a_chart_shown_again_is_drawn_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lift.core import charts
    from lift.core.documents import Chart

    drawn: list[str] = []
    figure = charts._figure
    monkeypatch.setattr(charts, "_figure", lambda c: drawn.append(c.title) or figure(c))
    chart = Chart("bar", "Returns", ["Police", "Health"], {"Returns": [4, 6]})
    first = charts.chart_svg(chart, element_id="a")
    second = charts.chart_svg(chart, element_id="b")
    assert drawn == ["Returns"]
    assert first != second and 'id="a' in first and 'id="b' in second  # ids per place
    changed = Chart("bar", "Returns", ["Police", "Health"], {"Returns": [4, 7]})
    charts.chart_svg(changed)
    assert drawn == ["Returns", "Returns"]
