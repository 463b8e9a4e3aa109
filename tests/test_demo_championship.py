"""The invented demo championship: loaded through the service layer, marked invented everywhere,
the best eight of three distances on the 5000 m start list (best last), and a live 5000 m that
moves the classification to the table a hand calculation gives."""
import pytest
from django.core.management import call_command

from timing import classification_table, demo_championship
from timing.models import Passing, Race, Skater
from timing.rules.classification import distance_points, format_points
from timing.rules.times import parse_time

pytestmark = pytest.mark.django_db


def hand_total(row, upto=4):
    return sum(distance_points(d, parse_time(t)) for d, t in zip((500, 3000, 1500, 5000), row[2:2 + upto]))


def test_it_loads_once_with_three_distances_final_and_the_best_eight_to_skate_the_5000_m(capsys):
    call_command("loaddemo", "--championship", "--unskated")
    c, created = demo_championship.load()
    assert not created
    races = c.ordered_races()
    assert [r.state for r in races] == ["final", "final", "final", "scheduled"]
    assert all(r.demo for r in races) and not Skater.objects.filter(starts__pair__race__in=races, invented=False).exists()
    assert not Passing.objects.filter(start__pair__race__in=races, invented=False).exists()
    data = classification_table.for_id(c.id)
    by_three = sorted(demo_championship.SKATERS, key=lambda row: hand_total(row, 3))
    assert [s["skater"]["name"] for s in data["standings"]][:8] == [row[0] for row in by_three[:8]]
    assert [s["points"] for s in data["standings"]][:8] == [format_points(hand_total(row, 3)) for row in by_three[:8]]
    fifth = races[3]
    order = [s.skater.name for p in fifth.pairs.order_by("number") for s in p.starts.order_by("lane")]
    assert order == [row[0] for row in by_three[:8]][::-1]
    assert [t["skater"]["name"] for t in data["next"]["targets"]] == order
    assert "Loaded classification" in capsys.readouterr().out


def test_playing_the_5000_m_gives_the_hand_calculated_final_classification():
    c = demo_championship.play(speed=1000, pause=0, sleep=lambda s: None)
    data = classification_table.for_id(c.id)
    assert data["next"] is None and c.ordered_races()[-1].state == Race.FINAL
    by_three = sorted(demo_championship.SKATERS, key=lambda row: hand_total(row, 3))
    final = sorted(by_three[:8], key=hand_total)
    assert [(s["skater"]["name"], s["points"]) for s in data["standings"][:8]] == [
        (row[0], format_points(hand_total(row))) for row in final
    ]
    assert [s["rank"] for s in data["standings"][8:]] == [9, 10] and [s["qualified"] for s in data["standings"][8:]] == [False, False]


def test_invented_splits_end_on_the_finish_and_rise():
    s = demo_championship.splits(parse_time("6:50.12"))
    assert s[-1] == (5000, 410120) and all(a[1] < b[1] for a, b in zip(s, s[1:]))


def test_the_classification_pdf_lists_the_table_marked_unofficial_and_invented(client):
    import io

    from pypdf import PdfReader

    c, _ = demo_championship.load()
    response = client.get(f"/classifications/{c.id}/results.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "UNOFFICIAL" in text and "DEMO DATA" in text
    data = classification_table.for_id(c.id)
    lines = [line for line in text.splitlines() if data["standings"][0]["skater"]["name"] in line]
    assert lines and data["standings"][0]["points"] in lines[0] and "38.200" in lines[0]
    assert client.get("/classifications/999999/results.pdf").status_code == 404
