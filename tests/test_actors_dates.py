"""Date rules: relative and calendar expressions against the publication date."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from faultline.stages.actors.context import DateMention, DocContext
from faultline.stages.actors.dates import resolve_dates_in_text

PUB = "2021-09-29"  # a Wednesday


def dates(text: str, published: str | None = PUB) -> dict[str, str]:
    return {d.text: d.date for d in resolve_dates_in_text(text, published)}


def test_weekdays_resolve_to_the_latest_such_day() -> None:
    got = dates("Talks began on Tuesday and resumed Wednesday; last Wednesday they failed; next Monday they meet.")
    assert got["on Tuesday"] == "2021-09-28"
    assert got["Wednesday"] == "2021-09-29"
    assert got["last Wednesday"] == "2021-09-22"
    assert got["next Monday"] == "2021-10-04"


def test_relative_phrases() -> None:
    got = dates("Yesterday the army moved. Last week it warned, and in recent days it massed troops; 3 days ago too.")
    assert got["Yesterday"] == "2021-09-28"
    assert got["Last week"] == "2021-09-22"
    assert got["in recent days"] == PUB
    assert got["3 days ago"] == "2021-09-26"


def test_calendar_dates_take_the_publication_year() -> None:
    got = dates("On 12 May the ban began; on September 28 it ended; on March 3, 2019 it was first proposed.")
    assert got["12 May"] == "2021-05-12"
    assert got["September 28"] == "2021-09-28"
    assert got["March 3, 2019"] == "2019-03-03"


def test_a_day_far_after_publication_is_last_year() -> None:
    assert dates("The raid on 28 December was condemned.", "2022-01-05")["28 December"] == "2021-12-28"


def test_without_publication_only_absolute_dates_resolve() -> None:
    got = dates("On Tuesday, 4 July 2020, they met. Yesterday too.", None)
    assert got == {"4 July 2020": "2020-07-04"}


def test_numbers_that_are_not_dates_are_ignored() -> None:
    assert dates("a May 5 per cent rise and a June 3 million budget") == {}


def test_date_for_prefers_the_clause_then_publication() -> None:
    text = "Police arrived on Monday. Protests continued."
    ds = resolve_dates_in_text(text, PUB)
    ctx = DocContext(published=PUB, dates=ds, sentences=((0, 25), (26, len(text))))
    assert ctx.date_for(0, 6) == "2021-09-27"
    assert ctx.date_for(26, 34) == PUB


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc MayJunTuesday0123456789,.-")), max_size=80))
def test_offsets_always_point_at_the_text(text: str) -> None:
    for d in resolve_dates_in_text(text, PUB):
        assert isinstance(d, DateMention)
        assert text[d.start:d.end] == d.text
