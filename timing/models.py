"""The stored facts of a competition. Nothing here is ever deleted: corrections supersede."""
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rules.board import DNF, DNS, DQ, LANES, OK
from .rules import mass_start, team_pursuit
from .rules.points import measuring_points


class Competition(models.Model):
    name = models.CharField(max_length=200)
    venue = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA name, such as Europe/Amsterdam: the venue's clock."
    )
    olympic = models.BooleanField(default=False, help_text="Olympic records (OR) apply to its races.")
    on_ice = models.ForeignKey(
        "Race", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The race the venue's screens follow now.",
    )
    version = models.PositiveBigIntegerField(default=0, help_text="Bumped by every change to the schedule.")
    restored_from = models.UUIDField(
        null=True, blank=True, unique=True, editable=False,
        help_text="The dump_id of the backup this competition was loaded from (manage.py loadcompetition): "
        "a second load of the same file is refused.",
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="officiated",
        help_text="The officials who may write to it (superusers reach every competition).",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned",
        help_text="The official who created it: she adds and removes its officials.",
    )

    def __str__(self):
        return self.name

    @property
    def zone(self):
        """The venue's clock as a tzinfo; a name that no longer resolves falls back to UTC."""
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return dt_timezone.utc


class Skater(models.Model):
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=3, help_text="IOC three-letter code")
    licence = models.CharField(
        max_length=40, blank=True, help_text="Federation licence: the same person across races when given."
    )
    invented = models.BooleanField(default=False, help_text="Demo data: not a real entrant.")

    def __str__(self):
        return f"{self.name} ({self.nation})"


class PersonalBest(models.Model):
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="bests")
    distance = models.PositiveIntegerField()
    pb_ms = models.PositiveIntegerField(null=True, blank=True)
    sb_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skater", "distance"], name="one_best_per_distance")]


class Record(models.Model):
    KINDS = [("WR", _("World record")), ("OR", _("Olympic record")), ("TR", _("Track record")), ("NR", _("National record"))]
    kind = models.CharField(max_length=2, choices=KINDS)
    category = models.CharField(max_length=40)
    distance = models.PositiveIntegerField()
    time_ms = models.PositiveIntegerField()
    holder = models.CharField(max_length=200)
    nation = models.CharField(max_length=3, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.kind} {self.category} {self.distance} m {self.time_ms} ms ({self.holder})"


class RaceQuerySet(models.QuerySet):
    def listed(self):
        return self.select_related("competition").order_by("competition__starts_on", "competition_id", "order", "id")

    def in_schedule_order(self):
        return self.order_by("order", "scheduled_at", "id")


class Race(models.Model):
    SCHEDULED, LIVE, FINAL = "scheduled", "live", "final"
    STATES = [(SCHEDULED, _("Scheduled")), (LIVE, _("Live")), (FINAL, _("Final"))]
    INDIVIDUAL, TEAM_PURSUIT, MASS_START = "individual", "team_pursuit", "mass_start"
    KINDS = [(INDIVIDUAL, _("Individual distance")), (TEAM_PURSUIT, _("Team pursuit")), (MASS_START, _("Mass start"))]
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="races")
    kind = models.CharField(max_length=20, choices=KINDS, default=INDIVIDUAL)
    distance = models.PositiveIntegerField()
    category = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField(null=True, blank=True, help_text="Planned start of the first pair.")
    order = models.PositiveIntegerField(default=0, help_text="Place in the day's schedule.")
    state = models.CharField(max_length=10, choices=STATES, default=SCHEDULED)
    current_pair = models.PositiveIntegerField(default=1)
    version = models.PositiveBigIntegerField(default=0)
    demo = models.BooleanField(default=False, help_text="Holds invented demo data.")
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Set while a recorded race is replayed into this one: manual entries need a confirmation.",
    )

    objects = RaceQuerySet.as_manager()

    class Meta:
        permissions = [("enter_times", "Can enter, correct and confirm times as an official")]

    def __str__(self):
        return f"{self.title} ({self.competition})"

    @property
    def points(self):
        """Where times are taken: the distance's measuring points, a team pursuit's every lap from
        each team's own line, a mass start's every crossing of the line (lap x 400 m)."""
        if self.kind == self.TEAM_PURSUIT:
            return team_pursuit.measuring_points(self.distance)
        if self.kind == self.MASS_START:
            return tuple(range(400, mass_start.DISTANCE + 1, 400))
        return measuring_points(self.distance)

    def applicable_records(self):
        """Records a time in this race can break (see record_applies), in one query."""
        records = Record.objects.filter(category=self.category, distance=self.distance).order_by("id")
        return [r for r in records if self.record_applies(r.kind, r.venue)]

    def record_applies(self, kind, venue):
        """World and national records always; Olympic ones at the Games; a track record at its venue."""
        if kind in ("WR", "NR"):
            return True
        if kind == "OR":
            return self.competition.olympic
        return kind == "TR" and bool(self.competition.venue) and venue == self.competition.venue


class PairQuerySet(models.QuerySet):
    def started(self):
        """Pairs that have had a start signal or a time (even one since voided): their skaters are fixed."""
        return self.filter(Q(started_at__isnull=False) | Q(starts__passings__isnull=False)).distinct()


class Pair(models.Model):
    race = models.ForeignKey(Race, on_delete=models.PROTECT, related_name="pairs")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(null=True, blank=True, help_text="Start signal, server clock.")

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["race", "number"], name="one_pair_number_per_race")]

    def __str__(self):
        return f"Pair {self.number}"


class Start(models.Model):
    """One entrant in one race.

    Individual distances: a skater in a lane of a pair. Team pursuit: a team in a position of a
    heat (the pair); its `skater` is the team as an entrant (a Skater named for the team, such as
    "Netherlands", so that every page naming an entrant works unchanged) and `team_skaters` holds
    the three or four people. Mass start: every skater in the race's one pair (its start signal),
    with no lane and a `bib`.
    """

    LANES = [(lane, lane) for lane in LANES]
    STATUSES = [(OK, "OK"), (DNS, _("Did not start")), (DNF, _("Did not finish")), (DQ, _("Disqualified"))]
    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="starts")
    lane = models.CharField(
        max_length=5, choices=LANES, blank=True, help_text="The lane the skater started in (none in a mass start)."
    )
    bib = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Start number, in a mass start.")
    team_skaters = models.JSONField(default=list, blank=True, help_text="A team pursuit team's skaters, by name.")
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="starts")
    status = models.CharField(max_length=3, choices=STATUSES, default=OK)
    status_reason = models.CharField(max_length=200, blank=True)
    fell = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "lane"], condition=Q(bib__isnull=True), name="one_start_per_lane"),
            models.UniqueConstraint(fields=["pair", "bib"], name="one_start_per_bib"),
        ]

    def __str__(self):
        if self.bib is not None:
            return f"#{self.bib}: {self.skater}"
        return f"{self.pair} {self.lane}: {self.skater}"


class Source(models.TextChoices):
    OFFICIAL = "official", "Official"
    DEVICE = "device", "Device"
    REPLAY = "replay", "Replay"
    IMPORT = "import", "Import"


class PassingQuerySet(models.QuerySet):
    def current(self):
        """The passings that count: neither corrected by a later one nor voided."""
        return self.filter(superseded_at__isnull=True, voided_at__isnull=True)


class TimedFact(models.Model):
    """A time from the start, never edited: a correction supersedes it, a void marks it."""

    time_ms = models.PositiveIntegerField(help_text="Milliseconds from the pair's start.")
    invented = models.BooleanField(default=False, help_text="Demo data: not a real split.")
    source = models.CharField(max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device = models.CharField(max_length=100, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by",
        help_text="The earlier passing this one replaces.",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, help_text="Why this correction was made.")
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    objects = PassingQuerySet.as_manager()

    class Meta:
        abstract = True


class Passing(TimedFact):
    start = models.ForeignKey(Start, on_delete=models.PROTECT, related_name="passings")
    distance = models.PositiveIntegerField(help_text="Measuring point, metres from the start.")

    class Meta:
        ordering = ["id"]
        constraints = [
            # The database itself refuses a second current time at one point, whatever races.
            models.UniqueConstraint(
                fields=["start", "distance"],
                condition=Q(superseded_at__isnull=True, voided_at__isnull=True),
                name="one_current_passing_per_point",
            )
        ]

    def __str__(self):
        return f"{self.start} {self.distance} m {self.time_ms} ms"


class Crossing(TimedFact):
    """A mass-start skater crossing the line. Its lap is not stored: a skater's n-th current
    crossing in time order ends her lap n (timing/rules/mass_start.py), so voiding a double read
    renumbers the later laps without rewriting any stored row. That is why crossings are not
    passings at distance lap x 400: a passing's distance is a stored fact."""

    start = models.ForeignKey(Start, on_delete=models.PROTECT, related_name="crossings")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["start", "time_ms"],
                condition=Q(superseded_at__isnull=True, voided_at__isnull=True),
                name="one_current_crossing_per_time",
            )
        ]

    def __str__(self):
        return f"{self.start} crossing {self.time_ms} ms"


class Change(models.Model):
    """The audit trail: every committed change, who made it, from where, and why."""

    race = models.ForeignKey(Race, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    competition = models.ForeignKey(
        Competition, null=True, blank=True, on_delete=models.PROTECT, related_name="changes",
        help_text="Set for changes to the competition and its schedule rather than to one race.",
    )
    version = models.PositiveBigIntegerField(help_text="The race (or competition) version this change produced.")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    device = models.CharField(max_length=100, blank=True)
    pair = models.PositiveIntegerField(null=True, blank=True)
    lane = models.CharField(max_length=5, blank=True)
    bib = models.PositiveSmallIntegerField(null=True, blank=True)
    distance = models.PositiveIntegerField(null=True, blank=True)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-version"]

    @property
    def who(self):
        if self.actor_id:
            return self.actor.get_username()
        return self.device or self.source


class DeviceTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class DeviceToken(models.Model):
    """A timing device's credential. Only the token's SHA-256 is stored: a leaked database
    cannot be replayed against the API, and a lost token is revoked, never recovered."""

    name = models.CharField(max_length=100, unique=True, help_text="Shown in the audit trail as the device.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    competition = models.ForeignKey(
        Competition, null=True, blank=True, on_delete=models.CASCADE, related_name="device_tokens",
        help_text="The one competition it may write to; empty: every competition (the venue's own devices).",
    )

    objects = DeviceTokenQuerySet.as_manager()

    def __str__(self):
        return self.name + (" (revoked)" if self.revoked_at else "")

    @property
    def revoked(self):
        return self.revoked_at is not None


class IdempotencyKey(models.Model):
    """The first answer to a write sent with an Idempotency-Key, replayed on a retry.

    Keyed by credential too, so one device can never read another's answers by guessing keys.
    Only successful writes are kept: a refused request changed nothing, so retrying it is safe.
    """

    credential = models.CharField(max_length=40, help_text="'device:<id>' or 'user:<id>'.")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credential", "key"], name="one_answer_per_key")]


class HeldSplitQuerySet(models.QuerySet):
    def open(self):
        """Held splits still waiting for an official: neither placed nor discarded."""
        return self.filter(placed=None, discarded_at__isnull=True)


class HeldSplit(models.Model):
    """A device's split that no single measuring point fits (timing/rules/assign.py): kept here,
    off the board, until an official places it at a point or discards it. Never guessed."""

    start = models.ForeignKey(Start, on_delete=models.PROTECT, related_name="held_splits")
    time_ms = models.PositiveIntegerField(help_text="Milliseconds from the pair's start.")
    device = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, help_text="Why no single point fitted.")
    fits = models.CharField(max_length=100, blank=True, help_text="The points that fitted, comma-separated.")
    placed = models.OneToOneField(Passing, null=True, blank=True, on_delete=models.PROTECT, related_name="held_from")
    discarded_at = models.DateTimeField(null=True, blank=True)
    discard_reason = models.CharField(max_length=200, blank=True)

    objects = HeldSplitQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.start} held {self.time_ms} ms"


class Classification(models.Model):
    """Points over several races of one competition (allround, sprint or any races): see
    timing/rules/classification.py. Nothing is stored but the choice of races: the table is
    computed from their results whenever it is read."""

    ALLROUND, SPRINT, CUSTOM = "allround", "sprint", "custom"
    KINDS = [(ALLROUND, _("Allround")), (SPRINT, _("Sprint")), (CUSTOM, _("Custom"))]
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="classifications")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=KINDS)
    races = models.ManyToManyField(Race, through="ClassificationRace", related_name="classifications")
    version = models.PositiveBigIntegerField(
        default=0, help_text="Bumped by every edit; the table's version adds its races' versions."
    )

    def __str__(self):
        return f"{self.name} ({self.competition})"

    def ordered_races(self):
        return [e.race for e in self.entries.select_related("race").order_by("order")]


class ClassificationRace(models.Model):
    classification = models.ForeignKey(Classification, on_delete=models.CASCADE, related_name="entries")
    race = models.ForeignKey(Race, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "race"], name="one_race_once_per_classification"),
            models.UniqueConstraint(fields=["classification", "order"], name="one_race_per_place_in_classification"),
        ]


class Screen(models.Model):
    """A physical display that opened /screens/<name>/, and what the officials put on it.

    Its name is unique within a competition; the display reports itself (last_seen, its clock's
    offset) through a beacon that can touch nothing else. What it shows is decided from mode,
    race and text by timing/screens.py and reaches it in the competition's schedule snapshot.
    """

    FOLLOW, RACE, RESULTS, STANDINGS, STARTLIST, MESSAGE = "follow", "race", "results", "standings", "startlist", "message"
    CLASSIFICATION = "classification"
    MODES = [
        (FOLLOW, "Follow the venue"), (RACE, "One race"), (RESULTS, "Result list"), (STANDINGS, "Standings"),
        (STARTLIST, "Start list"), (MESSAGE, "Message"), (CLASSIFICATION, "Classification"),
    ]
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="screens")
    name = models.CharField(max_length=50, help_text="Lower-case letters, digits and dashes: north-stand.")
    mode = models.CharField(max_length=20, choices=MODES, default=FOLLOW)
    race = models.ForeignKey(
        Race, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The race of the race, results, standings and start list modes; gone means follow.",
    )
    text = models.CharField(max_length=200, blank=True, help_text="The message mode's line.")
    classification = models.ForeignKey(
        "Classification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The classification mode's classification; gone means follow.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    clock_offset_ms = models.IntegerField(
        null=True, blank=True, help_text="The display's clock minus the server's, as it last reported."
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="one_screen_name_per_competition")]

    def __str__(self):
        return f"{self.name} ({self.competition})"
