"""`manage.py exportresults`: the result list as CSV, JSON or PDF, to stdout or a file."""
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.results_races import DNS_REASON, DQ_REASON, with_statuses
from timing import services
from timing.models import Race
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

HEADER = ["rank", "name", "nation", "pair", "lane", "status", "reason", "time", "time_ms", "behind", "record",
          "split_200", "split_600", "invented"]


def export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("exportresults", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def small_race(db):
    """Two pairs: a winner, a tie-free second, a DNF with a split, and a DQ."""
    race = create_race("Test Games", "Women's 1000 m", "Women", 1000, [
        Entry(1, "inner", "Vigl", "ITA"), Entry(1, "outer", "Suzanne Schulting", "NED"),
        Entry(2, "inner", "Femke Kok", "NED"), Entry(2, "outer", "Brittany Bowe", "USA"),
    ])
    r = services.REPLAY
    for pair, lane, point, ms in [(1, "inner", 200, 18190), (1, "inner", 1000, 77150), (1, "outer", 200, 17900),
                                  (1, "outer", 600, 45100), (1, "outer", 1000, 75460), (2, "inner", 200, 17400),
                                  (2, "outer", 200, 17850), (2, "outer", 1000, 74550)]:
        services.record_passing(race.id, pair, lane, point, ms, r)
    services.set_status(race.id, 2, "inner", "DNF", "", r)
    services.set_status(race.id, 2, "outer", "DQ", "crossing", r)
    return race


def test_it_writes_the_standings_with_splits_to_stdout(small_race):
    out, err = export(small_race.id)
    assert next(csv.reader(io.StringIO(out))) == HEADER
    assert [list(r.values()) for r in rows(out)] == [
        ["1", "Suzanne Schulting", "NED", "1", "outer", "OK", "", "1:15.46", "75460", "", "", "17.90", "45.10", ""],
        ["2", "Vigl", "ITA", "1", "inner", "OK", "", "1:17.15", "77150", "+1.69", "", "18.19", "", ""],
        ["", "Femke Kok", "NED", "2", "inner", "DNF", "", "", "", "", "", "17.40", "", ""],
        ["", "Brittany Bowe", "USA", "2", "outer", "DQ", "crossing", "", "", "", "", "17.85", "", ""],
    ]
    # A real race carries no demo warning; a race not yet final says its list is unofficial.
    assert err == "Women's 1000 m is not final: this list is UNOFFICIAL.\n"


def test_it_writes_a_file_when_asked(small_race, tmp_path):
    target = tmp_path / "results.csv"
    out, err = export(small_race.id, "--output", target)
    assert out == "" and err.startswith(f"Wrote 4 rows of Women's 1000 m to {target}.\n")
    assert target.read_bytes().startswith(b"rank,name,") and b"\r\n" in target.read_bytes()
    assert rows(target.read_text(encoding="utf-8")) == rows(export(small_race.id)[0])


def test_the_demo_race_export_matches_its_standings_and_marks_what_is_invented(demo_race, snap, tmp_path):
    target = tmp_path / "milano.csv"
    _, err = export(demo_race.id, "--output", target)
    exported = rows(target.read_text(encoding="utf-8"))
    standings = snap(demo_race.id)["standings"]
    assert [(r["rank"], r["name"], r["nation"], r["time"], r["behind"], r["record"]) for r in exported] == [
        (str(s["rank"] or ""), s["name"], s["nation"], s["time"] or "", s["behind"] or "", s["record"] or "")
        for s in standings
    ]
    by_name = {r["name"]: r for r in exported}
    leerdam = by_name["Jutta Leerdam"]
    assert (leerdam["rank"], leerdam["time"], leerdam["record"], leerdam["split_200"], leerdam["split_600"]) == (
        "1", "1:12.31", "OR", "17.68", "43.78",
    )
    assert leerdam["invented"] == ""
    assert by_name["Ellia Smeding"]["rank"] == "11" and by_name["Ellia Smeding"]["behind"] == "+3.52"
    assert by_name["Erin Jackson"]["invented"] == "split_200 split_600 time"
    assert sum(r["invented"].startswith("skater") for r in exported) == 18
    assert "demo data" in err


def test_it_rejects_an_unknown_race(db):
    with pytest.raises(CommandError) as caught:
        export(424242)
    assert str(caught.value) == "There is no race 424242."


def test_it_says_why_it_cannot_write_the_file(small_race, tmp_path):
    with pytest.raises(CommandError) as caught:
        export(small_race.id, "--output", tmp_path / "missing-dir" / "results.csv")
    assert str(caught.value).startswith("Cannot write ") and "No such file or directory" in str(caught.value)


def test_the_csv_carries_the_status_reasons(demo_race):
    with_statuses(demo_race)
    out, err = export(demo_race.id)
    by_name = {r["name"]: r for r in rows(out)}
    assert (by_name["M. Hansen"]["status"], by_name["M. Hansen"]["reason"]) == ("DQ", DQ_REASON)
    assert (by_name["S. Park"]["status"], by_name["S. Park"]["reason"]) == ("DNS", DNS_REASON)
    assert by_name["Jutta Leerdam"]["reason"] == "" and "UNOFFICIAL" not in err
    assert [r["name"] for r in rows(out)][-3:] == ["A. Kowalska", "M. Hansen", "S. Park"]


def test_json_is_the_result_list_itself(demo_race):
    with_statuses(demo_race)
    out, _ = export(demo_race.id, "--format", "json")
    data = json.loads(out)
    assert data["official"] is True and data["competition"] == "Milano Cortina 2026"
    assert (data["ranked"][0]["name"], data["ranked"][0]["time"], data["ranked"][0]["record"]) == (
        "Jutta Leerdam", "1:12.31", "OR",
    )
    hansen = next(r for r in data["unranked"] if r["name"] == "M. Hansen")
    assert (hansen["status"], hansen["reason"]) == ("DQ", DQ_REASON)


def test_pdf_is_written_to_a_file_and_reads_back(demo_race, tmp_path):
    with_statuses(demo_race)
    services.set_race_state(demo_race.id, Race.LIVE, services.REPLAY, reason="late correction")
    target = tmp_path / "milano.pdf"
    _, err = export(demo_race.id, "--format", "pdf", "--output", target)
    assert target.read_bytes().startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
    assert "UNOFFICIAL" in text and "Jutta Leerdam" in text and DQ_REASON in text
    assert "is not final: this list is UNOFFICIAL" in err


def test_pdf_to_a_text_stream_asks_for_a_file(demo_race):
    with pytest.raises(CommandError) as caught:
        export(demo_race.id, "--format", "pdf")
    assert str(caught.value) == "A PDF is binary: give --output FILE, or redirect stdout to a file."


def test_pdf_goes_to_a_redirected_stdout_as_bytes(demo_race):
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")  # what `> file.pdf` gives the command
    call_command("exportresults", str(demo_race.id), "--format", "pdf", stdout=stdout, stderr=io.StringIO())
    assert raw.getvalue().startswith(b"%PDF-")
    assert "Jutta Leerdam" in PdfReader(io.BytesIO(raw.getvalue())).pages[0].extract_text()


def test_an_unknown_format_is_refused(demo_race):
    with pytest.raises(CommandError) as caught:
        export(demo_race.id, "--format", "xlsx")
    assert "invalid choice: 'xlsx'" in str(caught.value)
