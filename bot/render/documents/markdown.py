"""Markdown renderer for the collection document (CommonMark + GFM tables).

Escaping: the template's ``finalize`` hook escapes *every* ``{{ value }}`` unless the value is
``_Md`` (Markdown this module built itself). That gives Markdown the same "escape by default"
property Jinja's autoescape gives HTML: forgetting a filter can only over-escape, never let a
member's ``*text*``, ``[link](javascript:...)`` or ``| cell`` turn into markup.

* Inline text (headings, table cells, list items): whitespace incl. newlines collapses to one
  space, then ``\\ ` * _ { } [ ] ( ) # + - ! | < > ~ = &`` get a backslash (CommonMark allows a
  backslash before any ASCII punctuation, so over-escaping is harmless; ``&`` stops ``&amp;``
  from being decoded as an entity; ``|`` keeps GFM table cells intact).
* Block text (``|block``): the same per line, blank lines dropped and lines joined by a hard
  line break (backslash + newline) so a member's line breaks survive without one line
  starting a list, heading or code block (leading whitespace and ``1.`` are neutralised).

Charts: Markdown cannot carry image bytes portably, and base64 data URIs make the file huge
and are not shown by many viewers. So ``render_markdown`` references ``charts/chart-<n>.png``
and ``render_markdown_bundle`` returns the .md plus those PNGs (``render_markdown_zip`` packs
the bundle in one .zip for sending as a single Telegram document).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from io import BytesIO
from typing import Any

from jinja2 import Environment, StrictUndefined

from bot.render.documents._common import clean, present_sections, safe_link
from bot.render.documents.model import CollectionDocument

__all__ = [
    "MARKDOWN_NAME",
    "chart_path",
    "escape_markdown",
    "render_markdown",
    "render_markdown_bundle",
    "render_markdown_zip",
]

MARKDOWN_NAME = "document.md"

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~=&])")
_ORDERED_MARKER = re.compile(r"^(\d+)([.)])")
_WHITESPACE = re.compile(r"\s+")
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed, so the same document gives the same zip bytes


class _Md(str):
    """Markdown built by this module: passed through ``finalize`` unescaped."""

    __slots__ = ()


def escape_markdown(text: str | None) -> str:
    """Escapes ``text`` as one line of inline Markdown (safe in headings and table cells)."""
    collapsed = _WHITESPACE.sub(" ", clean(text)).strip()
    return _ORDERED_MARKER.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", collapsed))


def _block(text: str | None) -> _Md:
    """Escapes multi-line member text, keeping its line breaks as hard breaks."""
    lines = [escape_markdown(line) for line in clean(text).split("\n")]
    return _Md("\\\n".join(line for line in lines if line))


def _finalize(value: Any) -> str:
    if isinstance(value, _Md):
        return value
    if value is None:
        return ""
    return escape_markdown(str(value))


def _cell(value: str | Sequence[str] | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int):
        return escape_markdown(str(value))
    return "; ".join(escaped for escaped in map(escape_markdown, value) if escaped)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> _Md:
    """A GFM pipe table; cells are escaped here (lists joined with "; ")."""
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + " --- |" * len(headers),
    ]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return _Md("\n".join(lines))


def _link(link: str | None) -> _Md:
    """An autolink for http(s) URLs, escaped plain text for anything else."""
    safe = safe_link(link)
    return _Md(f"<{safe}>" if safe else escape_markdown(link))


def chart_path(index: int) -> str:
    """Relative path of the n-th chart (1-based) inside the Markdown bundle."""
    return f"charts/chart-{index}.png"


_TEMPLATE = """\
# {{ doc.title }}

{% if doc.cop_name %}
**{{ doc.cop_name }}**

{% endif %}
**{{ doc.version_label }}**{% if doc.generated %} · {{ l.generated }}: {#
#}{{ doc.generated }}{% endif %}


{% if doc.theme %}
**{{ l.theme }}:** {{ doc.theme }}

{% endif %}
{% if doc.missing %}
**{{ l.missing }}**

{% for item in doc.missing %}
- {{ item }}
{% endfor %}

{% endif %}
{% for section in sections %}
{% if section == "members" %}
## {{ l.members }}

{{ table([l.name, l.role, l.title], members) }}

{% elif section == "shared_issue" %}
## {{ l.shared_issue }}

{{ table([l.version, l.date, l.status, l.agree, l.not_yet, l.shared_issue], shared_issue) }}

{% elif section == "individual_issues" %}
## {{ l.individual_issues }}

{% for issue in doc.individual_issues %}
**{{ issue.author or l.anonymous }}** · {{ l.meeting }}: {{ issue.meeting }}
{%- if issue.code %} · {{ l.code }}: {{ issue.code }}{% endif %}


{{ issue.text|block }}

{% if issue.reflection %}
*{{ l.reflection }}:* {{ issue.reflection|block }}

{% endif %}
{% endfor %}
{% elif section == "development" %}
## {{ l.development }}

{{ table([l.meeting] + doc.development_header + [l.total], development) }}

{% if doc.development_legend %}
{{ doc.development_legend|block }}

{% endif %}
{% elif section == "qualities" %}
## {{ l.qualities }}

{{ table([l.name, l.quality, l.named, l.used, l.examples], qualities) }}

{% elif section == "profiles" %}
## {{ l.profiles }}

{% for p in doc.profiles %}
- **{{ p.member }}**{% if p.title %} ({{ p.title }}){% endif %}
{%- for q, n in p.qualities %}{% if loop.first %}: {% else %}, {% endif %}{{ q }} ({{ n }})
{%- endfor %}

{% endfor %}

{% elif section == "reading" %}
## {{ l.reading }}

{% for r in doc.reading %}
### {{ r.source }}

{% if r.authors or r.year %}
{{ [r.authors, r.year]|select|join(", ") }}

{% endif %}
{% if r.link %}
**{{ l.link }}:** {{ r.link|link }}

{% endif %}
{% if r.shared_by %}
**{{ l.shared_by }}:** {{ r.shared_by }}

{% endif %}
{% for i in r.insights %}
- **{{ i.author or l.anonymous }}:** {{ i.insight }}
{%- if i.practice %} — *{{ l.practice }}:* {{ i.practice }}{% endif %}

{% endfor %}

{% endfor %}
{% elif section == "meetings" %}
## {{ l.meetings }}

{{ table(["#", l.date, l.status, l.attendance, l.agenda, l.notes], meetings) }}

{% elif section == "agreements" %}
## {{ l.agreements }}

{{ table([l.agreements, l.status, l.owner, l.due, l.new_practice, l.follow_up], agreements) }}

{% elif section == "charts" %}
## {{ l.charts }}

{% for c in doc.charts %}
### {{ c.title }}

![{{ c.alt }}]({{ chart_path(loop.index) }})

{% endfor %}
{% endif %}
{% endfor %}
"""

_ENV = Environment(
    autoescape=False,  # Markdown, not HTML: escaping is done by _finalize instead
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)
_ENV.filters["block"] = _block
_ENV.filters["link"] = _link
_ENV.globals.update(table=_table, chart_path=lambda n: _Md(chart_path(n)))
_COMPILED = _ENV.from_string(_TEMPLATE)


def render_markdown(doc: CollectionDocument) -> str:
    """Renders ``doc`` as Markdown; charts are referenced as ``charts/chart-<n>.png``."""
    out = _COMPILED.render(
        doc=doc,
        l=doc.labels,
        sections=present_sections(doc),
        members=[[m.name, m.role, m.title] for m in doc.members],
        shared_issue=[
            [v.version, v.date, v.status, v.agree, v.not_yet, v.text] for v in doc.shared_issue
        ],
        development=[[r.meeting, *r.shares, r.total] for r in doc.development],
        qualities=[[q.member, q.quality, q.named, q.used, q.examples] for q in doc.qualities],
        meetings=[
            [m.number, m.date, m.status, m.attendance, m.agenda, m.notes] for m in doc.meetings
        ],
        agreements=[
            [a.text, a.status, a.owner, a.due, "✓" if a.practice else "", a.follow_up]
            for a in doc.agreements
        ],
    )
    # Omitted optional blocks leave runs of blank lines; one blank line is all Markdown needs.
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"


def render_markdown_bundle(doc: CollectionDocument) -> dict[str, bytes]:
    """The Markdown (UTF-8) under ``MARKDOWN_NAME`` plus every chart under ``chart_path(n)``."""
    bundle = {MARKDOWN_NAME: render_markdown(doc).encode("utf-8")}
    for index, chart in enumerate(doc.charts, start=1):
        bundle[chart_path(index)] = chart.png
    return bundle


def render_markdown_zip(doc: CollectionDocument) -> bytes:
    """The bundle as one deterministic .zip (fixed timestamps), e.g. for one Telegram file."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in render_markdown_bundle(doc).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()
