"""What a build reports: the `Totals` of the site it built, its one summary line, and the articles it left out
(`digest build` and the preview say it in the same words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from generator.pages.context import date_iso
from generator.publish.output import WriteStats
from generator.site.model import Article


@dataclass(frozen=True, slots=True)
class Totals:
    """What the summary line reports of a build."""

    articles: int
    topics: int
    tags: int
    pages: int
    feeds: int
    drafts: int = 0
    skipped: tuple[Article, ...] = ()  # left out for being dated in the future

    @property
    def due(self) -> datetime | None:
        """The moment the first of the `skipped` articles comes due (a build then differs)."""
        return min((a.date for a in self.skipped), default=None)


def summary_line(t: Totals, stats: WriteStats, target: str, seconds: float) -> str:
    left_out = "".join(f", {_count(n, what)} left out"
                       for n, what in ((t.drafts, "draft"), (len(t.skipped), "future article")) if n)
    return (f"built {_count(t.articles, 'article')}{left_out}, {_count(t.topics, 'topic')}, "
            f"{_count(t.tags, 'tag')}: {_count(t.pages, 'page')} and {_count(t.feeds, 'feed')} "
            f"in {target} ({_count(stats.written, 'file')} written, {stats.unchanged} unchanged, "
            f"{stats.removed} removed) "
            f"in {seconds:.2f} s")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def skipped_line(a: Article) -> str:
    """What a build says of an article dated in the future."""
    return f"skipped {a.path}: dated {date_iso(a)}, in the future (it appears once that date has come)"


def draft_line(a: Article) -> str:
    """What the preview says of a draft it leaves out."""
    return f"skipped {a.path}: a draft (draft: true; serve with --drafts to show it)"
