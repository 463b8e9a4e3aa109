"""`manage.py importstartlist`: a good CSV becomes a race; any bad row is named and nothing is created."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from timing.models import Competition, Pair, PersonalBest, Race, Skater, Start

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

GOOD = """pair,lane,name,nation,pb
1,inner,Vigl,ITA,
1,outer,Suzanne Schulting,NED,1:14.20
2,inner,Femke Kok,ned,1:12.59
2,outer,Brittany Bowe,USA,1:11.61
3,outer,Ellia Smeding,GBR,
"""


def write(tmp_path, text, name="startlist.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("importstartlist", *args, stdout=out)
    return out.getvalue()


def nothing_stored():
    return not any(m.objects.exists() for m in (Competition, Race, Pair, Start, Skater, PersonalBest))


def refused(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert nothing_stored()
    return str(caught.value)


def test_it_creates_the_race_its_pairs_starts_and_personal_bests(tmp_path):
    out = run(write(tmp_path, GOOD), "--race", "Women's 1000 m", "--distance", "1000", "--competition", "Test Games")
    race = Race.objects.get()
    assert out == f"Created race {race.id}: Women's 1000 m (Women, 1000 m), Test Games, 5 skaters in 3 pairs.\n"
    assert (race.competition.name, race.category, race.distance, race.state, race.version) == (
        "Test Games", "Women", 1000, "scheduled", 0,
    )
    starts = {(s.pair.number, s.lane): (s.skater.name, s.skater.nation) for s in Start.objects.filter(pair__race=race)}
    assert starts == {
        (1, "inner"): ("Vigl", "ITA"), (1, "outer"): ("Suzanne Schulting", "NED"), (2, "inner"): ("Femke Kok", "NED"),
        (2, "outer"): ("Brittany Bowe", "USA"), (3, "outer"): ("Ellia Smeding", "GBR"),
    }
    pbs = dict(PersonalBest.objects.filter(distance=1000).values_list("skater__name", "pb_ms"))
    assert pbs == {"Suzanne Schulting": 74200, "Femke Kok": 72590, "Brittany Bowe": 71610}


def test_the_category_comes_from_the_title_or_the_option(tmp_path):
    path = write(tmp_path, GOOD)
    run(path, "--race", "Men's 500 m", "--distance", "500")
    run(path, "--race", "Sprint 500 m", "--distance", "500", "--category", "Juniors")
    assert sorted(Race.objects.values_list("title", "category")) == [
        ("Men's 500 m", "Men"), ("Sprint 500 m", "Juniors"),
    ]
    assert Competition.objects.get().name == "Imported start lists"
    assert Skater.objects.count() == 5  # the same skaters are reused, not duplicated


def test_it_rejects_a_title_that_names_no_category(tmp_path):
    message = refused(write(tmp_path, GOOD), "--race", "Sprint 500 m", "--distance", "500")
    assert message == "Cannot tell the category from 'Sprint 500 m'; give --category, such as Women."


def test_it_reads_a_file_saved_by_excel_with_a_byte_order_mark_and_without_a_pb_column(tmp_path):
    text = "pair,lane,name,nation\r\n1,inner,Vigl,ITA\r\n1,outer,Suzanne Schulting,NED\r\n"
    run(write(tmp_path, text, encoding="utf-8-sig"), "--race", "Women's 1000 m", "--distance", "1000")
    assert Start.objects.count() == 2


def test_it_reports_every_bad_row_by_line_number_and_creates_nothing(tmp_path):
    text = (
        "pair,lane,name,nation,pb\n"
        "1,inner,Vigl,ITA,\n"  # 2: good
        "1,middle,Schulting,NED,\n"  # 3
        "two,inner,Kok,NED,\n"  # 4
        "2,outer,,USA,\n"  # 5
        "\n"  # 6: blank lines are skipped
        "3,inner,Smeding,Great Britain,\n"  # 7
        "3,outer,Bowe,USA,1:75.00\n"  # 8
        "1,inner,Takagi,JPN,\n"  # 9
        "4,inner,Vigl,ITA,\n"  # 10
        "4,outer,Jackson,USA,1:14.00,extra\n"  # 11
    )
    message = refused(write(tmp_path, text), "--race", "Women's 1000 m", "--distance", "1000")
    assert message.splitlines()[1:] == [
        "line 3, lane: 'middle' is not a lane; write inner or outer.",
        "line 4, pair: 'two' is not a pair number; write a whole number from 1, such as 3.",
        "line 5, name: the name is empty; write the skater's name as it should appear on the boards.",
        "line 7, nation: 'Great Britain' is not a nation; write the three-letter IOC code, such as NED.",
        "line 8, pb: '1:75.00' has 75 seconds after the colon: use two digits below 60, as in 1:12.31.",
        "line 9, lane: pair 1 inner is already taken by line 2; give one of them the other lane or another pair.",
        "line 10, name: Vigl (ITA) is already on line 2; a skater starts once in a race.",
        "line 11: 6 cells but the header has 5 columns; remove the extra cells or quote a name that holds a comma.",
    ]
    assert message.splitlines()[0].endswith("startlist.csv: nothing was imported.")


def test_line_numbers_count_lines_of_the_file_even_inside_a_quoted_cell(tmp_path):
    text = 'pair,lane,name,nation\n1,inner,"Vigl\nMaria",ITA\n1,outer,Schulting,NETH\n'
    message = refused(write(tmp_path, text), "--race", "Women's 1000 m", "--distance", "1000")
    assert message.splitlines()[1:] == [
        # A line break is no part of a name (timing/rules/names.py); the next row's number still counts it.
        "line 2, name: the name holds an invisible or control character, U+000A (LINE FEED), at position 5: retype it.",
        "line 4, nation: 'NETH' is not a nation; write the three-letter IOC code, such as NED.",
    ]


@pytest.mark.parametrize(
    "header, problem",
    [("pair,lane,skater,nation", "line 1, name: the header has no column name"),
     ("pair,lane,name,nation,pb,sb", "line 1, sb: 'sb' is not a column of a start list"),
     ("", "line 1, pair, lane, name, nation: the header has no column pair or lane or name or nation")],
)
def test_it_rejects_a_wrong_header(tmp_path, header, problem):
    path = write(tmp_path, header + "\n1,inner,Vigl,ITA\n")
    message = refused(path, "--race", "Women's 1000 m", "--distance", "1000")
    assert message.splitlines()[1].startswith(problem)


def test_the_columns_may_come_in_any_order(tmp_path):
    path = write(tmp_path, "lane,pair,nation,name\ninner,1,ITA,Vigl\n")
    run(path, "--race", "Women's 1000 m", "--distance", "1000")
    assert Start.objects.get().skater.name == "Vigl"


def test_it_rejects_a_file_without_skaters(tmp_path):
    message = refused(write(tmp_path, "pair,lane,name,nation\n\n"), "--race", "Women's 1000 m", "--distance", "1000")
    assert message.endswith("the file holds no skaters; add one line per skater under the header.")


def test_it_rejects_gaps_in_the_pair_numbers(tmp_path):
    text = "pair,lane,name,nation\n1,inner,Vigl,ITA\n3,inner,Kok,NED\n"
    message = refused(write(tmp_path, text), "--race", "Women's 1000 m", "--distance", "1000")
    assert message.endswith("line 3, pair: pair 3 follows pair 1, so pair 2 is missing; number the pairs 1, 2, 3… without gaps.")


def test_it_rejects_a_distance_that_is_not_skated(tmp_path):
    message = refused(write(tmp_path, GOOD), "--race", "Women's 800 m", "--distance", "800")
    assert message.endswith("800 m is not a long-track distance; use one of 500, 1000, 1500, 3000, 5000, 10000.")


def test_it_rejects_a_missing_or_unreadable_file(tmp_path):
    assert refused(str(tmp_path / "nope.csv"), "--race", "Women's 1000 m", "--distance", "1000") == (
        f"There is no file {tmp_path / 'nope.csv'}."
    )
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("pair,lane,name,nation\n1,inner,Sjöblom,FIN\n".encode("latin-1"))
    assert refused(str(latin), "--race", "Women's 1000 m", "--distance", "1000").splitlines()[1] == (
        "line 2: byte 0xF6 is not UTF-8 text (a name such as Sjöblom saved as Latin-1?); "
        "save the file as 'CSV UTF-8' and upload it again."
    )


def test_it_refuses_to_import_the_same_race_twice(tmp_path):
    path = write(tmp_path, GOOD)
    run(path, "--race", "Women's 1000 m", "--distance", "1000")
    with pytest.raises(CommandError) as caught:
        run(path, "--race", "Women's 1000 m", "--distance", "1000")
    assert str(caught.value).endswith("nothing was imported.\nImported start lists already has a race 'Women's 1000 m'")
    assert Race.objects.count() == 1 and Start.objects.count() == 5


def test_manage_py_exits_non_zero_and_prints_the_problems(tmp_path):
    path = write(tmp_path, "pair,lane,name,nation\n1,left,Vigl,ITA\n")
    env = {**os.environ, "OVAL_SQLITE": str(tmp_path / "scratch.sqlite3")}
    done = subprocess.run(
        [sys.executable, "manage.py", "importstartlist", path, "--race", "Women's 1000 m", "--distance", "1000"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert "line 2, lane: 'left' is not a lane; write inner or outer." in done.stderr and done.stdout == ""
