"""The stored facts of a competition. Nothing here is ever deleted: corrections supersede."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from .rules.board import DNF, DNS, DQ, LANES, OK
from .rules.points import measuring_points


class Competition(models.Model):
    name = models.CharField(max_length=200)
    venue = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    olympic = models.BooleanField(default=False, help_text="Olympic records (OR) apply to its races.")

    def __str__(self):
        return self.name


class Skater(models.Model):
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=3, help_text="IOC three-letter code")
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
    KINDS = [("WR", "World record"), ("OR", "Olympic record"), ("TR", "Track record"), ("NR", "National record")]
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
        return self.select_related("competition").order_by("competition__starts_on", "id")


class Race(models.Model):
    SCHEDULED, LIVE, FINAL = "scheduled", "live", "final"
    STATES = [(SCHEDULED, "Scheduled"), (LIVE, "Live"), (FINAL, "Final")]
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="races")
    distance = models.PositiveIntegerField()
    category = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=STATES, default=SCHEDULED)
    current_pair = models.PositiveIntegerField(default=1)
    version = models.PositiveBigIntegerField(default=0)
    demo = models.BooleanField(default=False, help_text="Holds invented demo data.")

    objects = RaceQuerySet.as_manager()

    class Meta:
        permissions = [("enter_times", "Can enter, correct and confirm times as an official")]

    def __str__(self):
        return f"{self.title} ({self.competition})"

    @property
    def points(self):
        return measuring_points(self.distance)

    def applicable_records(self):
        """Records a time in this race can break: world, Olympic at the Games, the venue's, national."""
        kinds = ["WR", "NR"] + (["OR"] if self.competition.olympic else [])
        records = Record.objects.filter(category=self.category, distance=self.distance, kind__in=kinds)
        venue = Record.objects.filter(
            category=self.category, distance=self.distance, kind="TR", venue=self.competition.venue
        )
        return list(records) + (list(venue) if self.competition.venue else [])


class Pair(models.Model):
    race = models.ForeignKey(Race, on_delete=models.PROTECT, related_name="pairs")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(null=True, blank=True, help_text="Start signal, server clock.")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["race", "number"], name="one_pair_number_per_race")]

    def __str__(self):
        return f"Pair {self.number}"


class Start(models.Model):
    LANES = [(lane, lane) for lane in LANES]
    STATUSES = [(OK, "OK"), (DNS, "Did not start"), (DNF, "Did not finish"), (DQ, "Disqualified")]
    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="starts")
    lane = models.CharField(max_length=5, choices=LANES, help_text="The lane the skater started in.")
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="starts")
    status = models.CharField(max_length=3, choices=STATUSES, default=OK)
    status_reason = models.CharField(max_length=200, blank=True)
    fell = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pair", "lane"], name="one_start_per_lane")]

    def __str__(self):
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


class Passing(models.Model):
    start = models.ForeignKey(Start, on_delete=models.PROTECT, related_name="passings")
    distance = models.PositiveIntegerField(help_text="Measuring point, metres from the start.")
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


class Change(models.Model):
    """The audit trail: every committed change, who made it, from where, and why."""

    race = models.ForeignKey(Race, on_delete=models.PROTECT, related_name="changes")
    version = models.PositiveBigIntegerField(help_text="The race version this change produced.")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    device = models.CharField(max_length=100, blank=True)
    pair = models.PositiveIntegerField(null=True, blank=True)
    lane = models.CharField(max_length=5, blank=True)
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
