"""Device tokens: printed once, stored only as a hash, revocable one at a time."""
import hashlib
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from tests.callers import fast_password_hashing  # noqa: F401
from timing.devices import tokens
from timing.models import DeviceToken

pytestmark = pytest.mark.django_db


def write_state(raw, race):
    return Client().post(f"/api/races/{race.id}/state", data='{"state": "live"}', content_type="application/json",
                         headers={"Authorization": f"Bearer {raw}"})


def test_the_command_prints_a_token_once_and_stores_only_its_hash(startlist_race):
    out, err = io.StringIO(), io.StringIO()
    call_command("devicetoken", "finish-line", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    stored = DeviceToken.objects.get(name="finish-line")
    assert raw.startswith("oval_") and len(raw) > 40
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(DeviceToken.objects.values()))
    assert "shown only now" in err.getvalue()
    assert write_state(raw, startlist_race).status_code == 200


def test_the_command_refuses_a_name_already_taken():
    tokens.issue("finish-line")
    with pytest.raises(CommandError, match="already has a token"):
        call_command("devicetoken", "finish-line", stdout=io.StringIO(), stderr=io.StringIO())


def test_revoking_one_token_leaves_the_others_working(startlist_race):
    finish, finish_raw = tokens.issue("finish-line")
    _, backup_raw = tokens.issue("backup-timer")
    tokens.revoke(finish)
    refused = write_state(finish_raw, startlist_race)
    assert refused.status_code == 403 and "finish-line" in refused.json()["error"]
    assert write_state(backup_raw, startlist_race).status_code == 200


def test_a_token_records_when_it_was_last_used(startlist_race):
    token, raw = tokens.issue("finish-line")
    assert token.last_used_at is None
    write_state(raw, startlist_race)
    assert DeviceToken.objects.get(pk=token.pk).last_used_at is not None


def test_the_admin_revokes_selected_tokens_only(startlist_race):
    admin = User.objects.create_superuser("chief", password="x")
    finish, finish_raw = tokens.issue("finish-line")
    backup, _ = tokens.issue("backup-timer")
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/timing/devicetoken/")
    assert listing.status_code == 200 and b"finish-line" in listing.content
    response = client.post("/admin/timing/devicetoken/", {"action": "revoke_selected", "_selected_action": [finish.pk]})
    assert response.status_code == 302
    assert DeviceToken.objects.get(pk=finish.pk).revoked and not DeviceToken.objects.get(pk=backup.pk).revoked
    assert write_state(finish_raw, startlist_race).status_code == 403


def test_the_admin_cannot_add_a_token_whose_secret_nobody_would_see():
    admin = User.objects.create_superuser("chief", password="x")
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/timing/devicetoken/add/").status_code == 403
