"""Markdown renderer for the collection document (CommonMark + GFM tables).

Escaping: the template's ``finalize`` hook escapes *every* ``{{ value }}`` unless the value is
``_Md`` (Markdown this module built itself). That gives Markdown the same "escape by default"
property Jinja's autoescape gives HTML: forgetting a filter can only over-escape, never let a
member's ``*text*``, ``[link](javascript:...)`` or ``| cell`` turn into markup.

* Inline text (headings, table cells, list items): whitespace incl. newlines collapses to one
  space, then ``\\ ` * _ [ ] | < > ~ &`` get a backslash, and ``# + - = !`` only at the
  start, where they would make a heading, list or quote (elsewhere a backslash is only noise
  for a reader of the plain file); ``&`` stops ``&amp;`` from being decoded as an entity;
  ``|`` keeps GFM table cells intact.
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

from bot.render.documents._common import (
    agreements_table,
    clean,
    drop_empty_columns,
    present_sections,
    safe_link,
    title_facts,
)
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

_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&])")
# Marks that only mean something at the start of a line (heading, list, quote, setext).
_LINE_START = re.compile(r"^([#+\-=!])")
_ORDERED_MARKER = re.compile(r"^(\d+)([.)])")
_WHITESPACE = re.compile(r"\s+")
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed, so the same document gives the same zip bytes


class _Md(str):
    """Markdown built by this module: passed through ``finalize`` unescaped."""

    __slots__ = ()


def escape_markdown(text: str | None) -> str:
    """Escapes ``text`` as one line of inline Markdown (safe in headings and table cells)."""
    collapsed = _WHITESPACE.sub(" ", clean(text)).strip()
    escaped = _LINE_START.sub(r"\\\1", _SPECIAL.sub(r"\\\1", collapsed))
    return _ORDERED_MARKER.sub(r"\1\\\2", escaped)


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
{% macro figures(section) %}
{% for index, c in charts if c.section == section %}
![{{ c.alt }}]({{ chart_path(index) }})

*{{ c.title }}*

{% endfor %}
{% endmacro %}
# {{ doc.title }}

{% if doc.cop_name %}
**{{ doc.cop_name }}**

{% endif %}
{% for label, value in facts %}
**{{ label }}:** {{ value }}{% if not loop.last %}\\{% endif %}

{% endfor %}

{% if doc.intro %}
{{ doc.intro|block }}

{% endif %}
{% if doc.withheld %}
**{{ l.withheld }}**

{% for item in doc.withheld %}
- {{ item }}
{% endfor %}

{% endif %}
{% for section in sections %}
{% if section == "members" %}
## {{ l.members }}

{{ table(members[0], members[1]) }}

{% elif section == "shared_issue" %}
## {{ l.shared_issue }}

{{ table([l.version, l.shared_issue, l.status, l.agree, l.not_yet], shared_issue) }}

{% elif section == "individual_issues" %}
## {{ l.individual_issues }}

{% for issue in doc.individual_issues %}
**{{ issue.author or l.anonymous }}** · {{ l.meeting }} {{ issue.meeting }}
{%- if issue.code %} · *{{ issue.code }}*{% endif %}


{{ issue.text|block }}

{% if issue.reflection %}
*{{ l.reflection }}:* {{ issue.reflection|block }}

{% endif %}
{% endfor %}
{% elif section == "development" %}
## {{ l.development }}

{{ table([l.meeting] + doc.development_header + [l.total], development) }}

{{ figures(section)|raw }}
{% if doc.development_legend %}
**{{ l.legend }}**

{% for line in doc.development_legend %}
- {{ line }}
{% endfor %}

{% endif %}
{% elif section == "qualities" %}
## {{ l.qualities }}

{{ table([l.name, l.quality, l.named, l.used, l.examples], qualities) }}

{{ figures(section)|raw }}
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
{% if r.link and r.link != r.source %}
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

{% for m in doc.meetings %}
### {{ l.meeting }} {{ m.number }} · {{ m.date }}

{% if m.status or m.attendance %}
*{{ [m.status, m.attendance]|select|join(" · ") }}*

{% endif %}
{% if m.agenda %}
**{{ l.discussed }}**

{% for item in m.agenda %}
- {{ item }}
{% endfor %}

{% endif %}
{% if m.notes %}
**{{ l.notes }}**

{% for item in m.notes %}
- {{ item }}
{% endfor %}

{% endif %}
{% endfor %}
{% elif section == "agreements" %}
## {{ l.agreements }}

{{ table(agreements[0], agreements[1]) }}

{% endif %}
{% endfor %}
{% if doc.missing %}
## {{ l.still_to_come }}

{% for item in doc.missing %}
- {{ item }}
{% endfor %}
{% endif %}
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
_ENV.filters["raw"] = _Md  # a macro's output: its values were escaped inside it already
_ENV.globals.update(table=_table, chart_path=lambda n: _Md(chart_path(n)))
_COMPILED = _ENV.from_string(_TEMPLATE)


def render_markdown(doc: CollectionDocument) -> str:
    """Renders ``doc`` as Markdown; charts are referenced as ``charts/chart-<n>.png``."""
    labels = doc.labels
    facts = title_facts(doc)
    out = _COMPILED.render(
        doc=doc,
        l=labels,
        facts=facts,
        sections=present_sections(doc),
        charts=list(enumerate(doc.charts, start=1)),
        members=drop_empty_columns(
            [labels.name, labels.role, labels.title],
            [[m.name, m.role, m.title or ""] for m in doc.members],
        ),
        shared_issue=[
            [v.version, v.text, (v.status, v.date), v.agree, v.not_yet] for v in doc.shared_issue
        ],
        development=[[r.meeting, *r.shares, r.total] for r in doc.development],
        qualities=[[q.member, q.quality, q.named, q.used, q.examples] for q in doc.qualities],
        agreements=drop_empty_columns(
            *agreements_table(doc, labels),
        ),
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
