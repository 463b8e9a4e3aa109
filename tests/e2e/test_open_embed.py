"""In real Chromium, from a page of another site (another port is another origin): the JSON API
answers a cross-origin fetch, and the live widget renders in an iframe and follows the race."""
import http.server
import threading
from functools import partial

import pytest
from playwright.sync_api import expect

from timing import services
from timing.models import Race

from .conftest import ARTIFACTS, PHONE
from .races import pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLUB_PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Club</title></head><body>
<h1>IJsclub live</h1><p id="fetched">waiting</p>
<iframe id="live" src="{base}/races/{race}/embed/" width="400" height="640"></iframe>
<script>
fetch("{base}/api/races/{race}/").then(r => r.json()).then(s => {{
  document.getElementById("fetched").textContent = s.race.title + " v" + s.version;
}}).catch(e => {{ document.getElementById("fetched").textContent = "failed: " + e; }});
</script></body></html>"""


@pytest.fixture
def club_site(tmp_path, live_url, startlist_race):
    (tmp_path / "index.html").write_text(CLUB_PAGE.format(base=live_url, race=startlist_race.id))
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_another_site_reads_the_api_and_frames_the_live_widget(browser, club_site, startlist_race):
    pair_one_skated(startlist_race)
    context = browser.new_context(viewport={"width": 900, "height": 800})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(club_site)
    version = Race.objects.get(pk=startlist_race.id).version
    expect(page.locator("#fetched")).to_have_text(f"Women's 1000 m v{version}")
    widget = page.frame_locator("#live")
    expect(widget.locator('[data-status="live"]')).to_be_attached(timeout=10000)
    expect(widget.locator("#standings tr").first).to_contain_text("Suzanne Schulting")
    services.record_passing(startlist_race.id, 2, "inner", 200, 17400, services.REPLAY)
    expect(widget.locator('#now-lanes td.time.leads[data-point="200"]')).to_contain_text("17.40", timeout=2000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "embed-on-another-site.png")
    assert not problems, problems
    context.close()
