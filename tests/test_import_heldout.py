"""Held-out scraper outputs: written after the importer was, and never used to develop it.

A news-please record, a news-please JSON Lines batch, a saved news page (navigation, cookie notice,
share buttons, related links, comments, a sidebar and a footer) and trafilatura's JSON of that
page (`make_trafilatura.py`). Each must import with the right title, date, dateline, source,
author, URL and paragraphs, and nothing of the page's chrome; importing again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.site.frontmatter import split

try:  # the variants test module's renderer, when collected from the tests folder
    from test_import_variants import rendered
except ImportError:  # collected as a package (tests/__init__.py)
    from tests.test_import_variants import rendered

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "scraped" / "heldout"
AL_ULA = {
    "title": "Archaeologists uncover 4,000-year-old walled town near Al-Ula",
    "date": "2024-10-03T18:20:00+03:00", "dateline": "Riyadh", "source": None,
    "author": "Rashid Hassan, Arab News", "url": "https://www.arabnews.com/node/2574110/saudi-arabia",
    "images": [{"caption": "Archaeologists clean a stone wall at the Khaybar site north of Al-Ula.", "credit": "SPA"}],
    "factboxes": [{"label": "KEY FACTS", "title": "Al-Natah", "text": "The site lies in the oasis of Khaybar, "
                   "125 km north of Al-Ula, and covers about 2.6 hectares."}],
    "read_more": ["Al-Ula’s ancient tombs open to visitors for the first time"],
    "paragraphs": [
        "Saudi Arabia’s Heritage Commission said on Thursday that archaeologists working near Al-Ula had uncovered a "
        "fortified town built about 4,000 years ago, with walls that once stretched for nearly 15 km.",
        "The team, led by French and Saudi researchers, said the town of Al-Natah was home to about 500 people and was "
        "abandoned around 1300 BC.",
        "The discovery “changes what we know about the transition from nomadic to settled life in northwest Arabia,” "
        "said Guillaume Charloux, who led the excavation for the French National Centre for Scientific Research.",
        "The findings were published in the journal PLOS One.",
    ],
}
GAZA = {
    "title": "Strike on Gaza City school shelter kills 18, rescuers say",
    "date": "2024-10-02T07:45:00+03:00", "dateline": "Gaza City", "source": "AFP", "author": "AFP",
    "url": "https://www.arabnews.com/node/2573901/middle-east",
    "paragraphs": [
        "Israeli strikes on a school sheltering displaced families in Gaza City killed at least 18 people on "
        "Wednesday, the civil defence agency said.",
        "The Israeli military said it had targeted militants operating from a command centre inside the compound.",
        "Survivors said most of the dead were women and children who had been sleeping in classrooms.",
    ],
}
ANKARA = {
    "title": "Turkish parliament extends troop mandate for Iraq and Syria",
    "date": "2024-10-01", "dateline": "Ankara", "source": None, "author": None,
    "url": "https://www.arabnews.com/node/2573850/middle-east",
    "paragraphs": [
        "Turkiye’s parliament approved a bill on Tuesday extending the mandate for troops deployed in northern Iraq "
        "and Syria by two more years.",
        "The motion passed with the votes of the ruling AK Party and its nationalist allies.",
        "Opposition lawmakers said the government had not explained how long the operations would last.",
    ],
}
OIL = {
    "title": "Oil climbs as Middle East tensions stoke supply worries",
    "date": "2024-10-02T13:05:00+03:00", "dateline": None, "source": None, "author": "Reuters",
    "url": "https://www.arabnews.com/node/2573999/business-economy",
    "paragraphs": [
        "Oil prices rose more than 2 percent on Wednesday as investors weighed the risk of supply disruption in the "
        "Middle East.",
        "Brent crude futures were up $1.60 at $75.16 a barrel by 1205 GMT.",
        "Analysts said prices would stay volatile for as long as the conflict threatened shipping in the Red Sea.",
    ],
}
BANK_TEXT = {
    "title": "Lebanon’s central bank keeps rates on hold as deposits recover",
    "date": "2024-09-18", "dateline": "Beirut", "source": None, "author": "Maya Haddad",
    "url": "https://levantledger.example.com/2024/09/18/lebanon-central-bank-rates/",
    "paragraphs": [
        "Lebanon’s central bank left its main lending rate unchanged on Wednesday, saying that deposits at commercial "
        "banks had grown for a third straight month after years of decline.",
        "The bank’s acting governor, Wassim Mansouri, told reporters that the exchange rate had held steady since it "
        "was unified in February and that the bank would not lend to the government.",
        "Economists said the recovery remained fragile. “Without a deal with the IMF and a plan for the losses of the "
        "banking sector, the gains can be wiped out in a week,” said one Beirut-based analyst.",
        "Lebanon has been in a financial crisis since 2019, when the banking system collapsed and depositors lost "
        "access to their savings.",
    ],
}
BANK_PAGE = {**BANK_TEXT, "date": "2024-09-18T16:40:00+03:00", "images": [
    {"caption": "The Banque du Liban headquarters in Beirut’s Hamra district.", "credit": "Reuters"}]}
CASES = {
    "newsplease-record.json": [AL_ULA],
    "newsplease-batch.jsonl": [GAZA, ANKARA, OIL],
    "news-page.trafilatura.json": [BANK_TEXT],
    "news-page.html": [BANK_PAGE],
}
CHROME = ("Share this", "Related", "IMF mission", "Lira holds", "Trending", "morning brief", "cookies", "Accept",
          "Leave a Reply", "About time", "Fragile is the word", "Short Url", "Follow", "Updated", "Proudly powered",
          "Tagged", "By Maya", "Economy", "Podcasts", "Contact", "Sign up", "©")
OPTIONAL = ("dateline", "source", "author", "url", "images", "factboxes", "read_more")


def _import(site: Path, capsys: pytest.CaptureFixture[str], name: str) -> tuple[int, str]:
    code = main(["import", "--site", str(site), str(HELDOUT / name)])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


@pytest.mark.parametrize("name", CASES)
def test_heldout_scraper_output_imports_right(name: str, site_dir: Path, capsys) -> None:
    code, _out = _import(site_dir, capsys, name)
    assert code == 0
    found = {}
    for path in sorted((site_dir / "content").rglob("*.md")):
        parsed = split(path.read_text(encoding="utf-8"), path)
        found[parsed.meta["title"]] = (dict(parsed.meta), parsed.body)
    assert sorted(found) == sorted(case["title"] for case in CASES[name])
    for case in CASES[name]:
        meta, body = found[case["title"]]
        assert str(meta["date"]) == case["date"]
        for key in OPTIONAL:
            assert meta.get(key) == case.get(key), key
        assert rendered(body) == case["paragraphs"]
        text = body + " ".join(str(v) for v in meta.values())
        for chrome in CHROME:
            assert chrome not in text, chrome


@pytest.mark.parametrize("name", CASES)
def test_heldout_import_again_changes_nothing(name: str, site_dir: Path, capsys) -> None:
    _import(site_dir, capsys, name)
    content = site_dir / "content"
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    code, out = _import(site_dir, capsys, name)
    count = len(CASES[name])
    assert code == 0 and out.endswith(f"{count} article{'s' if count > 1 else ''} from 1 dump: {count} unchanged\n")
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
