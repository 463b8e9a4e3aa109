"""Which skater (and other) names Oval accepts: what a person can see is what is stored.

Refused, wherever a name comes in (start-list CSV, forms, the API):
- bidirectional controls (U+202A-202E embeddings and overrides, U+2066-2069 isolates, U+200E/F,
  U+061C): "\u202eNED ztreK" shows as another name than the one stored, and can make a results
  line read backwards;
- zero-width and other invisible format characters (U+200B-200D, U+2060, U+FEFF, U+00AD, ...):
  two names that look identical would be two skaters;
- control characters (tab, newline, NUL...), line and paragraph separators, private-use,
  surrogate and unassigned code points: none belongs in a name, and some break CSV and logs.

Unicode's categories decide (Cc, Cf, Cs, Co, Cn, Zl, Zp), so every future character of these
kinds is covered too. ZWJ/ZWNJ (U+200D/U+200C) are refused as well: they do appear in some
Persian and Indic spellings, but a start list is typed in Latin script in this sport, and an
invisible character is the likelier mistake or trick.
"""
import unicodedata

from . import RuleError

MAX_LENGTH = 200
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_UNNAMED = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL"}  # controls have no Unicode name


def clean_name(name, field="name"):
    """The name with surrounding spaces removed; RuleError naming the first character refused."""
    name = (name or "").strip()
    if not name:
        raise RuleError("the name is empty", field)
    if len(name) > MAX_LENGTH:
        raise RuleError(f"the name is longer than {MAX_LENGTH} characters", field)
    for position, char in enumerate(name, 1):
        category = unicodedata.category(char)
        if category in REFUSED_CATEGORIES:
            what = unicodedata.name(char, "") or _UNNAMED.get(char) or ("unassigned" if category == "Cn" else "control")
            raise RuleError(f"the name holds an invisible or control character, U+{ord(char):04X} ({what}), "
                            f"at position {position}: retype it", field)
    return name
