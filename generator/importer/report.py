"""What `digest import` prints: one line per article, the `--explain` reasons, the summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from generator.importer.classify import Classification, TopicScore
from generator.importer.plan import Decision

_STATUSES = ("created", "updated", "unchanged", "kept your edits", "conflict", "overwrote your edits", "duplicate")
_DRY = {"created": "would create", "updated": "would update", "overwrote your edits": "would overwrite your edits"}
_NOTES = {
    "kept your edits": "edited by hand; the dump brings nothing new",
    "conflict": "edited by hand and changed in the dump: your file is kept, --force replaces it",
    "overwrote your edits": "edited by hand; replaced because of --force",
    "duplicate": "same headline and date as an article above: skipped",
}


def status_line(decision: Decision, shown_path: str, *, dry_run: bool) -> str:
    status = _DRY.get(decision.status, decision.status) if dry_run else decision.status
    notes = [_NOTES[decision.status]] if decision.status in _NOTES else []
    if decision.remove:
        notes.append(f"moved from {decision.remove}")
    own = decision.item.classification
    if decision.status in ("created", "updated") and own.fallback and not decision.editor_topic:
        notes.append(f"no topic scored {_num(own.min_score)} or more: fallback topic {own.topic}")
    return f"{status}: {shown_path}" + (f" ({'; '.join(notes)})" if notes else "")


def explain(decision: Decision) -> list[str]:
    """The reasons for one article's topic and tags, indented under its status line."""
    own = decision.item.classification
    lines = [f"  title: {decision.item.article.title}"]
    if own.fallback:
        lines.append(f"  topic: {own.topic} (fallback: no topic scored {_num(own.min_score)} or more)")
    else:
        lines.append(f"  topic: {own.topic} (highest score, {_num(own.scores[0].score)}; "
                     f"minimum {_num(own.min_score)})")
    if decision.editor_topic:
        lines.append(f"  topic written: {decision.topic} (yours, from the file: it wins over the classifier)")
    lines.append("  scores (weight x counted mentions; headline and highlights count double, at most 3 count):")
    width = max(len(score.slug) for score in own.scores)
    for score in own.scores:
        lines.extend(_score_lines(score, width))
    lines.extend(_tag_lines(own))
    if decision.editor_tags:
        lines.append(f"  tags written: {', '.join(decision.tags) or '(none)'} (yours, from the file: they win)")
    return lines


def _score_lines(score: TopicScore, width: int) -> list[str]:
    if not score.terms:
        return [f"    {score.slug:<{width}}  0  (no term found)"]
    lines = [f"    {score.slug:<{width}}  {_num(score.score)}"]
    for t in score.terms:
        where = []
        if t.prominent:
            where.append(f"{t.prominent} in headline/highlights")
        if t.plain:
            where.append(f"{t.plain} in text")
        factor = t.points / t.weight
        lines.append(f"      {t.term}: {_num(t.weight)} x {_num(factor)} = {_num(t.points)}  ({', '.join(where)})")
    return lines


def _tag_lines(own: Classification) -> list[str]:
    if not own.tags:
        return ["  tags: none (no vocabulary name or alias found, no dateline)"]
    lines = ["  tags:"]
    for reason in own.tags:
        sources = [f'"{name}" x{count}' for name, count in reason.names]
        if reason.dateline:
            sources.insert(0, f"dateline {reason.dateline}")
        lines.append(f"    {reason.slug}: {', '.join(sources)}")
    return lines


def summary(decisions: Sequence[Decision], inputs: int, *, dry_run: bool, failed: int = 0, warnings: int = 0) -> str:
    """`6 articles from 1 dump: 4 created, 1 unchanged, 1 not imported; 2 warnings`."""
    counts = Counter(d.status for d in decisions)
    parts = [f"{counts[s]} {_DRY.get(s, s) if dry_run else s}" for s in _STATUSES if counts[s]]
    if failed:
        parts.append(f"{failed} not imported")
    total = len(decisions) + failed
    articles = f"{total} article{'s' if total != 1 else ''}"
    dumps = f"{inputs} dump{'s' if inputs != 1 else ''}"
    notes = f"; {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    tail = " (dry run: nothing written)" if dry_run else ""
    return f"{articles} from {dumps}: {', '.join(parts) or 'nothing to import'}{notes}{tail}"


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
