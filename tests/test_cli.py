"""The CLI end to end through Typer's runner, bad inputs included."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from faultline.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "border-standoff.md"
runner = CliRunner()


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_help_lists_commands_and_each_command_has_an_example() -> None:
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for command in ("analyze", "ingest", "events", "framing", "stages"):
        assert command in res.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0
        assert "Example:" in sub.output and f"faultline {command}" in sub.output


def test_analyze_example_writes_one_contract_record() -> None:
    res = runner.invoke(app, ["analyze", str(EXAMPLE), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    (record,) = _jsonl(res.output)
    assert record["errors"] == []
    assert record["title"].startswith("Serbs block roads")
    assert record["published"] == "2023-05-30"
    assert record["input"]["format"] == "markdown"
    assert "Zvecan" in record["text"]
    assert re.fullmatch(r"[0-9a-f]{32}", record["fingerprint"])


def test_analyze_reads_jsonl_from_stdin_and_keeps_order() -> None:
    lines = "\n".join(json.dumps({"id": f"s{i}", "text": f"Story number {i}. Police arrested a man."})
                      for i in range(3))
    res = runner.invoke(app, ["analyze", "-", "--format", "jsonl"], input=lines + "\n")
    assert res.exit_code == 0, res.output
    assert [r["id"] for r in _jsonl(res.output)] == ["s0", "s1", "s2"]


def test_ingest_twice_leaves_the_same_export(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    for _ in range(2):
        assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", str(db), "--quiet"]).exit_code == 0
    first = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl"]).output
    assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", str(db), "--quiet"]).exit_code == 0
    assert runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl"]).output == first
    from faultline.store import Store

    with Store(db, read_only=True) as store:
        assert store.count("documents") == 1
        assert store.count("runs") == 3


def test_events_csv_and_parquet_exports(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    runner.invoke(app, ["ingest", str(EXAMPLE), "--db", str(db), "--quiet"])
    res = runner.invoke(app, ["events", "--db", str(db), "--format", "csv"])
    assert res.exit_code == 0 and res.output.startswith("id,article,date,type")
    out = tmp_path / "e.parquet"
    assert runner.invoke(app, ["events", "--db", str(db), "--format", "parquet", "--out", str(out)]).exit_code == 0
    assert out.exists()
    bad = runner.invoke(app, ["events", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_events_on_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    res = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2 and "faultline ingest" in res.output


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> Path:
    d = tmp_path / "inputs"
    d.mkdir()
    (d / "a_good.txt").write_text("Kosovo police detained two men near the border on Monday.", "utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "d_latin1.md").write_bytes("Pristina's mayor said caf\xe9 owners protested.".encode("latin-1"))
    big = d / "e_huge.txt"
    with big.open("wb") as fh:
        chunk = b"The army moved tanks to the border. " * 1000
        for _ in range(30 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    (d / "f_records.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Serbia recalled its ambassador."}) + "\n"
        + "{this is not json\n"
        + json.dumps({"id": "j3", "text": "Protesters marched in Belgrade."}) + "\n", "utf-8")
    (d / "g_good.md").write_text("# Title\n\nTroops were deployed to the northern border.\n", "utf-8")
    return d


def test_bad_inputs_give_per_document_errors_and_the_batch_goes_on(bad_inputs: Path) -> None:
    res = runner.invoke(app, ["analyze", str(bad_inputs), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    records = _jsonl(res.output)
    by_path = {Path(r["input"]["path"].split(":")[0]).name + (":" + r["input"]["path"].split(":")[1]
               if ":" in r["input"]["path"] else ""): r for r in records}
    assert len(records) == 9
    assert by_path["a_good.txt"]["errors"] == [] and by_path["g_good.md"]["errors"] == []
    assert "empty" in by_path["b_empty.txt"]["errors"][0]
    assert "binary" in by_path["c_binary.html"]["errors"][0]
    assert "UTF-8" in by_path["d_latin1.md"]["errors"][0]
    assert "MB" in by_path["e_huge.txt"]["errors"][0]
    jsonl = [r for r in records if "f_records.jsonl" in r["input"]["path"]]
    assert [bool(r["errors"]) for r in jsonl] == [False, True, False]
    assert "malformed JSON" in jsonl[1]["errors"][0]
    assert [r["id"] for r in jsonl if not r["errors"]] == ["j1", "j3"]


def test_bad_inputs_are_stored_with_their_errors(bad_inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    res = runner.invoke(app, ["ingest", str(bad_inputs), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "5 failed" in res.output
    from faultline.store import Store

    with Store(db, read_only=True) as store:
        assert store.count("documents") == 9


def test_unknown_file_type_gets_a_clear_message(tmp_path: Path) -> None:
    odd = tmp_path / "report.pdf"
    odd.write_bytes(b"%PDF-1.4 not really")
    res = runner.invoke(app, ["analyze", str(odd), "--format", "jsonl"])
    assert res.exit_code == 0
    (record,) = _jsonl(res.output)
    assert "unsupported file type '.pdf'" in record["errors"][0]
    assert ".html" in record["errors"][0]


def test_missing_path_is_an_error_with_advice(tmp_path: Path) -> None:
    res = runner.invoke(app, ["analyze", str(tmp_path / "nope.md")])
    assert res.exit_code == 2 and "does not exist" in res.output
    odd = tmp_path / "drafts[/b]" / "nope.md"  # a path is printed as written, never read as markup
    res = runner.invoke(app, ["analyze", str(odd)])
    assert res.exit_code == 2 and "drafts[/b]" in res.output and "does not exist" in res.output


def test_ingest_lists_failures_without_markup(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('not json\n{"text": "Police arrested two men [/caption] on Monday."}\n', "utf-8")
    res = runner.invoke(app, ["ingest", str(bad), "--db", str(tmp_path / "s.duckdb"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "stored 2 document(s)" in res.output and "1 failed" in res.output
    assert "  ! " in res.output and "malformed JSON" in res.output and "[yellow]" not in res.output


def test_table_prints_scraped_brackets_as_written() -> None:
    """Scraped text is never Rich markup: '[/caption]' used to crash the table, '[red]' to restyle it."""
    import io

    from faultline.analytics.synthetic import make_result
    from faultline.records import FramingSpan
    from faultline.render import print_table

    quote = "Police detained two men [/caption] near the [red]bridge[/red]."
    r = make_result("doc-1", [{"type": "COERCE", "actor": [("XKX", "COP", "Kosovo police")],
                               "recipient": [("SRB", "CVL", "two men")], "quote": quote}],
                    published="2024-04-02", title="[bold]Crossing[/bold] report [/i]")
    at = r.text.index("[red]bridge")
    span = FramingSpan(technique="Loaded_Language", quote=r.text[at:at + 11], start=at, end=at + 11,
                       confidence=0.7, why="word '[/b]' +1.2")
    r = r.replace(framing=(span,), errors=("bad [/tag] in input",))
    out = io.StringIO()
    print_table([r], file=out)
    text = out.getvalue()
    for literal in ("[/caption]", "[red]bridge", "[bold]Crossing[/bold] report [/i]", "'[/b]'", "bad [/tag]"):
        assert literal in text, literal
    assert "Loaded_Language" in text and "0.70" in text


def test_help_shows_brackets_as_written() -> None:
    """Help texts are Rich markup; '[store]' used to vanish as an unknown tag."""
    for command in ("ingest", "events", "framing", "import"):
        res = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert res.exit_code == 0 and "[store] path setting" in res.output, (command, res.output)
