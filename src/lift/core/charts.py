"""Charts for documents: matplotlib (no pyplot, Agg) to SVG for pages and PDFs, PNG for
Word, and the data table that always goes with a chart.

The SVG matplotlib writes carries `style="..."` attributes and a `<style>` element, which
our Content Security Policy forbids. `clean_svg` rewrites the drawing with presentation
attributes instead, drops everything that is not plain drawing (scripts, event handlers,
foreign objects, outside links) and adds `role="img"` with a `<title>` for screen readers.

Charts are drawn to be printed. Every chart draws its title, its units (the value axis
label) and a caption line with its source and period ("Source: LIFT, Harrowmere
performance dataset. Period: April 2026 to March 2027."). The figure is FIGURE_WIDTH_IN
wide and is printed no narrower than PRINT_WIDTH_IN (the 16 cm picture in a Word document;
a PDF's A4 column, 174 mm, is wider), so text drawn at `FONT_PT` prints at least
MIN_PRINT_PT. Category labels on the x axis are rotated when long and thinned (every n-th
shown) until no two labels' drawn boxes overlap; `label_boxes(fig)` and `overlaps(boxes)`
are that layout check, for tests too (and `clipped(fig, boxes)`, labels cut off at the
figure's edge).

Pages that draw charts from their figures cache the drawing with `cached_svg` (at the end
of this module), keyed on a version of the data, so a chart is drawn once per change of
its figures rather than on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import math
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
from django.core.cache import cache

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

if TYPE_CHECKING:
    from .documents import Chart

# GOV.UK Design System colours, in an order that keeps neighbours distinguishable.
PALETTE = [
    "#1d70b8",  # blue
    "#f47738",  # orange
    "#00703c",  # green
    "#4c2c92",  # purple
    "#d4351c",  # red
    "#28a197",  # turquoise
    "#912b88",  # bright purple
    "#505a5f",  # dark grey
]
# Fill patterns and line markers so series differ by more than colour.
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "+++", "ooo", "---"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-.", ":"]

KINDS = ("bar", "barh", "line", "stacked")

# Print sizes. A figure FIGURE_WIDTH_IN wide is placed at PRINT_WIDTH_IN at the narrowest
# (Word: 16 cm; a PDF's A4 text column is 210 mm less 2 x 18 mm margins = 174 mm, so it is
# printed larger there), so a font of s points prints at s * PRINT_WIDTH_IN /
# FIGURE_WIDTH_IN points. FONT_PT is the smallest size that still prints at MIN_PRINT_PT.
FIGURE_WIDTH_IN = 6.4
PRINT_WIDTH_IN = 16 / 2.54
MIN_PRINT_PT = 9.0
FONT_PT = math.ceil(MIN_PRINT_PT * FIGURE_WIDTH_IN / PRINT_WIDTH_IN * 10) / 10  # 9.2
LABEL_GAP_PX = 2.0  # the least space between two labels, at the figure's dpi
BARH_LABEL_CHARS = 28  # a horizontal bar chart's category labels wrap at this width

_RC: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text: searchable, and read by screen readers
    "svg.hashsalt": "lift",  # stable ids, so the same chart gives the same SVG
    "font.family": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "font.size": 10,
    # Every piece of text at least FONT_PT (matplotlib's "small" sizes would be smaller).
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "figure.titlesize": 12,
    "axes.edgecolor": "#505a5f",
    "axes.labelcolor": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
    "hatch.color": "#ffffff",
    "hatch.linewidth": 1.0,
}


# --- data -------------------------------------------------------------------------------


def chart_table(chart: Chart) -> tuple[list[str], list[list[Any]]]:
    """The chart's data as headers and rows: one row per category, one column per series."""
    headers = [chart.x_label or "Category", *chart.series.keys()]
    rows = [
        [category, *(values[i] for values in chart.series.values())]
        for i, category in enumerate(chart.categories)
    ]
    return headers, rows


# --- drawing ----------------------------------------------------------------------------


def caption(chart: Chart) -> str:
    """The chart's source and period line: "Source: LIFT. Period: April 2026 to March 2027."."""
    source = (chart.source or "LIFT").strip().rstrip(".")
    text = f"Source: {source}."
    if chart.period:
        text += f" Period: {chart.period.strip().rstrip('.')}."
    return text


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _figure(chart: Chart) -> Figure:
    n_cats = len(chart.categories)
    height = 4.2
    if chart.kind == "barh":
        height = max(3.0, min(9.6, 1.5 + 0.32 * n_cats * max(1, len(chart.series) * 0.6)))
    fig = Figure(figsize=(FIGURE_WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(fig)  # a renderer, to measure the drawn labels
    ax = fig.add_subplot()
    positions = list(range(n_cats))
    names = list(chart.series)
    n = max(1, len(names))

    def vals(values: Sequence[float | None], missing: float) -> list[float]:
        return [missing if v is None else float(v) for v in values]

    if chart.kind in ("bar", "barh"):
        width = 0.8 / n
        for i, name in enumerate(names):
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            style: dict[str, Any] = {
                "color": PALETTE[i % len(PALETTE)],
                "hatch": HATCHES[i % len(HATCHES)],
                "edgecolor": "#ffffff",
                "linewidth": 0.5,
                "label": name,
            }
            if chart.kind == "bar":
                ax.bar(offsets, vals(chart.series[name], 0.0), width, **style)
            else:
                ax.barh(offsets, vals(chart.series[name], 0.0), width, **style)
    elif chart.kind == "stacked":
        bottom = [0.0] * n_cats
        for i, name in enumerate(names):
            heights = vals(chart.series[name], 0.0)
            ax.bar(
                positions,
                heights,
                0.7,
                bottom=bottom,
                color=PALETTE[i % len(PALETTE)],
                hatch=HATCHES[i % len(HATCHES)],
                edgecolor="#ffffff",
                linewidth=0.5,
                label=name,
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    else:  # line
        for i, name in enumerate(names):
            ax.plot(
                positions,
                vals(chart.series[name], math.nan),
                color=PALETTE[i % len(PALETTE)],
                marker=MARKERS[i % len(MARKERS)],
                linestyle=LINESTYLES[i % len(LINESTYLES)],
                linewidth=2,
                markersize=6,
                label=name,
            )

    long_labels = n_cats > 6 or any(len(str(c)) > 12 for c in chart.categories)
    if chart.kind == "barh":
        # Long category names (the CDOP's categories run to 87 characters) wrapped, so they
        # fit beside the axis rather than run off the page's edge.
        ax.set_yticks(positions, [_wrap(str(c), BARH_LABEL_CHARS) for c in chart.categories])
        ax.invert_yaxis()  # first category at the top, as in the table
        ax.grid(axis="x", color="#b1b4b6", linewidth=0.6)
        if chart.y_label:
            ax.set_xlabel(chart.y_label)
        if chart.x_label:
            ax.set_ylabel(chart.x_label)
    else:
        ax.set_xticks(
            positions,
            [str(c) for c in chart.categories],
            rotation=30 if long_labels else 0,
            ha="right" if long_labels else "center",
        )
        ax.grid(axis="y", color="#b1b4b6", linewidth=0.6)
        if chart.y_label:
            ax.set_ylabel(chart.y_label)
        if chart.x_label:
            ax.set_xlabel(chart.x_label)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if chart.kind != "line":
        if chart.kind == "barh":
            ax.set_xlim(left=0)
        else:
            ax.set_ylim(bottom=0)
    drawn = [float(v) for vs in chart.series.values() for v in vs if v is not None]
    if drawn and not any(drawn):
        # Every value is 0 (the others withheld or missing): an axis from 0 to 1, not
        # matplotlib's 0 to 0.055, whose tick labels ("0.000", "0.006" ...) overlap.
        (ax.set_xlim if chart.kind == "barh" else ax.set_ylim)(0, 1)
    integral = all(
        float(v).is_integer() for vs in chart.series.values() for v in vs if v is not None
    )
    if integral:  # counts: no "2.5 reviews" on the axis
        (ax.xaxis if chart.kind == "barh" else ax.yaxis).set_major_locator(
            MaxNLocator(integer=True)
        )
    if len(names) > 1:
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(_wrap(chart.title, 70), x=0.0, ha="left", fontweight="bold")
    fig.supxlabel(_wrap(caption(chart), 90), x=0.0, ha="left", fontsize=FONT_PT + 0.3)
    if chart.kind != "barh":
        fit_labels(fig, ax.get_xticklabels())
    return fig


# --- layout check -----------------------------------------------------------------------


def label_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every visible piece of text in the drawn figure with its box in pixels (title,
    caption, axis labels, tick labels, legend), laid out as it will be saved."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in _drawn_texts(fig)]


def _drawn_texts(fig: Figure) -> list[Text]:
    # matplotlib keeps tick labels for ticks outside the axis's range, visible but not drawn.
    undrawn: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks():
                if not low - span <= tick.get_loc() <= high + span:
                    undrawn.update({id(tick.label1), id(tick.label2)})
    return [
        t
        for t in fig.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip() and id(t) not in undrawn
    ]


def overlaps(boxes: Sequence[tuple[str, Bbox]], gap: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes (grown by `gap` pixels) overlap."""
    pairs = []
    for i, (a, box_a) in enumerate(boxes):
        grown = box_a.padded(gap / 2)
        for b, box_b in boxes[i + 1 :]:
            if grown.overlaps(box_b.padded(gap / 2)):
                pairs.append((a, b))
    return pairs


def clipped(fig: Figure, boxes: Sequence[tuple[str, Bbox]]) -> list[str]:
    """Labels whose boxes run beyond the figure's edges (cut off when printed)."""
    edge = fig.bbox.padded(1.0)
    return [
        text
        for text, box in boxes
        if box.x0 < edge.x0 or box.y0 < edge.y0 or box.x1 > edge.x1 or box.y1 > edge.y1
    ]


def smallest_font_pt(fig: Figure) -> float:
    """The smallest font size of the visible text as printed at PRINT_WIDTH_IN."""
    scale = PRINT_WIDTH_IN / fig.get_figwidth()
    sizes = [float(t.get_fontsize()) for t in _drawn_texts(fig)]
    return min(sizes) * scale if sizes else math.inf


def fit_labels(fig: Figure, labels: Sequence[Text]) -> int:
    """Show every n-th of `labels`, with the smallest n for which no two shown labels'
    drawn boxes come within LABEL_GAP_PX of each other. Returns n."""
    labels = [t for t in labels if t.get_text().strip()]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for step in range(1, len(labels) + 1):
        for i, text in enumerate(labels):
            text.set_visible(i % step == 0)
        fig.draw_without_rendering()
        shown = [(t.get_text(), t.get_window_extent(renderer)) for t in labels if t.get_visible()]
        if not overlaps(shown, LABEL_GAP_PX):
            return step
    return len(labels)


def chart_svg(chart: Chart, *, element_id: str = "") -> str:
    """The chart as an inline `<svg>` element safe for a page under a strict CSP. The
    drawing is kept (`cached_svg`, keyed on everything the chart is drawn from), so a chart
    that a document shows again (the CDOP's and the training report's charts inside the
    annual report, the same report as a page and a PDF) is drawn once."""

    def draw() -> str:
        with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
            fig = _figure(chart)
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()

    # The drawing's settings are in the version too: a changed size or font is drawn anew.
    drawn = cached_svg("charts:svg", data_version(chart, _RC, FIGURE_WIDTH_IN), draw)
    return clean_svg(drawn, title=chart.title, element_id=element_id)


def chart_png(chart: Chart, *, dpi: int = 200) -> bytes:
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = _figure(chart)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, facecolor="#ffffff")
    return out.getvalue()


# --- SVG cleaning -----------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "defs",
        "clipPath",
        "pattern",
        "use",
        "title",
        "desc",
        "linearGradient",
        "radialGradient",
        "stop",
        "marker",
        "symbol",
        "mask",
    }
)
# Presentation properties we carry over from style="" (everything else is dropped).
_PROPERTIES = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "alignment-baseline",
        "clip-rule",
        "stop-color",
        "stop-opacity",
        "visibility",
        "display",
    }
)
_ATTRIBUTES = _PROPERTIES | {
    "id",
    "d",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "width",
    "height",
    "viewBox",
    "transform",
    "points",
    "clip-path",
    "mask",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "gradientUnits",
    "gradientTransform",
    "offset",
    "preserveAspectRatio",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "version",
    "role",
    "aria-labelledby",
    "aria-hidden",
    "focusable",
    "textLength",
    "lengthAdjust",
    "rotate",
}
_URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)['\"]?\s*\)")
_BAD_VALUE = re.compile(r"expression|javascript:|@import|\\", re.I)


class UnsafeSvg(ValueError):
    pass


def _local(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _safe_value(value: str) -> bool:
    if _BAD_VALUE.search(value):
        return False
    return all(target.startswith("#") for target in _URL.findall(value))


def _style_attributes(style: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for declaration in style.split(";"):
        prop, _, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if prop in _PROPERTIES and value and _safe_value(value):
            result[prop] = value
    return result


def _clean(element: ET.Element, inherited: dict[str, str] | None = None) -> ET.Element | None:
    ns, tag = _local(element.tag)
    if ns not in ("", SVG_NS) or tag not in _ELEMENTS:
        return None
    out = ET.Element(tag)
    attrs: dict[str, str] = dict(inherited or {})
    for name, value in element.attrib.items():
        attr_ns, attr = _local(name)
        if attr == "href" and attr_ns in ("", XLINK_NS):
            if value.startswith("#"):
                attrs["xlink:href"] = value
            continue
        if attr_ns:
            continue
        if attr == "style":
            attrs.update(_style_attributes(value))
        elif attr in _ATTRIBUTES and _safe_value(value):
            attrs[attr] = value
    out.attrib.update(attrs)
    out.text = element.text
    for child in element:
        cleaned = _clean(child)
        if cleaned is not None:
            cleaned.tail = child.tail
            out.append(cleaned)
    return out


def _serialise(element: ET.Element, parts: list[str]) -> None:
    attrs = "".join(
        f' {name}="{html.escape(value, quote=True)}"' for name, value in element.attrib.items()
    )
    children = list(element)
    text = (element.text or "").strip()
    if not children and not text:
        parts.append(f"<{element.tag}{attrs}/>")
    else:
        parts.append(f"<{element.tag}{attrs}>")
        if text:
            parts.append(html.escape(element.text or "", quote=False))
        for child in children:
            _serialise(child, parts)
            if (child.tail or "").strip():
                parts.append(html.escape(child.tail or "", quote=False))
        parts.append(f"</{element.tag}>")


def _prefix_ids(root: ET.Element, prefix: str) -> None:
    """Make ids unique on a page holding several drawings (matplotlib numbers its groups
    the same way in every figure), keeping internal references pointing at the right ones."""
    ids = {el.get("id", "") for el in root.iter()} - {""}
    if not ids:
        return

    def rename(value: str) -> str:
        return f"{prefix}-{value}" if value in ids else value

    for el in root.iter():
        for name, value in list(el.attrib.items()):
            if name == "id":
                el.set(name, rename(value))
            elif name == "xlink:href" and value.startswith("#"):
                el.set(name, "#" + rename(value[1:]))
            elif "url(" in value:
                el.set(name, _URL.sub(lambda m: f"url(#{rename(m.group(1).lstrip('#'))})", value))


def clean_svg(svg: str, *, title: str, element_id: str = "") -> str:
    """A drawing-only copy of `svg` with presentation attributes instead of CSS, no fixed
    size (it scales to its container), and an accessible name."""
    if re.search(r"<!ENTITY", svg, re.I):
        raise UnsafeSvg("SVG with entity declarations is refused.")
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", svg, flags=re.I).strip()
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"Not a well-formed SVG: {exc}") from exc
    if _local(root.tag)[1] != "svg":
        raise UnsafeSvg("The drawing is not an SVG.")
    # matplotlib's one stylesheet rule sets inherited stroke defaults: apply them at the root.
    inherited = {"stroke-linejoin": "round", "stroke-linecap": "butt"}
    cleaned = _clean(root, inherited)
    assert cleaned is not None
    for name in ("width", "height", "id"):
        cleaned.attrib.pop(name, None)
    if element_id:
        _prefix_ids(cleaned, element_id)
    title_id = f"{element_id}-title" if element_id else ""
    if element_id:
        cleaned.set("id", element_id)
        cleaned.set("aria-labelledby", title_id)
    cleaned.set("role", "img")
    cleaned.set("focusable", "false")
    for old in cleaned.findall("title"):
        cleaned.remove(old)
    title_el = ET.Element("title")
    title_el.text = title
    if title_id:
        title_el.set("id", title_id)
    cleaned.insert(0, title_el)
    parts: list[str] = []
    _serialise(cleaned, parts)
    head = parts[0]
    parts[0] = head.replace("<svg", f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"', 1)
    return "".join(parts)


# --- values -----------------------------------------------------------------------------


def format_value(value: Any) -> str:
    """How a table cell shows a value: thousands separators, dates in words, blank None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.1f}"
    if isinstance(value, dt.datetime):
        return f"{value:%-d %B %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def format_row(row: Iterable[Any]) -> list[str]:
    return [format_value(v) for v in row]


# --- caching drawn charts ---------------------------------------------------------------
#
# Drawing a chart costs far more than counting the figures behind it, so a page draws its
# charts once per version of its data and reuses the drawing until the data changes:
#
#     html = cached_svg(
#         f"training:dashboard:{partnership.pk}:{programme_pk}",
#         version=stamp,                  # anything that changes when the figures change
#         draw=lambda: render_html(doc, include_title=False),
#     )
#
# - `key` names what is drawn (the page or chart, and whose data); `version` is the data's
#   version: a hash of the figures (`data_version(...)`), or a cheap stamp read in one
#   query (e.g. the latest `updated_at` and the count of the rows the chart is drawn
#   from). Both go into the cache key, so a changed figure is never served a stale
#   drawing; old versions expire.
# - `draw` is called only on a miss. It returns the SVG, or the HTML fragment holding the
#   SVG and its data table, stored as it is.
# - The cache is Django's default cache (locmem in tests, emptied for each test), so a
#   drawing is shared by every worker that shares the cache.

CACHE_PREFIX = "lift:chart:"
CACHE_SECONDS = 7 * 24 * 3600  # a version still current after a week is drawn again


def chart_cache_key(key: str, version: str) -> str:
    """The cache key for `key` at `version` (hashed, so any length and characters do)."""
    digest = hashlib.sha256(f"{key}\x00{version}".encode()).hexdigest()
    return f"{CACHE_PREFIX}{digest}"


def data_version(*parts: object) -> str:
    """A version from the figures (or stamps) a chart is drawn from: a hash of their repr,
    so equal figures give an equal version and any changed figure a new one."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_svg(
    key: str, version: str, draw: Callable[[], str], *, timeout: int = CACHE_SECONDS
) -> str:
    """The drawing for `key` at data `version`: from the cache, or drawn by `draw()` and
    kept for `timeout` seconds."""
    full = chart_cache_key(key, version)
    found = cache.get(full)
    if found is not None:
        return str(found)
    drawn = str(draw())
    cache.set(full, drawn, timeout)
    return drawn
