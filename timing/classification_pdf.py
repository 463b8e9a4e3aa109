"""The result list of a classification as a PDF (A4, portrait): the same JSON every screen shows,
laid out for printing and filing. Unofficial until every race is final, and said so on the page;
invented demo data is marked on the page too, never passed off as a result. The typeface and its
limits are the race result list's (timing/results_pdf.py).
"""
from fpdf import FPDF

from .results_pdf import BOLD, FONT, REGULAR, printable
from .rules.classification import QUALIFIERS


def _text(value):
    return printable(value)


def render(data, competition_name):
    c = data["classification"]
    races = c["races"]
    official = all(r["state"] == "final" for r in races)
    invented = any(s["skater"]["invented"] or any(r["invented"] for r in s["results"]) for s in data["standings"])

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT, "", REGULAR)
    pdf.add_font(FONT, "B", BOLD)
    pdf.add_page()
    pdf.set_title(_text(f"{c['name']} · {competition_name}"))
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, _text(c["name"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 5, _text(f"{competition_name} · {c['kind']} classification · "
                         f"{'official' if official else 'UNOFFICIAL: not every race is final'}"),
             new_x="LMARGIN", new_y="NEXT")
    if invented:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 5, "DEMO DATA: skaters and times marked * are invented.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    widths = [10, 52, 12] + [21] * len(races) + [22, 16]
    widths[1] = max(30, 190 - sum(widths) + widths[1])
    head = ["", "Skater", ""] + [f"{r['distance']} m" for r in races] + ["Points", "Behind"]
    pdf.set_font(FONT, "B", 8)
    for w, t in zip(widths, head):
        pdf.cell(w, 6, _text(t), border="B", align="L" if t == "Skater" else "R")
    pdf.ln()
    last_qualified = _cut(data["standings"]) if c.get("qualifiers") else None
    for i, s in enumerate(data["standings"]):
        mark = "*" if s["skater"]["invented"] else ""
        cells = [f"{s['rank']}." if s["rank"] else "", s["skater"]["name"] + mark, s["skater"]["nation"]]
        for r in s["results"]:
            cells.append(r["status"] or (f"{r['time']} {r['points']}" if r["time"] and r["points"] else r["time"] or ""))
        note = s["status"] or ("to skate" if s["to_skate"] else "")
        cells += [s["points"], s["behind"] if s["behind"] is not None else note]
        pdf.set_font(FONT, "", 7)
        border = "B" if i == last_qualified else ""
        for n, (w, t) in enumerate(zip(widths, cells)):
            pdf.set_font(FONT, "B" if n == len(cells) - 2 else "", 7)
            pdf.cell(w, 5.5, _text(t), border=border, align="L" if n in (1, 2) else "R")
        pdf.ln()
    pdf.ln(3)
    pdf.set_font(FONT, "", 7)
    lines = ["Per distance: time and points. Points = time per 500 m (hundredths), truncated to thousandths; "
             "the lowest total ranks first, equal totals share the rank."]
    if c.get("qualifiers"):
        lines.append(f"The best {QUALIFIERS} after three distances skate the fourth (the line under the last of them).")
    for line in lines:
        pdf.multi_cell(0, 4, _text(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _cut(standings):
    first_out = next((i for i, s in enumerate(standings) if s["qualified"] is False and s["rank"] is not None), None)
    return first_out - 1 if first_out else None
