"""Fidelity test: resources/framework.json must transcribe the source document verbatim.

The source document (resources/source/classified-performance-framework.txt) is parsed
here independently, with only the standard library, and every cluster, competency,
rating level and the "+" modifier in framework.json is compared to it character for
character. No project code and no Qt is imported: this tests the data file itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PATH = ROOT / "resources" / "source" / "classified-performance-framework.txt"
JSON_PATH = ROOT / "resources" / "framework.json"

EXPECTED_CLUSTER_NAMES = [
    "Behavior/Conduct",
    "Communication",
    "Adaptability",
    "Work Attributes",
    "Interpersonal Skills",
    "Professional/Technical Expertise",
    "Leadership",
]

# Summary grid at the top:  "BEHAVIOR/CONDUCT Cluster <i>definition</i>\t"
GRID_CLUSTER_RE = re.compile(r"^(?P<upper>[A-Z/ ]+) Cluster <i>(?P<definition>.*)</i>\t?$")
# One grid cell:  "ETHICS & VALUES Aligned with ▪ Integrity"
GRID_CELL_RE = re.compile(r"^(?P<upper>[A-Z&/\- ]+) Aligned with \u25aa (?P<aligned>.+)$")
# Detailed section heading:  "LEADERSHIP Cluster (supervisors/managers only) - definition"
DETAIL_CLUSTER_RE = re.compile(
    r"^(?P<upper>[A-Z/ ]+) Cluster(?P<supervisors> \(supervisors/managers only\))? - (?P<definition>.+)$"
)
# Competency paragraph:  "description text. *(Aligned with A, B, and C.)*"
DESCRIPTION_RE = re.compile(r"^(?P<description>.+\S) \*\(Aligned with (?P<aligned>.+)\.\)\*$")
KEBAB_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------- parsing


def split_aligned(text: str) -> list[str]:
    """'A, B, and C' -> [A, B, C]; 'A, and B' -> [A, B]; 'A and B' -> [A, B]."""
    return re.split(r",? and |, ", text)


def kebab(name: str) -> str:
    return re.sub(r"[\s&/]+", "-", name.lower()).strip("-")


def _strip_markdown_emphasis(text: str) -> str:
    if len(text) > 2 and text.startswith("*") and text.endswith("*"):
        return text[1:-1]
    return text


def parse_source(text: str) -> dict:
    lines = text.split("\n")

    # ---- header
    header = [line for line in lines[:12] if line.strip()]
    title_block = re.search(r"\*\*(.+?)\*\*", text, re.S)
    assert title_block, "title in **...** not found in source"

    # ---- summary grid (everything before "RATING SCALE")
    rating_scale_at = lines.index("RATING SCALE")
    grid: list[dict] = []
    for line in lines[:rating_scale_at]:
        m = GRID_CLUSTER_RE.match(line)
        if m:
            grid.append({"upper": m["upper"], "definition": m["definition"], "cells": {}})
            continue
        if grid and line.strip():
            for cell in line.split("\t"):
                cm = GRID_CELL_RE.match(cell.strip())
                if cm:
                    grid[-1]["cells"][cm["upper"]] = cm["aligned"].split(" \u25aa ")

    # ---- detailed sections: blank-line separated blocks
    body = "\n".join(lines[rating_scale_at:])
    blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip()]
    clusters: list[dict] = []
    rating_rows: list[dict] = []
    i = 0
    while i < len(blocks):
        m = DETAIL_CLUSTER_RE.match(blocks[i])
        if not m:
            if clusters:
                raise AssertionError(f"unexpected paragraph in source: {blocks[i][:80]!r}")
            i += 1  # RATING SCALE legend, before the first cluster
            continue
        cluster = {
            "upper": m["upper"],
            "definition_raw": m["definition"],
            "definition": _strip_markdown_emphasis(m["definition"]),
            "supervisors_only": m["supervisors"] is not None,
            "competencies": [],
        }
        clusters.append(cluster)
        i += 1

        # Rating row repeated under the heading, in one of two layouts.
        if "\t" in blocks[i]:
            row_line, sep_line = blocks[i].split("\n")
            assert set(sep_line.replace("\t", "")) == {"-"}, f"bad table separator {sep_line!r}"
            pairs = []
            for cell in row_line.split("\t"):
                label = next(
                    lab for lab in ("Highly Effective", "Developing", "Effective", "+")
                    if cell.startswith(lab + " ")
                )
                pairs.append((label, cell[len(label) + 1:]))
            rating_rows.append({"cluster": m["upper"], "layout": "tabbed", "pairs": pairs})
            i += 1
        else:
            chunk = blocks[i:i + 8]
            pairs = list(zip(chunk[0::2], chunk[1::2]))
            rating_rows.append({"cluster": m["upper"], "layout": "paragraphs", "pairs": pairs})
            i += 8

        # Competencies: (name, description paragraph) pairs until the next heading.
        while i < len(blocks) and not DETAIL_CLUSTER_RE.match(blocks[i]):
            name, paragraph = blocks[i], blocks[i + 1]
            assert "\n" not in name and len(name) < 60, f"bad competency heading {name!r}"
            dm = DESCRIPTION_RE.match(paragraph)
            assert dm, f"{name}: paragraph does not end with ' *(Aligned with ....)*'"
            cluster["competencies"].append(
                {
                    "name": name,
                    "description": dm["description"],
                    "aligned_raw": dm["aligned"],
                    "aligned_with": split_aligned(dm["aligned"]),
                }
            )
            i += 2

    return {
        "header": header,
        "title_raw": title_block.group(1),
        "grid": grid,
        "clusters": clusters,
        "rating_rows": rating_rows,
    }


SOURCE_TEXT = SOURCE_PATH.read_text(encoding="utf-8")
SRC = parse_source(SOURCE_TEXT)
DATA = json.loads(JSON_PATH.read_text(encoding="utf-8"))

SRC_COMPETENCIES = [
    (ci, ki, comp["name"])
    for ci, cluster in enumerate(SRC["clusters"])
    for ki, comp in enumerate(cluster["competencies"])
]


# --------------------------------------------------------------------------- file format


def test_json_is_utf8_indent2_not_ascii_escaped():
    raw = JSON_PATH.read_bytes().decode("utf-8")
    assert "\\u" not in raw, "framework.json must be written with ensure_ascii=False"
    assert raw.rstrip("\n") == json.dumps(DATA, ensure_ascii=False, indent=2)


def test_top_level_keys():
    assert list(DATA) == ["title", "source", "version", "rating_levels", "plus", "clusters"]


def test_header_matches_source():
    assert " ".join(SRC["title_raw"].split()) == "CLASSIFIED PERFORMANCE FRAMEWORK"
    assert DATA["title"] == "Classified Performance Framework"
    assert DATA["title"].upper() == " ".join(SRC["title_raw"].split())
    district, commission = SRC["header"][0], SRC["header"][1]
    assert DATA["source"] == "Los Angeles Unified School District, Personnel Commission"
    assert DATA["source"].upper() == f"{district}, {commission}".upper()
    assert "REVISED/ALIGNED" in SRC["header"]
    assert DATA["version"] == "Revised/Aligned"
    assert DATA["version"].upper() == "REVISED/ALIGNED"


# --------------------------------------------------------------------------- counts and parser sanity


def test_source_parses_to_7_clusters_and_24_competencies():
    assert len(SRC["clusters"]) == 7
    assert len(SRC_COMPETENCIES) == 24
    assert len(SRC["grid"]) == 7
    assert sum(len(g["cells"]) for g in SRC["grid"]) == 24


def test_json_has_7_clusters_and_24_competencies():
    assert len(DATA["clusters"]) == 7
    assert sum(len(c["competencies"]) for c in DATA["clusters"]) == 24


# --------------------------------------------------------------------------- clusters


@pytest.mark.parametrize("ci", range(7), ids=EXPECTED_CLUSTER_NAMES)
def test_cluster_matches_source(ci):
    src = SRC["clusters"][ci]
    grid = SRC["grid"][ci]
    got = DATA["clusters"][ci]
    expected_name = EXPECTED_CLUSTER_NAMES[ci]
    assert src["upper"].title() == expected_name, f"cluster {ci}: heading {src['upper']!r}"
    assert grid["upper"] == src["upper"], f"{expected_name}: summary grid and detail order differ"
    assert list(got) == ["id", "name", "definition", "supervisors_only", "competencies"], expected_name
    assert got["name"] == expected_name, f"cluster {ci}: name {got['name']!r}"
    assert got["id"] == kebab(expected_name), f"{expected_name}: id {got['id']!r}"
    assert got["definition"] == src["definition"], f"{expected_name}: definition differs from detailed heading"
    assert got["definition"] == grid["definition"], f"{expected_name}: definition differs from summary grid <i>"
    assert "*" not in got["definition"] and "supervisors" not in got["definition"], expected_name
    assert got["supervisors_only"] is src["supervisors_only"], f"{expected_name}: supervisors_only"
    assert got["supervisors_only"] is (expected_name == "Leadership"), f"{expected_name}: supervisors_only"


@pytest.mark.parametrize("ci", range(7), ids=EXPECTED_CLUSTER_NAMES)
def test_cluster_competency_set_and_order(ci):
    name = EXPECTED_CLUSTER_NAMES[ci]
    src_names = [c["name"] for c in SRC["clusters"][ci]["competencies"]]
    got_names = [c["name"] for c in DATA["clusters"][ci]["competencies"]]
    assert got_names == src_names, f"{name}: competencies/order differ from the detailed sections"
    # The summary grid lists the same competencies (in upper case, in a two-column order).
    assert {n.upper() for n in src_names} == set(SRC["grid"][ci]["cells"]), (
        f"{name}: detailed sections and summary grid list different competencies"
    )


# --------------------------------------------------------------------------- competencies


@pytest.mark.parametrize("ci,ki,name", SRC_COMPETENCIES, ids=[n for _, _, n in SRC_COMPETENCIES])
def test_competency_matches_source(ci, ki, name):
    src = SRC["clusters"][ci]["competencies"][ki]
    comps = DATA["clusters"][ci]["competencies"]
    assert ki < len(comps), f"{name}: missing from framework.json cluster {EXPECTED_CLUSTER_NAMES[ci]}"
    got = comps[ki]
    assert list(got) == ["id", "name", "aligned_with", "description"], f"{name}: keys {list(got)}"
    assert got["name"] == name, f"{name}: name is {got['name']!r}"
    assert got["description"] == src["description"], f"{name}: description differs from source paragraph"
    assert got["aligned_with"] == src["aligned_with"], (
        f"{name}: aligned_with {got['aligned_with']!r} != source {src['aligned_raw']!r}"
    )
    # Round trip: rebuilding the paragraph from the JSON gives the exact source paragraph.
    paragraph = f"{got['description']} *(Aligned with {src['aligned_raw']}.)*"
    assert f"\n\n{name}\n\n{paragraph}" in SOURCE_TEXT, f"{name}: heading+paragraph not found verbatim"
    for item in got["aligned_with"]:
        assert item and item == item.strip() and "," not in item and not item.startswith("and "), (
            f"{name}: bad aligned_with item {item!r}"
        )
        assert item in src["aligned_raw"], f"{name}: {item!r} not in source sentence"


@pytest.mark.parametrize("ci,ki,name", SRC_COMPETENCIES, ids=[n for _, _, n in SRC_COMPETENCIES])
def test_competency_alignment_agrees_with_summary_grid(ci, ki, name):
    got = DATA["clusters"][ci]["competencies"][ki]
    grid_items = SRC["grid"][ci]["cells"][name.upper()]
    # The grid has one OCR quirk: "Professional/ Technical Expertise" (space after the slash).
    grid_items = [item.replace("/ ", "/") for item in grid_items]
    assert got["aligned_with"] == grid_items, f"{name}: aligned_with differs from summary grid {grid_items!r}"


# --------------------------------------------------------------------------- ids


def test_ids_are_kebab_case_of_names_and_unique():
    cluster_ids = [c["id"] for c in DATA["clusters"]]
    comp_ids = [k["id"] for c in DATA["clusters"] for k in c["competencies"]]
    for c in DATA["clusters"]:
        assert c["id"] == kebab(c["name"]), f"cluster {c['name']}: id {c['id']!r}"
        assert KEBAB_RE.match(c["id"]), f"cluster {c['name']}: id {c['id']!r} is not kebab-case"
        for k in c["competencies"]:
            assert k["id"] == kebab(k["name"]), f"{k['name']}: id {k['id']!r}"
            assert KEBAB_RE.match(k["id"]), f"{k['name']}: id {k['id']!r} is not kebab-case"
    assert len(set(cluster_ids)) == len(cluster_ids), "duplicate cluster ids"
    assert len(set(comp_ids)) == len(comp_ids), "duplicate competency ids"


def test_known_ids():
    comp_ids = {k["name"]: k["id"] for c in DATA["clusters"] for k in c["competencies"]}
    assert comp_ids["Ethics & Values"] == "ethics-values"
    assert comp_ids["Teamwork/Collaboration"] == "teamwork-collaboration"
    assert comp_ids["Initiative & Self-Management"] == "initiative-self-management"
    assert comp_ids["Culture/Environment"] == "culture-environment"
    cluster_ids = [c["id"] for c in DATA["clusters"]]
    assert cluster_ids == [
        "behavior-conduct",
        "communication",
        "adaptability",
        "work-attributes",
        "interpersonal-skills",
        "professional-technical-expertise",
        "leadership",
    ]


# --------------------------------------------------------------------------- rating levels and "+"


def test_rating_row_is_repeated_identically_in_both_layouts():
    rows = SRC["rating_rows"]
    assert [r["cluster"] for r in rows] == [c["upper"] for c in SRC["clusters"]]
    assert {r["layout"] for r in rows} == {"tabbed", "paragraphs"}
    first = rows[0]["pairs"]
    assert [label for label, _ in first] == ["Developing", "Effective", "Highly Effective", "+"]
    for r in rows:
        assert r["pairs"] == first, f"rating row under {r['cluster']} ({r['layout']}) differs"


def test_rating_levels_match_repeated_rating_row():
    row = dict(SRC["rating_rows"][0]["pairs"])
    levels = DATA["rating_levels"]
    assert [lvl["label"] for lvl in levels] == ["Developing", "Effective", "Highly Effective"]
    for lvl in levels:
        assert list(lvl) == ["id", "label", "meaning"], lvl["label"]
        assert lvl["id"] == lvl["label"].lower().replace(" ", "_"), lvl["label"]
        assert lvl["meaning"] == row[lvl["label"]], f"level {lvl['label']}: meaning differs from rating row"


def test_plus_matches_repeated_rating_row():
    row = dict(SRC["rating_rows"][0]["pairs"])
    plus = DATA["plus"]
    assert list(plus) == ["label", "meaning", "allowed_with"]
    assert plus["label"] == "+"
    assert plus["meaning"] == row["+"], "plus: meaning differs from rating row"
    m = re.search(r"can be added to (.+) or (.+)$", plus["meaning"])
    assert m, "plus: meaning does not say what it can be added to"
    ids_by_label = {lvl["label"]: lvl["id"] for lvl in DATA["rating_levels"]}
    assert plus["allowed_with"] == [ids_by_label[m.group(1)], ids_by_label[m.group(2)]]
    assert plus["allowed_with"] == ["effective", "highly_effective"]
