"""Long lists cut into phone-sized pages, so a list in the group never fills the screen.

A group is the teachers' space: `/meetings` with five agendas was 37 lines, `/help` 24.
In the group such a list shows one page (about what a phone shows without scrolling)
with a "more" button that edits the same message to the next page: the chat gets no
extra message, and whoever wants the rest asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Lines a phone shows without scrolling, more or less (the issue's yardstick).
PHONE_LINES = 12
#: Characters of one page: well inside Telegram's 4,096, so an edited page always fits.
PAGE_CHARACTERS = 3500


def paginate(
    head: Sequence[str],
    blocks: Sequence[Sequence[str]],
    *,
    limit: int = PHONE_LINES,
    gap: bool = True,
) -> list[list[str]]:
    """Pages of `head` followed by as many whole `blocks` as fit in `limit` lines.

    A block (one meeting with its agenda, one command) is never split over two pages
    unless it is longer than a page on its own; `gap` puts an empty line between
    blocks, as the long lists did. There is always at least one page.
    """
    room = max(limit - len(head) - (1 if gap else 0), 1)
    pages: list[list[str]] = []
    current: list[str] = []
    for block in (list(b) for b in blocks):
        for chunk in _chunks(block, room):
            sized = ([""] if gap and current else []) + chunk
            if current and (
                len(current) + len(sized) > room
                or _characters(head, current) + _characters([], sized) > PAGE_CHARACTERS
            ):
                pages.append(current)
                current, sized = [], chunk
            current += sized
    if current or not pages:
        pages.append(current)
    return [[*head, *(([""] if gap and page else []) + page)] for page in pages]


def clamp(page: int, count: int) -> int:
    """A page number from a (possibly old or forged) button, kept within the list."""
    return min(max(page, 0), max(count - 1, 0))


def _chunks(block: list[str], room: int) -> list[list[str]]:
    """A block that fits, or a longer one cut into page-sized pieces."""
    if len(block) <= room:
        return [block]
    return [block[i : i + room] for i in range(0, len(block), room)]


def _characters(head: Sequence[str], lines: Sequence[str]) -> int:
    return sum(len(line) + 1 for line in (*head, *lines))
