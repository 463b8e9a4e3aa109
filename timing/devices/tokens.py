"""Device tokens: issued once, stored as a hash, checked on every device request."""
import hashlib
import secrets

from django.utils import timezone

from ..models import DeviceToken

PREFIX = "oval_"  # makes a pasted token recognisable in logs and secret scanners


def digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(name, competition=None):
    """Create a token for device `name`, for one competition or (None) every one; returns
    (DeviceToken, raw token). The raw token is shown once and never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    return DeviceToken.objects.create(name=name, token_hash=digest(raw), competition=competition), raw


def find(raw):
    """The DeviceToken for `raw` (revoked or not), or None. Marks it used."""
    if not raw or len(raw) > 200:
        return None
    token = DeviceToken.objects.filter(token_hash=digest(raw)).first()
    if token is not None and not token.revoked:
        now = timezone.now()
        # At most one write a minute per device: the field says "alive", not "every request".
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def revoke(token):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
