"""Who may act on which competition: one answer for every write path and every officials' page.

A competition has officials (assigned by a superuser or its owner) and device tokens may be scoped
to it. The target of a request is found from its URL alone (a race, a passing, a held split, a
crossing, a classification or the competition itself), so the check runs before the body is read
and before any service call: a refused request stores nothing. A path that names no competition
(creating one) is open to every official and to unscoped tokens, never to a scoped token.

Superusers reach every competition; so does a token made without `--competition` (a venue's own
timing devices, as before competitions had officials). Server-side actors that never come through
a request (the Lynx listener, imports, replays) are trusted as the server itself and are not
checked here.
"""
from .models import Classification, Competition, Crossing, HeldSplit, Passing, Race

#: URL keyword -> how to find the competition id of that object.
_TARGETS = {
    "competition_id": lambda pk: Competition.objects.filter(pk=pk).values_list("id", flat=True).first(),
    "race_id": lambda pk: Race.objects.filter(pk=pk).values_list("competition_id", flat=True).first(),
    "passing_id": lambda pk: Passing.objects.filter(pk=pk).values_list("start__pair__race__competition_id", flat=True).first(),
    "crossing_id": lambda pk: Crossing.objects.filter(pk=pk).values_list("start__pair__race__competition_id", flat=True).first(),
    "held_id": lambda pk: HeldSplit.objects.filter(pk=pk).values_list("start__pair__race__competition_id", flat=True).first(),
    "classification_id": lambda pk: Classification.objects.filter(pk=pk).values_list("competition_id", flat=True).first(),
}

#: What the URL named no competition at all (as opposed to one that does not exist: the view's 404).
NONE_NAMED = object()


def target_competition(kwargs):
    """The id of the competition a URL's keywords point into; None when the object does not
    exist (the view answers 404); NONE_NAMED when the path names no competition."""
    for key, find in _TARGETS.items():
        if key in kwargs:
            return find(kwargs[key])
    return NONE_NAMED


def is_official_of(user, competition_id):
    return user.is_superuser or Competition.objects.filter(pk=competition_id, officials=user).exists()


def _name(competition_id):
    return Competition.objects.filter(pk=competition_id).values_list("name", flat=True).first() or f"competition {competition_id}"


def user_refusal(user, competition_id):
    """Why this official may not act on the competition, or None."""
    if competition_id is None or competition_id is NONE_NAMED or is_official_of(user, competition_id):
        return None
    comp = Competition.objects.select_related("owner").get(pk=competition_id)
    who = f"its owner ({comp.owner.get_username()})" if comp.owner_id else "its owner or an administrator"
    return f"You are not an official of {comp.name}; ask {who} to add you."


def token_refusal(token, competition_id):
    """Why this device token may not write here, or None. Unscoped tokens reach every competition."""
    if token.competition_id is None or competition_id is None or competition_id == token.competition_id:
        return None
    if competition_id is NONE_NAMED:
        return (f"This device token is for competition {token.competition_id} ({_name(token.competition_id)}) only; "
                "it cannot write outside it.")
    return (f"This device token is for competition {token.competition_id} ({_name(token.competition_id)}), "
            f"not competition {competition_id} ({_name(competition_id)}).")


def refusal(credential, kwargs):
    """Why this credential may not act on the target of a URL with these keywords, or None."""
    competition_id = target_competition(kwargs)
    if credential.token is not None:
        return token_refusal(credential.token, competition_id)
    return user_refusal(credential.user, competition_id)


def competitions_of(user):
    """The competitions an official sees in her lists: hers (a superuser: all)."""
    if user.is_superuser:
        return Competition.objects.all()
    return Competition.objects.filter(officials=user)


def may_assign(user, comp):
    """A superuser or the competition's owner adds and removes its officials."""
    return user.is_superuser or (comp.owner_id is not None and comp.owner_id == user.pk)
