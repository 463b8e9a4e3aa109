"""The result list as an A4 PDF, drawn from timing/results.py's structure and nothing else.

fpdf2 writes it (pure Python, no system package); the text is set in Source Sans Pro from the
font-source-sans-pro package, embedded and subset, so names such as Łukasz, Ørjan or Dijkstra
print as written. Its limit: Latin, Greek and Cyrillic. A name in a script the font lacks
(Japanese, Korean, Chinese in their own script) would print as empty boxes, so such characters
are replaced by "?" and the list says so in its footer rather than printing a silent gap.
"""
from functools import lru_cache

import font_source_sans_pro
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

FONT = "SourceSans"
REGULAR = font_source_sans_pro.font_files_ttf["SourceSansPro"]
BOLD = font_source_sans_pro.font_files_ttf["SourceSansProBold"]

#: Up to this many measuring points the splits get a column each (1500 m: 4); beyond it
#: (3000 m: 8, 10000 m: 25) they run on a line of their own under the skater, wrapping.
SPLIT_COLUMNS_UP_TO = 5

NOTE_PT = 8
#: The width of a note line: the table's width less the rank column and the cell padding.
NOTE_WIDTH = 186 - 11 - 4

GREY = (225, 225, 225)
#: Every other skater is shaded, so a skater's note line reads as hers and not the next one's.
SHADE = FontFace(fill_color=(243, 243, 243))


@lru_cache(maxsize=1)
def _glyphs():
    return frozenset(TTFont(REGULAR).getBestCmap())


def printable(text):
    """`text` with every character the font cannot draw replaced by "?"."""
    glyphs = _glyphs()
    return "".join(c if ord(c) in glyphs or c in "\n" else "?" for c in str(text))


class ResultListPDF(FPDF):
    def __init__(self, result):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.result = result
        self.replaced = False
        self.add_font(FONT, "", REGULAR)
        self.add_font(FONT, "B", BOLD)
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=16)
        r = result
        self.set_title(printable(f"{r['race']['title']} · {r['competition']} · results"))
        self.set_author("Oval")
        self.set_creator("Oval")

    def text_of(self, value):
        text = "" if value is None else str(value)
        safe = printable(text)
        self.replaced = self.replaced or safe != text
        return safe

    def header(self):
        r = self.result
        self.set_font(FONT, "B", 15)
        self.cell(0, 7, self.text_of(r["competition"]), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)
        where = " · ".join(x for x in (r["venue"], r["date_text"]) if x)
        self.cell(0, 5, self.text_of(where), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_font(FONT, "B", 13)
        self.cell(120, 7, self.text_of(r["race"]["title"]))
        if r["official"]:
            self.set_font(FONT, "B", 11)
            self.cell(0, 7, "Official results", align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            self.set_font(FONT, "B", 13)
            self.cell(0, 7, "UNOFFICIAL", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self):
        r = self.result
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        notes = [f"Version {r['version']}"]
        if r["demo"]:
            notes.append("DEMO DATA: names and times marked * are invented")
        if self.replaced:
            notes.append("? marks a character this font cannot print")
        self.cell(140, 5, " · ".join(notes))
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def render(result):
    """The PDF's bytes."""
    pdf = ResultListPDF(result)
    pdf.add_page()
    if result["records"]:
        pdf.set_font(FONT, "", 8.5)
        records = " · ".join(r["text"] for r in result["records"])
        pdf.multi_cell(0, 4, pdf.text_of(f"Records before the race: {records}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    points = result["points"]
    columns = SPLIT_COLUMNS_UP_TO >= len(points)
    split_heads = [p["label"] for p in points[:-1]] if columns else []
    labels = result["labels"]
    heads = ["Rank", "Name", "Nat.", labels["slot"], *split_heads, "Time", labels["behind"], "Rec."]
    split_width = 18
    widths = [11, 0, 12, 13, *[split_width] * len(split_heads), 20, 15, 11]
    widths[1] = 186 - sum(widths)
    align = ["R", "L", "L", "L", *["R"] * len(split_heads), "R", "R", "C"]
    pdf.set_font(FONT, "", 9)
    heading = FontFace(emphasis="BOLD", fill_color=GREY)
    with pdf.table(
        col_widths=widths, text_align=align, line_height=4.6, borders_layout=TableBordersLayout.NONE,
        headings_style=heading, padding=(0.8, 1), first_row_as_headings=True, width=186,
    ) as table:
        row = table.row()
        for text in heads:
            row.cell(text)
        for n, r in enumerate(result["ranked"] + result["unranked"]):
            _skater(pdf, table, r, columns, len(heads), SHADE if n % 2 else None)
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, "Times in hundredths, truncated; ranks by the thousandth. Laps in parentheses. "
                   "WR world, OR Olympic, TR track, NR national record; PB personal, SB season best.")
    return bytes(pdf.output())


def _passing(split, with_lap=True):
    if split is None:
        return ""
    text = split["time"] + ("*" if split["invented"] else "")
    if with_lap and split["lap"]:
        text += f"\n({split['lap']})"
    return text


def _skater(pdf, table, r, columns, width, shade):
    splits = r["splits"]
    name = pdf.text_of(r["name"]) + ("*" if r["invented"] else "")
    if r["time"]:
        time = r["time"] + ("*" if r["time_invented"] else "")
        if splits[-1] and splits[-1]["lap"]:
            time += f"\n({splits[-1]['lap']})"
    else:
        time = r["status"]
    lane = "i" if r["lane"] == "inner" else "o"
    row = table.row(style=shade)
    row.cell("" if r["rank"] is None else str(r["rank"]))
    row.cell(name, style=FontFace(emphasis="BOLD") if r["rank"] == 1 else None)
    row.cell(r["nation"])
    row.cell(str(r["bib"]) if r.get("bib") else f"{r['pair']} {lane}")
    if columns:
        for split in splits[:-1]:
            row.cell(_passing(split))
    row.cell(time)
    row.cell(str(r["points"]) if r.get("bib") else r["behind"] or "")
    row.cell(r["record"] or "")
    lines = []
    if not columns and any(splits):
        pieces = [
            f"{s['distance']} m {_passing(s, with_lap=False)}" + (f" ({s['lap']})" if s["lap"] else "")
            for s in splits if s
        ]
        lines += _packed(pdf, pieces, NOTE_WIDTH)
    if r["note"]:
        lines.append(pdf.text_of(r["note"]))
    if lines:
        extra = table.row(style=shade)
        extra.cell("")
        extra.cell("\n".join(lines), colspan=width - 1, style=FontFace(size_pt=NOTE_PT))


def _packed(pdf, pieces, width, gap="    "):
    """Split lines packed here rather than by fpdf2's line breaker, whose cost grows with the
    square of a line's length: a 10000 m's 25 splits on one line took seconds per skater."""
    pdf.set_font(FONT, "", NOTE_PT)
    lines, line = [], ""
    for piece in pieces:
        candidate = f"{line}{gap}{piece}" if line else piece
        if line and pdf.get_string_width(candidate) > width:
            lines.append(line)
            candidate = piece
        line = candidate
    pdf.set_font(FONT, "", 9)
    return lines + [line]
