"""Syndication gate: reposts built from AEB and Guardian texts must join their original's cluster.

For every original text (181 AEB bodies + 249 Guardian articles) the gate
writes one or two *reposts* as Markdown pages: a header (title, byline,
dated credits, tag lines), wrapper text of varying length (share prompts,
translation notes, donation appeals, disclaimers, "original source" lines
in several styles, all our own wording below) and light edits to the body
(a dropped paragraph, straight quotes, an editor's note, a changed word).
Originals and reposts go through ``extract`` then ``cluster``.

Metrics: ``pair_recall`` (repost in its original's cluster),
``pair_precision`` (of the pairs placed together, the share that are true
copies), ``distinct_merges`` (originals sharing a cluster; ceiling 0), and
``original_publisher_recall`` (reposts whose original publisher was read).
"""
from __future__ import annotations

import csv
import json
import random
import re
import sys
from itertools import combinations
from pathlib import Path

HEADERS = [
    "# {title}\n\nBy [{author}](#)\n\n{site}, {date1}\n\n[{orig}](#) {date2}\n\nRegion: [{region}](#)\n\n",
    "## {title}\n\n*{site}* | {date1}\n\nWritten by {author}\n\nTopics: [{region}](#), [World](#)\n\n",
    "# {title}\n\nPosted on {date1} by {site} staff\n\n",
    "{title}\n\nBy {author}\n\n",
]
LEADS = [
    "Visit and follow us on all our channels for daily updates.\n\n***\n\n",
    "Readers can switch the page language with the translate button in the top menu of our website.\n\n---\n\n",
    "",
    "**Support our work:** click the donate button in the sidebar.\n\n",
]
TAILS = [
    "\n\n*\n\nNote to readers: please click the share buttons below. Forward this article to your email lists.\n\n"
    "The original source of this article is [{orig}](#)\n\nCopyright © [{orig}](#), {year}\n\n",
    "\n\nThis article was originally published by {orig} and is republished with permission.\n\n"
    "---\n\nDisclaimer: The views expressed in this article are the author's own and do not necessarily reflect "
    "the editorial policy of {site}.\n\n",
    "\n\n_This story first appeared on [{orig}](https://example.org/story)._\n\n"
    "If you value independent reporting, please donate via PayPal or become a patron. Every contribution counts.\n\n"
    "Share this article: [Facebook](#) [Twitter](#) [Email](#)\n\n",
    "\n\nOriginally published at {orig}.\n\nAll rights reserved. Subscribe to our newsletter to get stories like "
    "this in your inbox.\n\nFor media inquiries write to us.\n\n",
]


def _edit(text: str, rng: random.Random) -> str:
    paras = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    if len(paras) > 6 and rng.random() < 0.5:
        del paras[rng.randrange(1, len(paras) - 1)]  # drop one inner paragraph
    out = "\n\n".join(p.strip() for p in paras)
    if rng.random() < 0.5:
        out = out.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    if rng.random() < 0.3:
        out = "*Editor's note: this article has been lightly edited for length.*\n\n" + out
    if rng.random() < 0.3:
        out = re.sub(r"\bsaid\b", "stated", out, count=2)
    return out


def _markdown_escape(text: str) -> str:
    return re.sub(r"([*_\[\]#`<>])", r"\\\1", text)


def originals(shared: Path) -> list[tuple[str, str, str]]:
    """(id, text, publisher) of every original."""
    out: list[tuple[str, str, str]] = []
    truth = json.loads((shared / "data" / "extraction" / "aeb" / "ground-truth.json").read_text("utf-8"))
    for k in sorted(truth):
        body = truth[k]["articleBody"]
        if len(body.split()) >= 60:
            out.append((f"aeb-{k[:12]}", body, "Origin Desk"))
    csv.field_size_limit(10**9)
    with open(shared / "data" / "corpora" / "guardian_sdf_sample.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            body = row["text"]
            if len(body.split()) >= 60:
                out.append((f"gdn-{row['']}", body, "The Guardian"))
    # exact duplicates inside the source data are the same article, not distinct ones
    seen: set[str] = set()
    uniq = []
    for oid, body, pub in out:
        key = " ".join(body.split()).casefold()
        if key not in seen:
            seen.add(key)
            uniq.append((oid, body, pub))
    return uniq


def run(shared: Path) -> dict[str, float]:
    if not (shared / "data" / "corpora" / "guardian_sdf_sample.csv").is_file():
        print("syndication gate: shared corpora not found; skipped", file=sys.stderr)
        return {}
    from faultline.pipeline import Item
    from faultline.records import Document
    from faultline.settings import Settings
    from faultline.stages.cluster import ClusterStage
    from faultline.stages.extract import ExtractStage

    settings = Settings.load(overrides={"extract": {"learn_templates": False}})
    ext = ExtractStage(settings)
    ext.setup()
    clu = ClusterStage(settings)
    rng = random.Random(7)
    docs: list[tuple[str, str, Document]] = []  # (doc id, original id, document)
    for oid, body, pub in originals(shared):
        docs.append((oid, oid, Document(id=oid, content=body, format="text", source=pub)))
        for r in range(1 + (rng.random() < 0.3)):
            first_line = body.strip().split("\n", 1)[0]
            title = " ".join(first_line.split()[:10]).rstrip(".,;:")
            orig = rng.choice(["South Desk", "Field Report Weekly", "The Civic Ledger", "Northern Wire"])
            site = rng.choice(["Global Echo", "World Reposts", "Daily Mirror Site", "Open Press Hub"])
            fill = dict(title=title or "Untitled", author=orig, site=site, orig=orig, region="Europe",
                        date1="March 3, 2021", date2="2 March 2021", year=2021)
            page = (rng.choice(HEADERS).format(**fill) + rng.choice(LEADS)
                    + _markdown_escape(_edit(body, rng)) + rng.choice(TAILS).format(**fill))
            did = f"{oid}-repost{r}"
            docs.append((did, oid, Document(id=did, content=page, format="markdown")))
    rng.shuffle(docs)  # reposts may arrive before their originals
    cluster_of: dict[str, str | None] = {}
    orig_pub_hits = reposts = 0
    for did, oid, doc in docs:
        art = ext.extract(doc)
        cluster_of[did] = clu.process_one(Item(index=0, document=doc, slots={"article": art}))["cluster"]
        if did != oid:
            reposts += 1
            orig_pub_hits += bool(art.original_publisher)
    by_orig: dict[str, list[str]] = {}
    for did, oid, _ in docs:
        by_orig.setdefault(oid, []).append(did)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_orig.values())
    hit = sum(1 for v in by_orig.values() for a, b in combinations(v, 2) if cluster_of[a] == cluster_of[b])
    origin = {did: oid for did, oid, _ in docs}
    groups: dict[str | None, list[str]] = {}
    for did, c in cluster_of.items():
        groups.setdefault(c, []).append(did)
    placed = sum(len(v) * (len(v) - 1) // 2 for v in groups.values())
    merges = 0
    for v in groups.values():
        distinct = {origin[d] for d in v}
        merges += len(distinct) - 1
    precision = hit / placed if placed else 1.0
    missed = [v for v in by_orig.values() if len({cluster_of[d] for d in v}) > 1]
    if missed:
        print(f"syndication gate: {len(missed)} originals not joined with a repost, e.g. {missed[:3]}", file=sys.stderr)
    return {
        "pair_recall": hit / true_pairs if true_pairs else 1.0,
        "pair_precision": precision,
        "distinct_merges": float(merges),
        "original_publisher_recall": orig_pub_hits / reposts if reposts else 1.0,
        "documents": float(len(docs)),
    }


if __name__ == "__main__":
    import os
    import time

    shared = Path(os.environ.get("FAULTLINE_SHARED") or Path(__file__).resolve().parent.parent.parent / "shared")
    t0 = time.perf_counter()
    print(json.dumps(run(shared), indent=2, sort_keys=True))
    print(f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)
