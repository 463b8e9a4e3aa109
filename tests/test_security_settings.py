"""Production settings are secure by default, and the pages carry the headers that say so."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-not-a-real-secret-but-long-and-random-enough-0123456789",
    "ALLOWED_HOSTS": "oval.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


def manage(*args, env=None):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **(env or {})},
        capture_output=True, text=True, timeout=60,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_production_never_uses_a_key_from_the_repository():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "oval.W001" in result.stdout + result.stderr
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    keys = {
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={**base, "DJANGO_SETTINGS_MODULE": "config.settings"}).stdout.strip()
        for _ in range(2)
    }
    assert len(keys) == 2 and not any("insecure" in k for k in keys) and all(len(k) >= 50 for k in keys)


def test_debug_is_off_and_cookies_are_secure_without_configuration():
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.X_FRAME_OPTIONS, s.SECURE_CONTENT_TYPE_NOSNIFF]))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_COOKIES")}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert json.loads(out.stdout) == [False, True, True, True, "DENY", True]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/api/races/", "/login/"])
def test_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
