"""GDELT 2.0 and POLECAT import, GDELT export (fixtures hand-written in the documented layouts)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from faultline.analytics import Analytics
from faultline.interop import GDELT_COLUMNS, export_gdelt, import_events, load_cameo_table, read_gdelt
from faultline.store import Store


def _gdelt_line(**values: str) -> str:
    return "\t".join(str(values.get(c, "")) for c in GDELT_COLUMNS)


ROWS = [
    # Serbian military threatens Kosovo (CAMEO 138: threaten with military force); KSV is CAMEO's Kosovo code
    dict(GLOBALEVENTID="1001", SQLDATE="20210928", MonthYear="202109", Year="2021", FractionDate="2021.7397",
         Actor1Code="SRBMIL", Actor1Name="SERBIA", Actor1CountryCode="SRB", Actor1Type1Code="MIL",
         Actor2Code="KSVGOV", Actor2Name="KOSOVO", Actor2CountryCode="KSV", Actor2Type1Code="GOV",
         IsRootEvent="1", EventCode="138", EventBaseCode="138", EventRootCode="13", QuadClass="3",
         GoldsteinScale="-7.0", NumMentions="10", NumSources="2", NumArticles="10", AvgTone="-5.2",
         ActionGeo_Type="1", ActionGeo_FullName="Kosovo", ActionGeo_CountryCode="KV", ActionGeo_Lat="42.6",
         ActionGeo_Long="20.9", ActionGeo_FeatureID="831053", DATEADDED="20210928151500",
         SOURCEURL="https://news.example.org/serbia-kosovo-border"),
    # NATO (an IGO, no country code) consults Serbia: same article as the first row
    dict(GLOBALEVENTID="1002", SQLDATE="20210929", Actor1Code="IGOWSTNAT", Actor1Name="NATO",
         Actor2Code="SRBGOV", Actor2Name="SERBIA", Actor2CountryCode="SRB", Actor2Type1Code="GOV",
         IsRootEvent="0", EventCode="043", EventBaseCode="043", EventRootCode="04", QuadClass="1",
         GoldsteinScale="2.8", NumMentions="3", DATEADDED="20210929101500",
         SOURCEURL="https://news.example.org/serbia-kosovo-border"),
    # a plain statement (CAMEO 010) is dropped by PLOVER
    dict(GLOBALEVENTID="1003", SQLDATE="20210929", Actor1Code="USA", Actor1CountryCode="USA",
         EventCode="010", QuadClass="1", GoldsteinScale="0.0", DATEADDED="20210929101500",
         SOURCEURL="https://other.example.com/statement"),
    # a 4-digit code: 0874 retreat militarily -> RETREAT (disarm)
    dict(GLOBALEVENTID="1004", SQLDATE="20210930", Actor1Code="XKXCOP", Actor1CountryCode="XKX",
         Actor1Type1Code="COP", Actor2Code="SRBCVL", Actor2CountryCode="SRB", Actor2Type1Code="CVL",
         EventCode="0874", QuadClass="2", GoldsteinScale="10.0", DATEADDED="20210930101500",
         SOURCEURL="https://other.example.com/withdrawal"),
]


@pytest.fixture()
def gdelt_file(tmp_path):
    p = tmp_path / "20210930101500.export.CSV"
    p.write_text("\n".join(_gdelt_line(**r) for r in ROWS) + "\n" + "too\tfew\tcolumns\n", encoding="utf-8")
    return p


def test_cameo_table_maps_roots_and_codes():
    t = load_cameo_table()
    assert t.lookup("138")["type"] == "THREATEN" and t.lookup("138")["quad_class"] == 3
    assert t.lookup("0874")["type"] == "RETREAT" and t.lookup("0874")["mode"] == "disarm"
    assert t.lookup("190")["type"] == "ASSAULT" and t.lookup("190")["goldstein"] == -10.0
    assert t.lookup("010") is None and t.lookup("01") is None  # root 01 (statements) is dropped
    assert t.lookup("1389")["type"] == "THREATEN"  # unknown 4-digit code falls back to its parent
    assert t.country("KSV") == "XKX" and t.country("srb") == "SRB"
    for code, entry in t.codes.items():
        assert entry["type"] in t.types and entry["quad_class"] == t.types[entry["type"]]["quad_class"]
    for ptype in t.types:  # the code written for a type reads back as that type (CONCEDE used to come back RETREAT)
        assert t.lookup(t.cameo_for(ptype))["type"] == ptype, ptype


def test_gdelt_rows_become_plover_events(gdelt_file):
    from faultline.interop import ImportSummary

    summary = ImportSummary()
    results = read_gdelt([gdelt_file], summary=summary)
    assert summary.rows == 5 and summary.skipped == 1 and summary.bad == 1
    assert len(results) == 2  # grouped by SOURCEURL
    events = {e.id: e for r in results for e in r.events}
    assert set(events) == {"gdelt-1001", "gdelt-1002", "gdelt-1004"}
    threat = events["gdelt-1001"]
    assert threat.type == "THREATEN" and threat.cameo == "138" and threat.goldstein == -7.0
    assert threat.date == "2021-09-28" and threat.modality == "asserted"
    assert (threat.actor[0].country, threat.actor[0].sector) == ("SRB", "MIL")
    assert (threat.recipient[0].country, threat.recipient[0].sector) == ("XKX", "GOV")
    assert threat.location.name == "Kosovo" and threat.location.geonameid == 831053
    nato = events["gdelt-1002"]
    assert nato.type == "CONSULT" and nato.mode == "visit" and nato.actor[0].country == "IGO"
    assert events["gdelt-1004"].type == "RETREAT" and events["gdelt-1004"].quad_class == 2


def test_import_is_idempotent_and_feeds_analytics(gdelt_file, tmp_path):
    db = tmp_path / "g.duckdb"
    s1 = import_events([gdelt_file], db=db, fmt="gdelt")
    assert s1.events == 3 and s1.documents == 2
    with Store(db) as store:
        snap = store.snapshot()
    import_events([gdelt_file], db=db, fmt="gdelt")
    with Store(db) as store:
        assert store.snapshot() == snap
        dyads = {(d["a"], d["b"]): d for d in Analytics(store).dyads(limit=10)}
    assert dyads[("SRB", "XKX")]["events"] == 2  # the threat and the withdrawal
    assert dyads[("SRB", "XKX")]["conflict"] == 1 and dyads[("SRB", "XKX")]["cooperation"] == 1
    assert ("IGO", "SRB") in dyads


def test_zip_exports_are_read(gdelt_file, tmp_path):
    z = tmp_path / "20210930101500.export.CSV.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(gdelt_file, gdelt_file.name)
    assert sum(len(r.events) for r in read_gdelt([z])) == 3


def test_export_round_trip(gdelt_file, tmp_path):
    db = tmp_path / "g.duckdb"
    import_events([gdelt_file], db=db, fmt="gdelt")
    buf = io.StringIO()
    n = export_gdelt(db, buf)
    lines = buf.getvalue().splitlines()
    assert n == 3 and len(lines) == 3
    assert all(len(line.split("\t")) == 61 for line in lines)
    first = dict(zip(GDELT_COLUMNS, lines[0].split("\t")))
    assert first["SQLDATE"] == "20210928" and first["EventCode"] == "138" and first["EventRootCode"] == "13"
    assert first["Actor1Code"] == "SRBMIL" and first["Actor2CountryCode"] == "XKX"
    assert first["SOURCEURL"] == "https://news.example.org/serbia-kosovo-border"
    again = tmp_path / "again.CSV"
    again.write_text(buf.getvalue(), encoding="utf-8")
    back = {e.id.removeprefix("gdelt-"): e for r in read_gdelt([again]) for e in r.events}
    orig = {e.id.removeprefix("gdelt-"): e for r in read_gdelt([gdelt_file]) for e in r.events}
    assert {(e.type, e.date, e.actor[0].country, e.recipient[0].country if e.recipient else None)
            for e in back.values()} == \
           {(e.type, e.date, e.actor[0].country, e.recipient[0].country if e.recipient else None)
            for e in orig.values()}


def test_faultline_events_export_as_gdelt(tmp_path):
    from faultline.analytics.synthetic import make_result
    from faultline.batch.jobs import export_events

    db = tmp_path / "f.duckdb"
    with Store(db) as store:
        store.write([make_result("doc-1", [{"type": "PROTEST", "actor": [("SRB", "CVL", "Serbs")],
                                            "recipient": [("XKX", "GOV", "Pristina")], "date": "2021-09-27"}],
                                 published="2021-09-28", url="https://example.net/a")])
    buf = io.StringIO()
    assert export_events(db, fmt="gdelt", out=buf) == 1
    row = dict(zip(GDELT_COLUMNS, buf.getvalue().rstrip("\n").split("\t")))
    assert row["EventCode"] == load_cameo_table().cameo_for("PROTEST") and row["EventRootCode"] == "14"
    assert row["QuadClass"] == "4" and row["DATEADDED"] == "20210928000000"
    assert row["SOURCEURL"] == "https://example.net/a"


POLECAT = "\t".join(["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
                     "Actor Name", "Actor Country", "Primary Actor Sector", "Recipient Name", "Recipient Country",
                     "Primary Recipient Sector", "Placename", "Country", "Latitude", "Longitude", "GeoNames ID",
                     "Story ID", "Source", "Publication Date", "Language"])
POLECAT_ROWS = [
    ["ev-a", "2023-05-29", "assault", "beat", "-9", "MATERIAL CONFLICT", "military;territory", "Kosovo Police", "XKX",
     "COP", "Serb protesters", "SRB", "CVL", "Zvecan", "XKX", "42.9", "20.8", "786000", "story-1", "Example Agency",
     "2023-05-30", "en"],
    ["ev-b", "2023-05-29", "accuse", "disapprove", "-3", "VERBAL CONFLICT", "", "Aleksandar Vucic; Serbian government",
     "SRB;SRB", "PRM;GOV", "Kosovo government", "XKX", "GOV", "", "", "", "", "", "story-1", "Example Agency",
     "2023-05-30", "en"],
    ["ev-c", "2023-05-30", "consult", "multilateral", "2.5", "VERBAL COOPERATION", "diplomatic", "European Union",
     "IGO", "GOV", "Serbia", "SRB", "GOV", "", "", "", "", "", "story-2", "Other Agency", "2023-05-30", "en"],
    ["ev-d", "2023-05-30", "statement", "", "", "", "", "Someone", "USA", "GOV", "", "", "", "", "", "", "", "",
     "story-2", "Other Agency", "2023-05-30", "en"],
]


def test_polecat_import(tmp_path):
    p = tmp_path / "polecat.tsv"
    p.write_text(POLECAT + "\n" + "\n".join("\t".join(r) for r in POLECAT_ROWS) + "\n", encoding="utf-8")
    db = tmp_path / "p.duckdb"
    s = import_events([p], db=db, fmt="polecat")
    assert (s.rows, s.events, s.documents, s.skipped) == (4, 3, 2, 1)
    with Store(db) as store:
        evs = {e["id"]: e for e in store.events()}
        dyads = {(d["a"], d["b"]): d for d in Analytics(store).dyads(limit=10)}
    a = evs["polecat-ev-a"]
    assert a["type"] == "ASSAULT" and a["mode"] == "beat" and a["quad_class"] == 4 and a["plover_score"] == -9
    assert a["contexts"] == ["military", "territory"] and a["location"]["name"] == "Zvecan"
    assert a["cameo"] == load_cameo_table().cameo_for("ASSAULT")
    b = evs["polecat-ev-b"]
    assert [(x["country"], x["sector"]) for x in b["actor"]] == [("SRB", "PRM"), ("SRB", "GOV")]
    assert dyads[("SRB", "XKX")]["events"] == 2 and dyads[("IGO", "SRB")]["cooperation"] == 1
    import_events([p], db=db, fmt="polecat")
    with Store(db) as store:
        assert store.count("events") == 3


def test_unknown_format_is_refused(tmp_path):
    from faultline.errors import ConfigError

    with pytest.raises(ConfigError):
        import_events([tmp_path / "x"], db=tmp_path / "x.duckdb", fmt="icews")


def test_cli_import_and_gdelt_export(gdelt_file, tmp_path):
    from typer.testing import CliRunner

    from faultline.cli import app

    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(gdelt_file), "--format", "gdelt", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "stored 3 event(s)" in res.output
    out = tmp_path / "out.CSV"
    res = runner.invoke(app, ["events", "--db", str(db), "--format", "gdelt", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(out.read_text("utf-8").splitlines()) == 3
    res = runner.invoke(app, ["import", str(gdelt_file), "--format", "acled", "--db", str(db)])
    assert res.exit_code != 0


def test_importer_shares_the_event_coders_cameo_table():
    from importlib import resources

    text = resources.files("faultline").joinpath("data/events/codes.tsv").read_text("utf-8")
    t = load_cameo_table()
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) == len(t.codes) > 250
    for code, ptype, mode, *_ in rows:
        assert t.lookup(code)["type"] == ptype and (t.lookup(code)["mode"] or "") == mode


def test_export_codes_are_the_most_general_code_of_each_type_not_a_folded_root():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "build_event_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_event_lexicon", path)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    codes = {c: {"type": t} for c, t in [("02", "REQUEST"), ("021", "REQUEST"), ("10", "REQUEST"), ("101", "REQUEST"),
                                         ("08", "RETREAT"), ("081", "CONCEDE"), ("080", "CONCEDE"), ("18", "ASSAULT")]}
    cur = {"plover": {t: {"quad": q, "score": s} for t, q, s in
                      [("REQUEST", 3, 0.0), ("RETREAT", 2, 6.5), ("CONCEDE", 1, 4.5), ("ASSAULT", 4, -9.0),
                       ("AID", 2, 10.0)]},
           "cameo_root_type": {"02": "REQUEST"}, "cameo_country_aliases": {"KSV": "XKX"}}
    out = builder.cameo_types(codes, cur)
    got = {t: v["cameo"] for t, v in out["types"].items()}
    assert got == {"REQUEST": "10", "RETREAT": "08", "CONCEDE": "080", "ASSAULT": "18", "AID": None}
    assert out["types"]["CONCEDE"] == {"quad_class": 1, "plover_score": 4.5, "cameo": "080"}
    assert out["country_aliases"] == {"KSV": "XKX"}
    assert load_cameo_table().cameo_for("REQUEST").startswith("10")  # the shipped table: a demand, not an appeal



def test_a_malformed_codes_table_names_its_line(monkeypatch):
    from faultline.errors import ConfigError
    from faultline.stages.events import lexicon

    real = lexicon.read_vocabulary
    monkeypatch.setattr(lexicon, "read_vocabulary",
                        lambda name: "# header\n140\tPROTEST\t\t\t4\t-6.5\n141\tMARCH\t\t\t4\t\n" if name == "codes.tsv"
                        else real(name))
    with pytest.raises(ConfigError, match="line 3"):
        load_cameo_table()
    with pytest.raises(ConfigError, match="line 3"):
        lexicon.load_lexicon()
