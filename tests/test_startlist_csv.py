"""Reading a CSV start list: a good file becomes entries; a bad one names every problem at once,
each by line and column with what to do, before anything could be stored."""
import pytest

from timing.startlists import MAX_CSV_BYTES, Entry, Problem, StartListError, read_csv

GOOD = (
    "pair,lane,name,nation,pb,skater_id\n"
    "1,inner,Vigl,ITA,,ITA-0042\n"
    "1,outer,Suzanne Schulting,NED,1:14.20,\n"
    "2,inner,Femke Kok,ned,1:12.59,NED-2001\n"
)


def problems(data):
    with pytest.raises(StartListError) as caught:
        read_csv(data)
    return caught.value.problems


def test_it_reads_bytes_with_the_optional_columns():
    assert read_csv(GOOD.encode()) == [
        Entry(1, "inner", "Vigl", "ITA", None, licence="ITA-0042"),
        Entry(1, "outer", "Suzanne Schulting", "NED", 74200),
        Entry(2, "inner", "Femke Kok", "NED", 72590, licence="NED-2001"),
    ]


def test_it_reads_excel_csv_utf8_with_its_byte_order_mark_and_crlf():
    data = "\ufeffpair,lane,name,nation\r\n1,inner,Sjöblom,FIN\r\n".encode()
    assert read_csv(data) == [Entry(1, "inner", "Sjöblom", "FIN")]


def test_every_problem_is_listed_at_once_with_line_field_and_what_to_do():
    data = (
        "pair,lane,name,nation\n"
        "1,inner,Vigl,ITA\n"
        "1,middle,Schulting,NED\n"  # 3: unknown lane
        "2,inner,Kok,NED\n"
        "2,inner,Bowe,USA\n"  # 5: lane taken twice in a pair
        "4,inner," + "A" * 101 + ",GBR\n"  # 6: gap (no pair 3) and a name over 100 characters
    )
    assert problems(data.encode()) == [
        Problem(3, "lane", "'middle' is not a lane; write inner or outer."),
        Problem(5, "lane", "pair 2 inner is already taken by line 4; give one of them the other lane or another pair."),
        Problem(6, "name", "the name has 101 characters; shorten it to 100 at most."),
        Problem(6, "pair", "pair 4 follows pair 2, so pair 3 is missing; number the pairs 1, 2, 3… without gaps."),
    ]


def test_a_row_with_several_bad_cells_names_each_of_them():
    data = b"pair,lane,name,nation,pb\n0,left,,Netherlands,fast\n"
    assert [(p.line, p.field) for p in problems(data)] == [
        (2, "pair"), (2, "lane"), (2, "name"), (2, "nation"), (2, "pb"),
    ]


@pytest.mark.parametrize("header, field", [
    ("pair,lane,nation", "name"),
    ("pair,name,nation", "lane"),
    ("lane,name,nation", "pair"),
])
def test_a_missing_column_is_named(header, field):
    [problem] = problems(f"{header}\n".encode())
    assert (problem.line, problem.field) == (1, field)
    assert problem.message.startswith(f"the header has no column {field}; the first line must name the columns")


def test_an_unknown_or_doubled_column_is_named():
    assert problems(b"pair,lane,name,nation,club,name\n") == [
        Problem(1, "club", "'club' is not a column of a start list; use pair,lane,name,nation,pb,skater_id."),
        Problem(1, "name", "the header names name twice; keep one."),
    ]


def test_the_first_pair_must_be_one():
    assert problems(b"pair,lane,name,nation\n2,inner,Vigl,ITA\n") == [
        Problem(2, "pair", "the first pair is 2; number the pairs from 1 without gaps."),
    ]


def test_a_gap_is_found_even_when_the_rows_of_the_pairs_around_it_have_other_problems():
    data = b"pair,lane,name,nation\n1,inner,Vigl,ITALY\n3,inner,Kok,NED\n"
    assert [(p.line, p.field) for p in problems(data)] == [(2, "nation"), (3, "pair")]


def test_a_name_of_exactly_100_characters_is_fine_and_spaces_are_tidied():
    name = "B" * 100
    assert read_csv(f"pair,lane,name,nation\n1,inner,  {name} ,NED\n".encode())[0].name == name
    assert read_csv(b"pair,lane,name,nation\n1,inner,Femke \t Kok,NED\n")[0].name == "Femke Kok"


def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte():
    data = "pair,lane,name,nation\n1,inner,Vigl,ITA\n1,outer,Sjöblom,FIN\n".encode("latin-1")
    assert problems(data) == [Problem(3, None, (
        "byte 0xF6 is not UTF-8 text (a name such as Sjöblom saved as Latin-1?); "
        "save the file as 'CSV UTF-8' and upload it again."
    ))]


def test_a_10_mb_file_is_refused_by_its_size_before_it_is_read():
    data = b"pair,lane,name,nation\n" + b"\xff" * (10 * 1024 * 1024)  # not even UTF-8: never decoded
    [problem] = problems(data)
    assert problem.message.startswith("the file is 10.5 MB; a start list is a few kilobytes (at most 1 MB).")
    assert len(read_csv(b"pair,lane,name,nation\n1,inner,Vigl,ITA\n".ljust(MAX_CSV_BYTES, b"\n"))) == 1


def test_a_skater_twice_and_a_licence_twice_are_refused():
    data = (
        "pair,lane,name,nation,skater_id\n"
        "1,inner,Vigl,ITA,ITA-1\n"
        "1,outer,vigl,ITA,\n"
        "2,inner,Kok,NED,ITA-1\n"
    ).encode()
    assert [(p.line, p.field) for p in problems(data)] == [(3, "name"), (4, "skater_id")]


@pytest.mark.parametrize("licence", ["has space", "x" * 41, "-lead"])
def test_a_malformed_licence_is_refused(licence):
    [problem] = problems(f"pair,lane,name,nation,skater_id\n1,inner,Vigl,ITA,{licence}\n".encode())
    assert (problem.line, problem.field) == (2, "skater_id")


def test_extra_cells_an_empty_file_and_a_file_without_skaters_are_explained():
    assert problems(b"pair,lane,name,nation\n1,inner,Vigl,ITA,x\n")[0].message.startswith(
        "5 cells but the header has 4 columns"
    )
    assert problems(b"")[0].message.startswith("the file is empty")
    assert problems(b"pair,lane,name,nation\n\n")[0].message.startswith("the file holds no skaters")


def test_each_problem_reads_as_one_line_for_the_command_line():
    assert str(Problem(3, "lane", "x.")) == "line 3, lane: x."
    assert str(Problem(3, None, "x.")) == "line 3: x."
    assert str(Problem(None, None, "x.")) == "x."


def test_a_json_start_list_is_checked_field_by_field_like_a_csv():
    from timing.startlists import read_json

    assert read_json({"starts": [{"pair": 1, "lane": "Inner", "name": " Vigl ", "nation": "ita", "pb": "1:14.20",
                                  "skater_id": "ITA-1"}]}) == [Entry(1, "inner", "Vigl", "ITA", 74200, licence="ITA-1")]
    with pytest.raises(StartListError) as caught:
        read_json({"starts": [{"pair": "1", "lane": "middle", "name": "N" * 101, "nation": 3}, "x"]})
    assert list(map(str, caught.value.problems)) == [
        "start 1, pair: must be a whole number from 1, such as 3.",
        "start 1, lane: 'middle' is not a lane; write inner or outer.",
        "start 1, name: the name has 101 characters; shorten it to 100 at most.",
        'start 1, nation: must be text, such as "NED" or "1:14.50".',
        "start 2: must be an object with pair, lane, name and nation",
    ]
