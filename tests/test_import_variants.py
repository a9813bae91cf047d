"""`digest import` on fixture dumps: every variant of the page shape, alone and mixed."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.cli import main
from generator.site.frontmatter import split

DUMPS = Path(__file__).resolve().parent / "fixtures" / "dumps"
GOOD = sorted(p.name for p in DUMPS.glob("[0-9]*.txt"))


def _import(site: Path, capsys: pytest.CaptureFixture[str], *names: str) -> str:
    assert main(["import", "--site", str(site), *(str(DUMPS / name) for name in names)]) == 0
    return capsys.readouterr().out


def _articles(site: Path) -> dict[str, tuple[str, dict, str]]:
    """Title -> (path relative to content/, front matter, body) for every article written."""
    found = {}
    for path in sorted((site / "content").rglob("*.md")):
        parsed = split(path.read_text(encoding="utf-8"), path)
        found[parsed.meta["title"]] = (path.relative_to(site / "content").as_posix(), dict(parsed.meta), parsed.body)
    return found


def _one(site: Path, capsys: pytest.CaptureFixture[str], name: str) -> tuple[str, dict, str]:
    _import(site, capsys, name)
    (article,) = _articles(site).values()
    return article


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.in_item = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "p" and self.in_item and self.blocks[-1] == "":
            return  # a loose list item's paragraph: the item is the block
        self.in_item = tag == "li"
        if tag in ("p", "li", "h1", "h2", "blockquote", "pre"):
            self.blocks.append("")
        if tag not in ("p", "ul", "ol", "li"):
            self.blocks.append(f"<{tag}>")  # any other element means text was read as markup

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.blocks[-1] += data


def rendered(markdown: str) -> list[str]:
    """The text of each block a CommonMark renderer (with GFM tables and strikethrough) makes of `markdown`."""
    parser = _Blocks()
    parser.feed(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown))
    return parser.blocks


def paragraphs(body: str) -> list[str]:
    return body.rstrip("\n").split("\n\n")


def test_gallery_captions_with_update_prefix_counters_and_repeats(site_dir: Path, capsys) -> None:
    path, meta, body = _one(site_dir, capsys, "01_gallery_time_reuters.txt")
    assert path == "iraq-militias/militia-leaders-meet-in-baghdad-to-pick-a-new-commander.md"
    assert meta["images"] == [
        {"caption": "Members of the Popular Mobilization Forces parade in Baghdad on June 26.", "credit": "AFP"},
        {"caption": "A portrait of Abu Mahdi al-Muhandis hangs over a checkpoint in Basra.", "credit": "Reuters"},
    ]
    assert meta["date"] == "2024-11-15T10:32:00+02:00"  # a time on the page: the site's zone is added
    assert (meta["dateline"], meta["source"]) == ("Baghdad", "Reuters")
    assert {"kataib-hezbollah", "popular-mobilization-forces", "baghdad"} <= set(meta["tags"])
    assert "hezbollah" not in meta["tags"]  # "Kataib Hezbollah" is the longer name
    assert paragraphs(body)[0].startswith("Leaders of Iraq's Iran-aligned militias met in Baghdad")
    assert len(paragraphs(body)) == 3 and "Basra" not in body and "Update" not in body


def test_windows_line_endings_trailing_space_no_short_url_no_bullets(site_dir: Path, capsys) -> None:
    _path, meta, body = _one(site_dir, capsys, "02_crlf_no_short_url.txt")
    assert (meta["title"], meta["date"].isoformat(), meta["dateline"]) == (
        "Lebanese army deploys south of the Litani after truce talks", "2024-12-03", "Beirut")
    assert "highlights" not in meta and "images" not in meta
    assert paragraphs(body) == [
        "The Lebanese army began deploying troops south of the Litani river on Tuesday, as ceasefire talks "
        "between Israel and Hezbollah continued.",
        "Israeli drones were heard over the southern town of Tyre, residents said.",
        "The army said its soldiers\u00a0would stay “until the job is done.”",
    ]
    assert "\r" not in body


@pytest.mark.parametrize(("title", "dateline", "source", "start"), [
    ("Israeli cabinet approves", "Jerusalem", None, "Israel's cabinet approved the 2025 state budget"),
    ("Iraqi paramilitary chief", "Baghdad", "Reuters", "The head of Iraq's Popular Mobilization Forces"),
    ("UN envoy briefs", "New York", None, "The UN envoy for Lebanon told"),
    ("Masons finish restoring", None, None, "Masons have finished restoring the dome"),
    ("Rescuers search rubble", "Gaza City", "AFP", "Rescuers searched the rubble"),
    ("Saudi Arabia and Iraq", "Riyadh", None, "Saudi Arabia and Iraq signed a deal"),
])
def test_datelines_of_every_shape_and_none(site_dir: Path, capsys, title: str, dateline: str | None,
                                          source: str | None, start: str) -> None:
    _import(site_dir, capsys, "03_datelines.txt")
    (path, meta, body), = [a for t, a in _articles(site_dir).items() if t.startswith(title)]
    assert (meta.get("dateline"), meta.get("source")) == (dateline, source)
    assert body.startswith(start)
    if dateline:
        assert dateline.lower().replace(" ", "-") in meta["tags"]


def test_photo_captions_in_the_text_leave_it_once_each(site_dir: Path, capsys) -> None:
    _path, meta, body = _one(site_dir, capsys, "04_captions_in_text.txt")
    assert [image["credit"] for image in meta["images"]] == [
        "AFP", "AP", "AFP/File", "Getty Images", "Supplied", "SPA", "AN Photo/Huda Bashatah"]
    assert meta["images"][0]["caption"] == ("Smoke rises over the southern Lebanese village of Khiam after an "
                                            "Israeli strike on November 17.")
    assert "(a claim the group denied)." in body  # a bracket inside a sentence is text
    assert len(paragraphs(body)) == 6 and "(A" not in body and "inspects" not in body


def test_boxes_with_and_without_title(site_dir: Path, capsys) -> None:
    _path, meta, body = _one(site_dir, capsys, "05_boxes.txt")
    assert meta["factboxes"] == [
        {"label": "FASTFACT", "title": "Mosul Cultural Museum",
         "text": "The museum opened in 1952 and is the second-largest in Iraq after the national museum in Baghdad."},
        {"label": "BACKGROUND",
         "text": "Daesh militants filmed themselves smashing statues in the museum in February 2015, months after "
                 "seizing Mosul."},
        {"label": "KEY FACTS", "title": "What was saved",
         "text": "About a third of the museum's heritage collection was recovered from the rubble or returned from "
                 "abroad."},
    ]
    assert paragraphs(body)[1] == ("Curators said the restoration of the Assyrian hall took the longest, and that "
                                   "the museum would open its upper floor to visitors in the spring.")
    assert len(paragraphs(body)) == 3 and meta["topic"] == "heritage"


def test_read_more_between_separators_and_placeholders(site_dir: Path, capsys) -> None:
    _path, meta, body = _one(site_dir, capsys, "06_read_more_placeholder.txt")
    assert meta["read_more"] == ["Drone attack kills three US soldiers in Jordan",
                                 "Iraq's prime minister says US-led coalition should leave"]
    assert len(paragraphs(body)) == 4
    for chrome in ("---", "READ MORE", "Read more", "Opinion", "This section contains"):
        assert chrome not in body


def test_single_line_breaks_and_sentences_broken_by_the_scraper(site_dir: Path, capsys) -> None:
    _path, meta, body = _one(site_dir, capsys, "07_line_breaks.txt")
    assert paragraphs(body) == [
        "Israeli Prime Minister Benjamin Netanyahu dismissed Defense Minister Yoav Gallant on Tuesday, citing a "
        "breakdown of trust over the management of the war in Gaza and Lebanon.",
        "Gallant had repeatedly clashed with Netanyahu over the handling of the war.",
        "Foreign Minister Israel Katz will take over the defense ministry, the prime minister's office said.",
        "Thousands of protesters gathered in Tel Aviv and Jerusalem after the announcement, blocking roads and "
        "lighting fires, while opposition leaders accused the prime minister of putting politics before the "
        "security of the country and called for new elections.",
        "What comes next",  # a subheading is not a broken sentence
        "Katz, a long-time member of Netanyahu's Likud party, has little military experience. Officials in "
        "Washington and Paris said they would work with him on the Lebanon ceasefire talks, which had stalled in "
        "recent weeks.",
        '"We will continue to work with the new minister," a US official said.',
    ]


def test_markdown_special_characters_render_as_written(site_dir: Path, capsys) -> None:
    _path, meta, body = _one(site_dir, capsys, "08_markdown_special.txt")
    assert meta["title"] == "Hezbollah *claims* strikes on_northern Israel [update] <live>"  # plain text
    assert meta["highlights"] == ["Rockets hit *two* towns, the army said"]
    source = (DUMPS / "08_markdown_special.txt").read_text(encoding="utf-8").splitlines()
    text = [line.rstrip() for line in source[source.index("  • Rockets hit *two* towns, the army said") + 2:] if line]
    text[0] = text[0].removeprefix("BEIRUT: ")
    assert rendered(body) == text
    assert "AT&T and 5 > 3 < 4." in body  # escaped only where it would be markup


def test_curly_quotes_dashes_and_non_ascii_kept_exactly(site_dir: Path, capsys) -> None:
    _import(site_dir, capsys, "09_unicode.txt")
    articles = _articles(site_dir)
    path, meta, body = articles["Émigrés return to Aleppo’s old souk as “life comes back”"]
    assert path == "heritage/emigres-return-to-aleppos-old-souk-as-life-comes-back.md"
    assert meta["dateline"] == "Aleppo"
    assert "one of the world’s oldest covered markets — where" in body
    assert "Mahmoud Al-Hallak (محمود الحلاق), 64" in body
    assert "Syrian pounds\u00a0and US dollars.\n" in body  # kept inside the line, stripped at its end
    assert "Zoë Müller" in body and "“matched stone by stone.”" in body
    path, meta, _body = articles["ترميم الجامع النوري في الموصل"]
    assert path == f"heritage/article-{meta['id']}.md"  # no ASCII in the headline: the slug falls back to the id


def test_article_matching_no_topic_goes_to_the_fallback_and_says_so(site_dir: Path, capsys) -> None:
    out = _import(site_dir, capsys, "10_fallback_region.txt")
    assert "(no topic scored 4 or more: fallback topic region)" in out
    (path, meta, body), = _articles(site_dir).values()
    assert path.startswith("region/") and meta["topic"] == "region"
    assert meta["highlights"] == ["Government spending and tourism drove growth"]  # bullets before the text
    assert body.endswith("citing:\n\n- higher oil output from January\n- new tourism projects on the Red Sea\n")
    assert main(["import", "--site", str(site_dir), "--explain", str(DUMPS / "10_fallback_region.txt")]) == 0
    assert "  topic: region (fallback: no topic scored 4 or more)" in capsys.readouterr().out


def test_page_chrome_before_the_first_article_and_headline_not_repeated(site_dir: Path, capsys) -> None:
    _import(site_dir, capsys, "11_mixed_chrome_no_repeat.txt")
    articles = _articles(site_dir)
    assert sorted(articles) == ["Hezbollah names Naim Qassem as new leader",
                                "Iraq's parliament elects new speaker after year-long deadlock",
                                "Update on truce talks: US envoy Hochstein returns to Beirut"]
    _path, meta, body = articles["Iraq's parliament elects new speaker after year-long deadlock"]
    assert meta["highlights"] == ["Mahmoud Al-Mashhadani won 182 votes in a second round"]
    assert len(paragraphs(body)) == 2 and "Home" not in body and "Middle East" not in body
    _path, meta, body = articles["Hezbollah names Naim Qassem as new leader"]
    assert meta["date"] == "2024-10-29T15:15:00+02:00"
    assert paragraphs(body)[-1] == 'Israel\'s defense minister said the appointment was "temporary, and not for long."'


def test_gallery_slides_above_the_headline_belong_to_the_next_article(site_dir: Path, capsys) -> None:
    _import(site_dir, capsys, "12_gallery_before_headline.txt")
    articles = _articles(site_dir)
    _path, first, first_body = articles["Israeli strike on Baalbek kills eight, Lebanese ministry says"]
    _path, second, _body = articles["UNESCO hands rebuilt Al-Nuri mosque back to Mosul"]
    assert first["images"] == [{"caption": "Civil defense workers search the rubble in Baalbek.", "credit": "Reuters"}]
    assert [image["credit"] for image in second["images"]] == ["AFP", "UNESCO"]
    assert paragraphs(first_body)[-1] == "The strike hit a residential building near the city's Roman temples."


def test_unseen_articles_of_each_kind_land_in_their_topic(site_dir: Path, capsys) -> None:
    _import(site_dir, capsys, "13_unseen_kinds.txt")
    topics = {title.split()[0]: meta["topic"] for title, (_p, meta, _b) in _articles(site_dir).items()}
    assert topics == {"Iraq's": "iraq-militias", "Israeli": "israel-lebanon", "Syria's": "heritage"}


def test_every_fixture_at_once_then_again(site_dir: Path, capsys) -> None:
    out = _import(site_dir, capsys, *GOOD)
    assert out.endswith(f"24 articles from {len(GOOD)} dumps: 24 created\n")
    stems = [path.stem for path in (site_dir / "content").rglob("*.md")]
    assert len(stems) == len(set(stems)) == 24
    assert _import(site_dir, capsys, *GOOD).endswith("24 unchanged\n")
