"""Names hold only what a person can see (timing/rules/names.py), in the start-list CSV too."""
import pytest

from timing.rules import RuleError
from timing.rules.names import clean_name
from timing.startlists import StartListError, read_csv, read_json

INVISIBLE = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE", "\u00ad": "SOFT HYPHEN",
    "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR",
}


@pytest.mark.parametrize("char", INVISIBLE)
def test_it_refuses_bidi_controls_and_invisible_characters_by_name(char):
    with pytest.raises(RuleError) as refused:
        clean_name(f"Femke{char} Kok")
    assert f"U+{ord(char):04X} ({INVISIBLE[char]}), at position 6" in refused.value.message
    assert refused.value.field == "name"


@pytest.mark.parametrize("char", ["\t", "\n", "\x00", "\x1b", "\x7f", "\ue000", "\U000e0001", "\u0378"])
def test_it_refuses_control_private_and_unassigned_characters(char):
    with pytest.raises(RuleError, match="invisible or control character"):
        clean_name(f"Kok{char}x")


@pytest.mark.parametrize("name", ["Femke Kok", "Jutta Leerdam", "Kjeld Nuis", "Ireen Wüst", "Nao Kodaira 小平奈緒",
                                  "Павел Кулижников", "Joy Beune-de Jong", "O'Neill", "Zoë", "Ning Zhongyan",
                                  "Mihaela Hogaș", "Rūta Meilutytė"])
def test_real_names_in_any_script_pass(name):
    assert clean_name(f"  {name} ") == name


@pytest.mark.parametrize("name, message", [("", "empty"), ("   ", "empty"), ("x" * 201, "longer than 200")])
def test_empty_and_overlong_names_are_refused(name, message):
    with pytest.raises(RuleError, match=message):
        clean_name(name)


def test_the_start_list_import_refuses_a_hidden_character_on_its_line():
    text = "pair,lane,name,nation\n1,inner,Femke Kok,NED\n1,outer,\u202eNED kok,NED\n2,inner,Jutta\u200bLeerdam,NED\n"
    with pytest.raises(StartListError) as refused:
        read_csv(text)
    assert list(map(str, refused.value.problems)) == [
        "line 3, name: the name holds an invisible or control character, U+202E (RIGHT-TO-LEFT OVERRIDE), at position 1: retype it.",
        "line 4, name: the name holds an invisible or control character, U+200B (ZERO WIDTH SPACE), at position 6: retype it.",
    ]


def test_the_byte_order_mark_of_an_excel_file_is_still_fine():
    assert [e.name for e in read_csv("\ufeffpair,lane,name,nation\n1,inner,Femke Kok,NED\n")] == ["Femke Kok"]


def test_the_json_start_list_refuses_a_hidden_character_too():
    starts = [{"pair": 1, "lane": "inner", "name": "Femke Kok", "nation": "NED"},
              {"pair": 1, "lane": "outer", "name": "Jutta\u2066 Leerdam", "nation": "NED"}]
    with pytest.raises(StartListError) as refused:
        read_json({"starts": starts})
    assert len(refused.value.problems) == 1 and "U+2066 (LEFT-TO-RIGHT ISOLATE)" in str(refused.value.problems[0])
