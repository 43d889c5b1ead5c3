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

from bot.render.documents._common import clean, present_sections, safe_link
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
.version { background: #eef5fb; border-left: 4px solid #0072B2; padding: .4rem .7rem; }
.missing { background: #fff6e5; border-left: 4px solid #E69F00; padding: .4rem .7rem; }
.text { white-space: pre-line; }
.meta { color: #555; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
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
  tr, figure, .issue { break-inside: avoid; }
  tbody tr:nth-child(even), th, .version, .missing {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_TEMPLATE = """\
{%- macro table(headers, rows) -%}
<table>
<thead><tr>{% for h in headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}
<tr>{% for c in row %}<td dir="auto">
{%- if c is string or c is number or c is none %}{{ c }}
{%- elif c|length == 1 %}{{ c[0] }}
{%- elif c %}<ul>{% for item in c %}<li>{{ item }}</li>{% endfor %}</ul>
{%- endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{%- endmacro -%}
<!DOCTYPE html>
<html lang="{{ doc.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="copbot">
<title>{{ doc.title }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<h1 dir="auto">{{ doc.title }}</h1>
{% if doc.cop_name %}<p class="subtitle" dir="auto">{{ doc.cop_name }}</p>{% endif %}
<p class="version"><strong>{{ doc.version_label }}</strong>
{%- if doc.generated %} · {{ l.generated }}: {{ doc.generated }}{% endif %}</p>
{% if doc.theme %}<p><strong>{{ l.theme }}:</strong> <span dir="auto">{{ doc.theme }}</span></p>
{% endif %}
{% if doc.missing %}
<div class="missing"><strong>{{ l.missing }}</strong>
<ul>{% for item in doc.missing %}<li>{{ item }}</li>{% endfor %}</ul></div>
{% endif %}
</header>
<main>
{% for section in sections %}
<section id="{{ section }}">
{% if section == "members" %}
<h2>{{ l.members }}</h2>
{{ table([l.name, l.role, l.title], members) }}
{% elif section == "shared_issue" %}
<h2>{{ l.shared_issue }}</h2>
{{ table([l.version, l.date, l.status, l.agree, l.not_yet, l.shared_issue], shared_issue) }}
{% elif section == "individual_issues" %}
<h2>{{ l.individual_issues }}</h2>
{% for issue in doc.individual_issues %}
<div class="issue">
<p class="meta"><strong dir="auto">{{ issue.author or l.anonymous }}</strong>
 · {{ l.meeting }}: {{ issue.meeting }}{% if issue.code %} · {{ l.code }}: {{ issue.code }}
{%- endif %}</p>
<p class="text" dir="auto">{{ issue.text }}</p>
{% if issue.reflection %}<p class="text" dir="auto"><em>{{ l.reflection }}:</em> {{
 issue.reflection }}</p>{% endif %}
</div>
{% endfor %}
{% elif section == "development" %}
<h2>{{ l.development }}</h2>
{{ table([l.meeting] + doc.development_header + [l.total], development) }}
{% if doc.development_legend %}<p class="meta text">{{ doc.development_legend }}</p>{% endif %}
{% elif section == "qualities" %}
<h2>{{ l.qualities }}</h2>
{{ table([l.name, l.quality, l.named, l.used, l.examples], qualities) }}
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
{% if r.link %}<p><strong>{{ l.link }}:</strong> {% if r.link|safe_link %}<a href="{{
 r.link|safe_link }}" rel="noopener noreferrer">{{ r.link }}</a>{% else %}{{ r.link }}{% endif %}
</p>{% endif %}
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
{{ table(["#", l.date, l.status, l.attendance, l.agenda, l.notes], meetings) }}
{% elif section == "agreements" %}
<h2>{{ l.agreements }}</h2>
{{ table([l.agreements, l.status, l.owner, l.due, l.new_practice, l.follow_up], agreements) }}
{% elif section == "charts" %}
<h2>{{ l.charts }}</h2>
{% for c in charts %}
<figure>
<img src="data:image/png;base64,{{ c.data }}" alt="{{ c.alt }}">
<figcaption dir="auto">{{ c.title }}</figcaption>
</figure>
{% endfor %}
{% endif %}
</section>
{% endfor %}
</main>
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
    return _COMPILED.render(
        doc=doc,
        l=doc.labels,
        css=Markup(_CSS.strip()),  # our own constant: must not be entity-escaped
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
        charts=[
            {
                "data": base64.b64encode(c.png).decode("ascii"),
                "alt": c.alt,
                "title": c.title,
            }
            for c in doc.charts
        ],
    )
