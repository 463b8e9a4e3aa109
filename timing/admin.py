"""The admin: setting up competitions, start lists and records; reading the history.

Timing facts are never written here. Times, corrections, statuses, falls, the start signal and
the race's state all go through timing/services.py, which validates, bumps the race version and
tells every screen; an edit in the admin would do none of that. So those fields are read-only,
and Passing, Crossing and Change (the history, never deleted) cannot be added, changed or deleted at all.
"""
from django.contrib import admin

from .brakes import login_brake
from .models import Change, Competition, Crossing, Pair, Passing, PersonalBest, Race, Record, Skater, Start
from .rules.times import format_time


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by staff with the view permission; nobody adds, edits or deletes the history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RaceInline(admin.TabularInline):
    model = Race
    fields = ("title", "category", "distance", "state", "version", "demo")
    readonly_fields = ("state", "version")
    extra = 0
    show_change_link = True


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ("name", "venue", "starts_on", "ends_on", "olympic")
    search_fields = ("name", "venue")
    filter_horizontal = ("officials",)  # who may write to it (timing/access.py)
    inlines = [RaceInline]


class PairInline(admin.TabularInline):
    model = Pair
    fields = ("number", "started_at")
    readonly_fields = ("started_at",)
    extra = 0
    show_change_link = True


@admin.register(Race)
class RaceAdmin(admin.ModelAdmin):
    list_display = ("title", "competition", "distance", "category", "state", "current_pair", "version", "demo")
    list_filter = ("state", "distance", "category", "demo", "competition")
    search_fields = ("title", "competition__name")
    list_select_related = ("competition",)
    readonly_fields = ("state", "current_pair", "version")
    inlines = [PairInline]


class StartInline(admin.TabularInline):
    model = Start
    fields = ("lane", "bib", "skater", "team_skaters", "status", "status_reason", "fell")
    readonly_fields = ("status", "status_reason", "fell")
    autocomplete_fields = ("skater",)
    extra = 0
    # A pair holds two skaters (or teams); a mass start's one pair holds the whole field.


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ("__str__", "race", "started_at")
    list_filter = ("race",)
    list_select_related = ("race__competition",)
    readonly_fields = ("started_at",)
    inlines = [StartInline]


class PersonalBestInline(admin.TabularInline):
    model = PersonalBest
    extra = 0


@admin.register(Skater)
class SkaterAdmin(admin.ModelAdmin):
    list_display = ("name", "nation", "invented")
    list_filter = ("invented", "nation")
    search_fields = ("name", "nation")
    inlines = [PersonalBestInline]


@admin.register(PersonalBest)
class PersonalBestAdmin(admin.ModelAdmin):
    list_display = ("skater", "distance", "pb", "sb")
    list_filter = ("distance",)
    search_fields = ("skater__name",)
    autocomplete_fields = ("skater",)
    list_select_related = ("skater",)

    @admin.display(description="PB", ordering="pb_ms")
    def pb(self, obj):
        return format_time(obj.pb_ms)

    @admin.display(description="SB", ordering="sb_ms")
    def sb(self, obj):
        return format_time(obj.sb_ms)


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ("kind", "category", "distance", "time", "holder", "nation", "venue", "date")
    list_filter = ("kind", "category", "distance")
    search_fields = ("holder", "venue")

    @admin.display(ordering="time_ms")
    def time(self, obj):
        return format_time(obj.time_ms)


@admin.register(Passing)
class PassingAdmin(ReadOnlyAdmin):
    list_display = ("id", "race", "pair", "lane", "skater", "distance", "time", "source", "who", "entered_at",
                    "state")
    list_filter = ("source", "distance", "start__pair__race")
    search_fields = ("start__skater__name", "device", "reason", "void_reason")
    list_select_related = ("start__pair__race", "start__skater", "entered_by")
    date_hierarchy = "entered_at"

    @admin.display(ordering="start__pair__race")
    def race(self, obj):
        return obj.start.pair.race.title

    @admin.display(ordering="start__pair__number")
    def pair(self, obj):
        return obj.start.pair.number

    @admin.display(ordering="start__lane")
    def lane(self, obj):
        return obj.start.lane

    def skater(self, obj):
        return obj.start.skater

    @admin.display(ordering="time_ms")
    def time(self, obj):
        return format_time(obj.time_ms)

    def who(self, obj):
        return obj.entered_by.get_username() if obj.entered_by_id else obj.device or obj.source

    def state(self, obj):
        if obj.voided_at:
            return f"voided: {obj.void_reason}"
        if obj.superseded_at:
            return "corrected"
        return "current"


@admin.register(Crossing)
class CrossingAdmin(ReadOnlyAdmin):
    """A mass-start skater crossing the line; its lap is its place among her current crossings."""

    list_display = ("id", "race", "bib", "skater", "time", "source", "who", "entered_at", "state")
    list_filter = ("source", "start__pair__race")
    search_fields = ("start__skater__name", "device", "reason", "void_reason")
    list_select_related = ("start__pair__race", "start__skater", "entered_by")
    date_hierarchy = "entered_at"
    race, skater, time, who, state = (PassingAdmin.race, PassingAdmin.skater, PassingAdmin.time, PassingAdmin.who,
                                      PassingAdmin.state)

    @admin.display(ordering="start__bib")
    def bib(self, obj):
        return obj.start.bib


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("version", "race", "at", "action", "source", "who", "pair", "lane", "bib", "distance", "old_value",
                    "new_value", "reason")
    list_filter = ("action", "source", "race")
    search_fields = ("reason", "device", "actor__username", "old_value", "new_value")
    list_select_related = ("race__competition", "actor")
    date_hierarchy = "at"


# The admin's login answers to the same brake as /login/: staff officials log in through either.
admin.site.login = login_brake(admin.site.login)
