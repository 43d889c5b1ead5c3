"""Benchmark: render a large synthetic collection document in every format.

Run from the repository root::

    /work/venv/bin/python bench/bench_document.py [--runs 5] [--out bench/results.jsonl]

The synthetic CoP has 30 members, 40 meetings and 3,000 contributions (1,000 individual
practice issues, 600 quality examples over 240 quality rows, 800 reading insights over 60
sources, 600 agreements) plus two charts drawn by ``bot.render.charts`` at their real sizes.

Per format it reports the median wall time of ``--runs`` renders (after one warm-up), the
peak Python heap during one render (tracemalloc), the peak resident-memory growth during
one render (Linux ``VmHWM`` after resetting it through ``/proc/self/clear_refs``; this also
sees libxml2's C allocations behind python-docx, which tracemalloc cannot) and the output
size. The baseline, measured the same way in the same run, is
``json.dumps(doc.model_dump(mode="json"))`` of the *same big model*: the cheapest possible
serialisation of the data, so ``x_baseline`` says what the layout itself costs.
Goal (from the issue): under 1 s and under 200 MB per format.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run without installing

from bot.render.charts import grouped_bars_png, stacked_shares_png
from bot.render.documents import (
    Agreement,
    Chart,
    CollectionDocument,
    DevelopmentRow,
    IndividualIssue,
    Insight,
    IssueVersion,
    Labels,
    MeetingEntry,
    Person,
    Profile,
    QualityRow,
    ReadingEntry,
    render_docx,
    render_html,
    render_markdown,
    render_markdown_zip,
)

GOAL_SECONDS = 1.0
GOAL_MB = 200.0
MEMBERS, MEETINGS = 30, 40
ISSUES, QUALITY_ROWS, EXAMPLES, SOURCES, INSIGHTS, AGREEMENTS = 1000, 240, 600, 60, 800, 600
CODES = ["I/E", "I/I", "S/E", "S/I"]
QUALITIES = ["Geduld", "Structuur", "Humor", "Creativiteit", "Luisteren", "Overzicht"]
SENTENCE = (
    "In groep 5 merk ik dat de leerlingen bij verhaaltjessommen vastlopen op de taal, "
    "niet op het rekenen; ik wil uitproberen of samen hardop lezen helpt & of dat <werkt>. "
)


def _labels() -> Labels:
    """Dutch-looking labels; the values do not matter for timing, their presence does."""
    return Labels(**{name: name.replace("_", " ").capitalize() for name in Labels.model_fields})


def _text(seed: int, sentences: int) -> str:
    return f"#{seed} " + (SENTENCE * sentences).strip()


def big_document() -> CollectionDocument:
    """A CoP far larger than a school year produces, with realistic text lengths."""
    members = [f"Leerkracht {i:02d}" for i in range(1, MEMBERS + 1)]
    shares = [[25 + (m % 10), 25 - (m % 10), 30 - (m % 7), 20 + (m % 7)] for m in range(MEETINGS)]
    named = [3 + i % 9 for i in range(MEMBERS)]
    used = [1 + i % 6 for i in range(MEMBERS)]
    charts = [
        Chart(
            title="Ontwikkeling van de praktijkvragen per bijeenkomst",
            png=stacked_shares_png(
                title="Ontwikkeling van de praktijkvragen per bijeenkomst",
                categories=[f"B{m + 1}" for m in range(MEETINGS)],
                series=[(code, [row[i] for row in shares]) for i, code in enumerate(CODES)],
                width_px=1600,
            ),
            alt="Gestapelde staven: aandeel I/E, I/I, S/E en S/I per bijeenkomst",
            section="development",
        ),
        Chart(
            title="Kwaliteiten: genoemd en ingezet",
            png=grouped_bars_png(
                title="Kwaliteiten: genoemd en ingezet",
                labels=members[:60],  # the bot draws at most 60 rows (bot.texts.documents)
                series=[("Genoemd", named[:60]), ("Ingezet", used[:60])],
            ),
            alt="Staven per lid: hoe vaak kwaliteiten genoemd en ingezet zijn",
            section="qualities",
        ),
    ]
    return CollectionDocument(
        title="Verzameldocument CoP Rekenen en Taal",
        version_label="Privéversie van de CoP",
        generated="23 november 2026",
        language="nl",
        cop_name="CoP Rekenen en Taal",
        theme="Taal in rekenen",
        labels=_labels(),
        members=[
            Person(name=name, role="Lid" if i else "Facilitator", title=f"De {QUALITIES[i % 6]}")
            for i, name in enumerate(members)
        ],
        shared_issue=[
            IssueVersion(
                version=v,
                text=_text(v, 2),
                status="vastgesteld" if v == 6 else "concept",
                date=f"{v} oktober",
                agree=20 + v,
                not_yet=10 - v,
            )
            for v in range(1, 7)
        ],
        individual_issues=[
            IndividualIssue(
                author=members[i % MEMBERS] if i % 4 else None,
                meeting=str(1 + i % MEETINGS),
                text=_text(i, 2),
                reflection=_text(i, 1) if i % 2 else None,
                code=CODES[i % 4],
            )
            for i in range(ISSUES)
        ],
        development_header=CODES,
        development=[
            DevelopmentRow(meeting=str(m + 1), shares=[f"{s}%" for s in row], total=25)
            for m, row in enumerate(shares)
        ],
        development_legend=["Individueel: de eigen klas. Gezamenlijk: de school.", "Extern."],
        qualities=[
            QualityRow(
                member=members[q % MEMBERS],
                quality=QUALITIES[q % 6],
                named=q % 7,
                used=q % 5,
                examples=[
                    _text(q * 10 + e, 1)[:120] for e in range(EXAMPLES // QUALITY_ROWS + q % 2)
                ],
            )
            for q in range(QUALITY_ROWS)
        ],
        profiles=[
            Profile(member=name, title="De verbinder", qualities=[(q, 3) for q in QUALITIES])
            for name in members
        ],
        reading=[
            ReadingEntry(
                source=f"Bron {s}: leren in gemeenschappen",
                authors="Wenger, E. & Snyder, W.",
                year=str(1990 + s % 30),
                link=f"https://example.org/bron/{s}",
                shared_by=members[s % MEMBERS],
                insights=[
                    Insight(
                        author=members[(s + k) % MEMBERS],
                        insight=_text(k, 1),
                        practice=_text(k, 1),
                    )
                    for k in range(INSIGHTS // SOURCES + (1 if s < INSIGHTS % SOURCES else 0))
                ],
            )
            for s in range(SOURCES)
        ],
        meetings=[
            MeetingEntry(
                number=m + 1,
                date=f"{1 + m % 28} {['september', 'oktober', 'november'][m % 3]} 2026",
                status="gehouden",
                attendance=f"{25 + m % 5}/30",
                agenda=[f"Agendapunt {a}: {SENTENCE[:60]}" for a in range(5)],
                notes=[f"Afgesproken {n}: {SENTENCE[:80]}" for n in range(4)],
            )
            for m in range(MEETINGS)
        ],
        agreements=[
            Agreement(
                text=_text(a, 1),
                status=["loopt", "afgerond", "gestopt"][a % 3],
                owner=members[a % MEMBERS],
                due=f"{1 + a % 28} december",
                practice=a % 5 == 0,
                follow_up=[f"Bijeenkomst {1 + (a + f) % MEETINGS}: besproken" for f in range(2)],
            )
            for a in range(AGREEMENTS)
        ],
        charts=charts,
    )


def _baseline(doc: CollectionDocument) -> str:
    return json.dumps(doc.model_dump(mode="json"))


def _size(output: str | bytes) -> int:
    return len(output.encode("utf-8")) if isinstance(output, str) else len(output)


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _peak_rss_growth_mb(render: Callable[[], object]) -> float | None:
    """Peak RSS during ``render`` minus RSS before it (Linux only; None elsewhere)."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return None
    before = _status_kb("VmRSS")
    render()
    peak = _status_kb("VmHWM")
    if before is None or peak is None:
        return None
    return max(peak - before, 0) / 1024


def rss_growth_in_child(render: Callable[[], object]) -> float | None:
    """Peak RSS growth of one render in a forked child (Linux only; None elsewhere).

    A fresh child is used because a process that rendered before keeps the freed memory in
    its allocator's pools, so a second render would show (almost) no growth at all.
    """
    if not hasattr(os, "fork") or not Path("/proc/self/clear_refs").exists():
        return None
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: measure, report, exit without running the parent's cleanup
        status = 1
        try:
            os.close(read_fd)
            os.write(write_fd, json.dumps(_peak_rss_growth_mb(render)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        reported = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(reported) if reported else None


def measure(
    name: str, render: Callable[[], str | bytes], runs: int, rss_mb: float | None
) -> dict[str, Any]:
    output = render()  # warm-up (and the output whose size is reported)
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    render()
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "format": name,
        "runs": runs,
        "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4),
        "heap_peak_mb": round(heap_peak / 2**20, 1),
        "rss_peak_growth_mb": None if rss_mb is None else round(rss_mb, 1),
        "size_bytes": _size(output),
    }


GOAL_STALL_S = 0.05  # the longest event-loop stall while a document is made (issue 13)
GOAL_RSS_16X_MB = 200.0
_SCALED = ("MEMBERS", "MEETINGS", "ISSUES", "QUALITY_ROWS", "EXAMPLES", "SOURCES", "INSIGHTS")
_SCALED += ("AGREEMENTS",)
_BASE = {name: globals()[name] for name in _SCALED}


def _scale(k: int) -> None:
    """k times the benchmark CoP: every count (members and meetings too) times k."""
    for name in _SCALED:
        globals()[name] = _BASE[name] * k


def make_document(k: int) -> tuple[int, float | None, float | None]:
    """One /document at scale k as the bot makes it: model with both charts drawn, then
    docx + html + Markdown zip. Returns the output size, this process's RSS when the job
    began (the worker as forked: pages shared with the fork server) and its peak RSS (MB)."""
    start = _status_kb("VmRSS")
    _scale(k)
    try:
        doc = big_document()
        size = len(render_docx(doc)) + len(render_html(doc)) + len(render_markdown_zip(doc))
    finally:
        _scale(1)
    peak = _status_kb("VmHWM")
    return size, None if start is None else start / 1024, None if peak is None else peak / 1024


async def _while_watching(make: Callable[[], Any]) -> tuple[float, float]:
    """Runs ``make()`` (a coroutine function) while a 10 ms ticker measures loop stalls;
    returns (wall seconds, longest stall seconds)."""
    longest = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal longest
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.01)
            longest = max(longest, time.perf_counter() - start - 0.01)

    watching = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    await make()
    wall = time.perf_counter() - start
    done.set()
    await watching
    return wall, longest


async def _one(offload: Any, k: int) -> dict[str, Any]:
    """One scale: off the loop, the idle loop, then inline (which grows this process)."""
    _scale(k)
    model = big_document()
    _scale(1)
    started = time.perf_counter()
    _baseline(model)
    baseline_s = time.perf_counter() - started
    del model
    gc.collect()
    before_kb = _status_kb("VmRSS")
    result: dict[str, Any] = {}

    async def off() -> None:
        made = await offload.off_loop(make_document, k)
        result["size"], result["worker_start_mb"], result["worker_peak_mb"] = made

    async def inline() -> None:
        make_document(k)  # as before: on the loop

    off_s, off_stall = await _while_watching(off)
    # The same ticker with nothing to do: what the shared machine alone costs the loop.
    _idle_s, idle_stall = await _while_watching(lambda: asyncio.sleep(min(off_s, 5.0)))
    after_kb = _status_kb("VmRSS")
    on_s, on_stall = await _while_watching(inline)
    return {
        "figure": f"document_{k}x",
        "scale": k,
        "baseline": "json.dumps(model) at the same scale",
        "baseline_s": round(baseline_s, 4),
        "off_loop_s": round(off_s, 3),
        "inline_s": round(on_s, 3),
        "x_baseline": round(off_s / baseline_s, 1),
        "stall_off_loop_s": round(off_stall, 4),
        "stall_idle_s": round(idle_stall, 4),
        "stall_inline_s": round(on_stall, 4),
        "worker_peak_rss_mb": result["worker_peak_mb"] and round(result["worker_peak_mb"], 1),
        "worker_start_rss_mb": result["worker_start_mb"] and round(result["worker_start_mb"], 1),
        "bot_rss_growth_mb": None
        if before_kb is None or after_kb is None
        else round(max(after_kb - before_kb, 0) / 1024, 1),
        "size_bytes": result["size"],
    }


async def _pipeline(scales: list[int]) -> list[dict[str, Any]]:
    from bot.render import offload

    offload.preload(make_document.__module__)
    await offload.warm_up()
    rows = [await _one(offload, k) for k in scales]
    offload.shutdown()
    return rows


def pipeline(scales: list[int], out: Path) -> bool:
    rows = asyncio.run(_pipeline(scales))
    print(
        f"\n{'scale':<6}{'base s':>8}{'off s':>8}{'x base':>8}{'inline s':>9}"
        f"{'stall off':>10}{'idle':>7}{'stall in':>9}{'worker RSS':>11}{'at fork':>8}"
        f"{'bot +RSS':>9}  ok"
    )
    for row in rows:
        rss = row["worker_peak_rss_mb"]
        row["within_goal"] = row["stall_off_loop_s"] < GOAL_STALL_S and (
            row["scale"] != 16 or (rss or 0) < GOAL_RSS_16X_MB
        )
        row["goal"] = "stall < 50 ms; peak RSS < 200 MB at 16x"
        print(
            f"{row['scale']:<6}{row['baseline_s']:>8.3f}{row['off_loop_s']:>8.2f}"
            f"{row['x_baseline']:>8.0f}{row['inline_s']:>9.2f}"
            f"{row['stall_off_loop_s'] * 1000:>8.0f}ms{row['stall_idle_s'] * 1000:>5.0f}ms"
            f"{row['stall_inline_s'] * 1000:>7.0f}ms"
            f"{rss or 0:>9.0f}MB{row['worker_start_rss_mb'] or 0:>6.0f}MB"
            f"{row['bot_rss_growth_mb'] or 0:>7.0f}MB"
            f"  {'yes' if row['within_goal'] else 'NO'}"
        )
    from _common import append_results

    append_results([{"benchmark": "document", **row} for row in rows], out)
    return all(row["within_goal"] for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.jsonl"))
    parser.add_argument("--scales", default="1,4,16", help="CoP sizes for the /document run")
    parser.add_argument("--only-pipeline", action="store_true", help="skip the per-format table")
    args = parser.parse_args()
    scales = [int(k) for k in args.scales.split(",") if k]
    if args.only_pipeline:
        return 0 if pipeline(scales, args.out) else 1

    doc = big_document()
    renders: dict[str, Callable[[], str | bytes]] = {
        "baseline_json": lambda: _baseline(doc),
        "docx": lambda: render_docx(doc),
        "html": lambda: render_html(doc),
        "markdown": lambda: render_markdown(doc),
        "markdown_zip": lambda: render_markdown_zip(doc),
    }
    # Memory first, in forked children, before this process has rendered anything.
    rss = {name: rss_growth_in_child(render) for name, render in renders.items()}
    results = [measure(name, render, args.runs, rss[name]) for name, render in renders.items()]
    base = results[0]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    lines = []
    print(
        f"{'format':<14}{'median s':>10}{'x base':>9}{'heap MB':>9}{'RSS MB':>8}{'size KB':>10}  ok"
    )
    for row in results:
        row["x_baseline"] = round(row["median_s"] / base["median_s"], 1)
        row["baseline"] = "json.dumps(big model)"
        memory = max(row["heap_peak_mb"], row["rss_peak_growth_mb"] or 0.0)
        row["within_goal"] = row["median_s"] < GOAL_SECONDS and memory < GOAL_MB
        row["python"] = platform.python_version()
        row["timestamp"] = stamp
        rss = "-" if row["rss_peak_growth_mb"] is None else f"{row['rss_peak_growth_mb']:.1f}"
        print(
            f"{row['format']:<14}{row['median_s']:>10.3f}{row['x_baseline']:>9.1f}"
            f"{row['heap_peak_mb']:>9.1f}{rss:>8}{row['size_bytes'] / 1024:>10.0f}"
            f"  {'yes' if row['within_goal'] else 'NO'}"
        )
        lines.append(json.dumps(row, sort_keys=True))
    with args.out.open("a", encoding="utf-8") as handle:  # append, like the other benchmarks
        handle.write("\n".join(lines) + "\n")
    print(f"wrote {args.out}")
    piped = pipeline(scales, args.out) if scales else True
    return 0 if all(row["within_goal"] for row in results) and piped else 1


if __name__ == "__main__":
    raise SystemExit(main())
