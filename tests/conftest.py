"""Shared fixtures: the demo race, users who may and may not write, a real Daphne, Chromium."""
import json

import pytest
from django.contrib.auth.models import Permission, User

from timing import demo, services
from timing.models import Race


@pytest.fixture(autouse=True)
def fresh_cache():
    """Snapshots are cached by (race id, version); test databases reuse both after a rollback.
    The brakes (login counts) start from zero in every test."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    local = [caches[alias] for alias in ("default", "brakes") if isinstance(caches[alias], LocMemCache)]
    for cache in local:  # never a Redis one: clear() would flush a database others share
        cache.clear()
    yield
    for cache in local:
        cache.clear()


@pytest.fixture
def demo_race(db):
    """The reference race, fully skated and final."""
    return demo.load(skated=True)[0]


@pytest.fixture
def startlist_race(db):
    """The reference race's start list with no times yet."""
    return demo.load(skated=False)[0]


def snapshot(race_id):
    """The race as every screen would get it now (bypassing the cache: straight from the rows)."""
    from timing.snapshot import build

    return build(Race.objects.select_related("competition").get(pk=race_id))


@pytest.fixture
def snap():
    return snapshot


def record_script(race, upto_pair=None, actor=services.REPLAY):
    """Record the demo's passings into `race` through the service layer, as a race would go."""
    started = set()
    for pair, lane, point, ms, invented in demo.script(demo.load_data()):
        if upto_pair is not None and pair > upto_pair:
            break
        if pair not in started:
            services.start_pair(race.id, pair, actor)
            started.add(pair)
        services.record_passing(race.id, pair, lane, point, ms, actor, invented=invented)


def make_official(username, *competitions):
    """A user with the officials' permission, assigned to these competitions (timing/access.py)."""
    user = User.objects.create_user(username, password="correct horse battery staple")
    user.user_permissions.add(Permission.objects.get(codename="enter_times"))
    for comp in competitions:
        comp.officials.add(user)
    return user


@pytest.fixture
def official(db):
    """An official of every competition the test has or makes, whichever fixture makes it and
    in whatever order: what most tests need. Competition scoping has its own identities in
    tests/test_authorization_matrix.py and tests/test_access.py."""
    from django.db.models.signals import post_save

    from timing.models import Competition

    user = make_official("official", *Competition.objects.all())

    def assign(sender, instance, created, **kwargs):
        if created:
            instance.officials.add(user)

    post_save.connect(assign, sender=Competition, weak=False, dispatch_uid="official-fixture")
    yield user
    post_save.disconnect(sender=Competition, dispatch_uid="official-fixture")


@pytest.fixture
def spectator_user(db):
    return User.objects.create_user("fan", password="correct horse battery staple")


def loads(text):
    return json.loads(text)
