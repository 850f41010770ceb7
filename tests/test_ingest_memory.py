"""Corpus memory (site templates, cluster signatures) persists with each batch,
and a second ingest of the same input changes nothing."""
from __future__ import annotations

from pathlib import Path

from faultline.batch.jobs import ingest
from faultline.settings import Settings
from faultline.store import Store

PROMO = ("Every story on this site is free to read thanks to readers like you who chip in a little "
         "each month to keep our newsroom independent.")
PLACES = ["Tirana", "Skopje", "Podgorica", "Sarajevo", "Zagreb", "Ljubljana"]


def _write_site(folder: Path, n: int = 6) -> None:
    folder.mkdir()
    for i in range(n):
        body = "\n\n".join(
            f"Officials in {PLACES[(i + k) % 6]} said on day {i * 4 + k} that the plan for the "
            f"{['port', 'rail line', 'school', 'hospital'][(i + k) % 4]} would be reviewed by "
            f"{['Monday', 'Friday', 'next month', 'the spring'][(k * 3 + i) % 4]}, after talks with "
            f"{PLACES[(i * 2 + k + 1) % 6]} stalled over cost number {i * 10 + k}."
            for k in range(3))
        (folder / f"story{i}.md").write_text(
            f"---\ntitle: Story {i}\nurl: https://balkan-desk.example/news/{i}\n---\n\n{body}\n\n{PROMO}\n",
            "utf-8")


def _settings() -> Settings:
    return Settings.load(overrides={"pipeline": {"stages": ["extract", "cluster"]},
                                    "extract": {"template_min_docs": 2}})


def test_second_ingest_is_a_no_op_and_memory_is_stored(tmp_path: Path) -> None:
    _write_site(tmp_path / "site")
    db = tmp_path / "m.duckdb"
    first = ingest([tmp_path / "site"], db=db, settings=_settings())
    assert first.documents == 6 and first.unchanged == 0
    with Store(db) as store:
        snap = store.snapshot()
        assert len(store.memory("cluster_signatures")) == 6
        assert store.memory("site_template_docs")
    second = ingest([tmp_path / "site"], db=db, settings=_settings())
    assert second.documents == 0 and second.unchanged == 6
    with Store(db) as store:
        assert store.snapshot() == snap


def test_stored_templates_apply_to_the_next_run(tmp_path: Path) -> None:
    _write_site(tmp_path / "site", n=4)
    db = tmp_path / "m.duckdb"
    ingest([tmp_path / "site"], db=db, settings=_settings())
    new = tmp_path / "later"
    _write_site(new, n=6)  # story5 is a page of the same site not seen before
    ingest([new / "story5.md"], db=db, settings=_settings())
    with Store(db) as store:
        texts = {r["id"]: r["text"] for r in store.query("SELECT id, text FROM articles")}
        boiler = {r["id"]: r["boilerplate"] for r in store.query("SELECT id, boilerplate FROM articles")}
    latest = [i for i, t in texts.items() if "cost number 5" in t]
    assert latest, texts
    assert PROMO not in texts[latest[0]] and PROMO in boiler[latest[0]]


def test_force_reprocesses(tmp_path: Path) -> None:
    _write_site(tmp_path / "site", n=2)
    db = tmp_path / "m.duckdb"
    ingest([tmp_path / "site"], db=db, settings=_settings())
    again = ingest([tmp_path / "site"], db=db, settings=_settings(), force=True)
    assert again.documents == 2 and again.unchanged == 0


def test_commits_group_documents_by_commit_docs(tmp_path: Path, monkeypatch) -> None:
    _write_site(tmp_path / "site", n=5)
    sizes: list[int] = []
    real = Store.write

    def spy(self, results, **kw):
        sizes.append(len(results))
        return real(self, results, **kw)

    monkeypatch.setattr(Store, "write", spy)
    settings = Settings.load(overrides={"pipeline": {"stages": ["extract", "cluster"], "batch_size": 1},
                                        "store": {"commit_docs": 2}})
    summary = ingest([tmp_path / "site"], db=tmp_path / "c.duckdb", settings=settings)
    assert summary.documents == 5
    assert [s for s in sizes if s] == [2, 2, 1]  # one transaction per 2 documents, not per pipeline batch
