"""Self-contained HTML5 renderer for the collection document.

* One file, nothing external: CSS is inline and charts are ``data:image/png;base64`` images, so
  the file can be mailed, opened offline or printed to PDF from any browser.
* Jinja2 autoescape is ON for the whole template, so member text (``<script>``, ``&amp;``,
  quotes in attributes) can only ever appear as text. ``finalize`` additionally strips
  characters XML/HTML cannot hold (see ``_common.clean``), matching the Word output.
* Member-written links become ``<a>`` only for http(s) URLs; ``javascript:`` stays plain text.
* Member text keeps its line breaks (``white-space: pre-line``) and gets ``dir="auto"`` so a
  right-to-left contribution is laid out correctly inside a left-to-right document.
* Print CSS: table headers repeat on every page, rows and charts are not split across pages,
  headings stay with what follows them.
"""

from __future__ import annotations

import base64
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from bot.render.documents._common import (
    Cell,
    agreements_table,
    clean,
    column_shares,
    drop_empty_columns,
    footer_name,
    present_sections,
    safe_link,
    shared_issue_table,
    title_facts,
)
from bot.render.documents.model import CollectionDocument

__all__ = ["render_html"]


def _finalize(value: Any) -> Any:
    """Cleans plain strings before autoescape; Markup (macro output) passes untouched."""
    if value is None:
        return ""
    if type(value) is str:
        return clean(value)
    return value


_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  line-height: 1.45; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #0072B2; padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-bottom: .3rem; }
.subtitle { font-size: 1.2rem; color: #444; margin-top: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; }
.withheld { background: #fff6e5; border-left: 4px solid #E69F00; padding: .4rem .7rem; }
nav { background: #eef5fb; border-left: 4px solid #0072B2; padding: .4rem .7rem;
  margin-top: 1rem; }
footer { margin-top: 3rem; color: #555; font-size: .85rem; border-top: 1px solid #c8d3dc; }
body, td, th, h1, h2, h3, p, li, dd { overflow-wrap: anywhere; }
.text { white-space: pre-line; }
.meta { color: #555; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem;
  table-layout: fixed; }
th, td { border: 1px solid #c8d3dc; padding: .3rem .45rem; text-align: left;
  vertical-align: top; white-space: pre-line; }
th { background: #dbe9f5; }
tbody tr:nth-child(even) { background: #f6f9fc; }
td ul { margin: 0; padding-left: 1.1rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; color: #444; }
.issue { margin-bottom: 1rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure, .issue, .meeting { break-inside: avoid; }
  tbody tr:nth-child(even), th, nav, .withheld {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_TEMPLATE = """\
{%- macro table(t) -%}
<table>
<colgroup>{% for w in t.widths %}<col style="width: {{ w }}%">{% endfor %}</colgroup>
<thead><tr>{% for h in t.headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in t.rows %}
<tr>{% for c in row %}<td dir="auto">
{%- if c is string or c is number or c is none %}{{ c }}
{%- elif c|length == 1 %}{{ c[0] }}
{%- elif c %}<ul>{% for item in c %}<li>{{ item }}</li>{% endfor %}</ul>
{%- endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{%- endmacro -%}
{%- macro figures(section) -%}
{% for c in charts if c.section == section %}
<figure>
<img src="data:image/png;base64,{{ c.data }}" alt="{{ c.alt }}">
<figcaption dir="auto">{{ c.title }}</figcaption>
</figure>
{% endfor %}
{%- endmacro -%}
<!DOCTYPE html>
<html lang="{{ doc.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="copbot">
<title>{{ doc.title }}{% if doc.cop_name %}: {{ doc.cop_name }}{% endif %}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<h1 dir="auto">{{ doc.title }}</h1>
{% if doc.cop_name %}<p class="subtitle" dir="auto">{{ doc.cop_name }}</p>{% endif %}
<dl class="facts">
{% for label, value in facts %}<dt>{{ label }}</dt><dd dir="auto">{{ value }}</dd>
{% endfor %}
</dl>
{% if doc.intro %}<p class="text" dir="auto">{{ doc.intro }}</p>{% endif %}
{% if doc.withheld %}
<div class="withheld"><strong>{{ l.withheld }}</strong>
<ul>{% for item in doc.withheld %}<li>{{ item }}</li>{% endfor %}</ul></div>
{% endif %}
{% if contents %}
<nav><strong>{{ l.contents }}</strong>
<ol>{% for id, heading in contents %}<li><a href="#{{ id }}">{{ heading }}</a></li>{% endfor %}</ol>
</nav>
{% endif %}
</header>
<main>
{% for section in sections %}
<section id="{{ section }}">
{% if section == "members" %}
<h2>{{ l.members }}</h2>
{{ table(tables.members) }}
{% elif section == "shared_issue" %}
<h2>{{ l.shared_issue }}</h2>
{{ table(tables.shared_issue) }}
{% elif section == "individual_issues" %}
<h2>{{ l.individual_issues }}</h2>
{% for issue in doc.individual_issues %}
<div class="issue">
<p class="meta"><strong dir="auto">{{ issue.author or l.anonymous }}</strong>
 · {{ l.meeting }} {{ issue.meeting }}{% if issue.code %} · <em>{{ issue.code }}</em>
{%- endif %}</p>
<p class="text" dir="auto">{{ issue.text }}</p>
{% if issue.reflection %}<p class="text" dir="auto"><em>{{ l.reflection }}:</em> {{
 issue.reflection }}</p>{% endif %}
</div>
{% endfor %}
{% elif section == "development" %}
<h2>{{ l.development }}</h2>
{{ table(tables.development) }}
{{ figures(section) }}
{% if doc.development_legend %}<p><strong>{{ l.legend }}</strong></p>
<ul class="meta">{% for line in doc.development_legend %}<li>{{ line }}</li>{% endfor %}</ul>
{% endif %}
{% elif section == "qualities" %}
<h2>{{ l.qualities }}</h2>
{{ table(tables.qualities) }}
{{ figures(section) }}
{% elif section == "profiles" %}
<h2>{{ l.profiles }}</h2>
<ul>
{% for p in doc.profiles %}
<li dir="auto"><strong>{{ p.member }}</strong>{% if p.title %} ({{ p.title }}){% endif %}
{%- for q, n in p.qualities %}{% if loop.first %}: {% else %}, {% endif %}{{ q }} ({{ n }})
{%- endfor %}
</li>
{% endfor %}
</ul>
{% elif section == "reading" %}
<h2>{{ l.reading }}</h2>
{% for r in doc.reading %}
<article>
<h3 dir="auto">{{ r.source }}</h3>
{% if r.authors or r.year %}<p class="meta" dir="auto">{{ [r.authors, r.year]|select|join(", ") }}
</p>{% endif %}
{% if r.link and r.link != r.source %}<p><strong>{{ l.link }}:</strong> {% if r.link|safe_link
 %}<a href="{{ r.link|safe_link }}" rel="noopener noreferrer">{{ r.link }}</a>{% else %}{{
 r.link }}{% endif %}</p>{% endif %}
{% if r.shared_by %}<p><strong>{{ l.shared_by }}:</strong> {{ r.shared_by }}</p>{% endif %}
{% if r.insights %}
<ul>
{% for i in r.insights %}
<li class="text" dir="auto"><strong>{{ i.author or l.anonymous }}:</strong> {{ i.insight }}
{%- if i.practice %}<br><em>{{ l.practice }}:</em> {{ i.practice }}{% endif %}</li>
{% endfor %}
</ul>
{% endif %}
</article>
{% endfor %}
{% elif section == "meetings" %}
<h2>{{ l.meetings }}</h2>
{% for m in doc.meetings %}
<article class="meeting">
<h3>{{ l.meeting }} {{ m.number }} · {{ m.date }}</h3>
{% if m.status or m.attendance %}<p class="meta">{{ [m.status, m.attendance]|select|join(" · ") }}
</p>{% endif %}
{% if m.agenda %}<p><strong>{{ l.discussed }}</strong></p>
<ul>{% for item in m.agenda %}<li class="text" dir="auto">{{ item }}</li>{% endfor %}</ul>
{% endif %}
{% if m.notes %}<p><strong>{{ l.notes }}</strong></p>
<ul>{% for item in m.notes %}<li class="text" dir="auto">{{ item }}</li>{% endfor %}</ul>
{% endif %}
</article>
{% endfor %}
{% elif section == "agreements" %}
<h2>{{ l.agreements }}</h2>
{{ table(tables.agreements) }}
{% endif %}
</section>
{% endfor %}
{% if doc.missing %}
<section id="still_to_come">
<h2>{{ l.still_to_come }}</h2>
<ul>{% for item in doc.missing %}<li>{{ item }}</li>{% endfor %}</ul>
</section>
{% endif %}
</main>
<footer>{{ footer }}</footer>
</body>
</html>
"""

_ENV = Environment(
    autoescape=True,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)
_ENV.filters["safe_link"] = safe_link
_COMPILED = _ENV.from_string(_TEMPLATE)


def render_html(doc: CollectionDocument) -> str:
    """Renders ``doc`` as one self-contained HTML5 page (UTF-8 text)."""
    labels = doc.labels
    sections = present_sections(doc)
    contents = [(name, getattr(labels, name)) for name in sections]
    if doc.missing:
        contents.append(("still_to_come", labels.still_to_come))
    facts = title_facts(doc)
    footer = " \u00b7 ".join(
        part for part in (footer_name(doc.cop_name), doc.version_label, doc.version_note) if part
    )
    tables = {
        "members": _table(
            [labels.name, labels.role, labels.title],
            [[m.name, m.role, m.title or ""] for m in doc.members],
        ),
        "shared_issue": _table(*shared_issue_table(doc, labels), main=1),
        "development": _table(
            [labels.meeting, *doc.development_header, labels.total],
            [[r.meeting, *r.shares, str(r.total)] for r in doc.development],
            main=None,
        ),
        "qualities": _table(
            [labels.name, labels.quality, labels.named, labels.used, labels.examples],
            [[q.member, q.quality, str(q.named), str(q.used), q.examples] for q in doc.qualities],
            main=4,
        ),
        "agreements": _table(
            *agreements_table(doc, labels),
        ),
    }
    return _COMPILED.render(
        doc=doc,
        l=labels,
        css=Markup(_CSS.strip()),  # our own constant: must not be entity-escaped
        sections=sections,
        contents=contents,
        facts=facts,
        footer=footer,
        tables=tables,
        charts=[
            {
                "data": base64.b64encode(c.png).decode("ascii"),
                "alt": c.alt,
                "title": c.title,
                "section": c.section,
            }
            for c in doc.charts
        ],
    )


def _table(headers: list[str], rows: list[list[Cell]], main: int | None = 0) -> dict[str, Any]:
    """A table as the template shows it: empty columns left out, widths sized to content
    (the same ``column_shares`` as the Word file)."""
    main_header = headers[main] if main is not None else None
    headers, rows = drop_empty_columns(headers, rows)
    main = headers.index(main_header) if main_header in headers else None
    cells = [
        [
            clean(v)
            if isinstance(v, str)
            else tuple(clean(x) for x in v)
            if isinstance(v, tuple)
            else [clean(x) for x in v]
            for v in row
        ]
        for row in rows
    ]
    shares = column_shares([clean(h) for h in headers], cells, main=main)
    return {
        "headers": headers,
        "rows": [[_lines(v) if isinstance(v, tuple) else v for v in row] for row in cells],
        "widths": [f"{share * 100:.1f}" for share in shares],
    }


def _lines(parts: tuple[str, ...]) -> Markup:
    """Lines of one value ("adopted", "2 November 2026"), escaped, one under the other."""
    return Markup("<br>").join(parts)  # Markup.join escapes each (already cleaned) part
