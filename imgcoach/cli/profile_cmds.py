"""`imgcoach profile show|set`."""

from __future__ import annotations

from typing import Any

import click

from imgcoach.cli.common import (
    FLOAT,
    PLACE_HOW,
    db_option,
    echo_profile,
    fields_as_options,
    get_context,
    group,
    json_option,
    print_json,
    warn,
)
from imgcoach.cli.shapes import applicant_json
from imgcoach.plan import VISA_WORDS, VISAS


@group()
def profile() -> None:
    """The applicant's profile."""


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [p.strip() for p in value.split(",") if p.strip()]


@profile.command("show")
@db_option
@json_option
def show(as_json: bool) -> None:
    """Show the profile."""
    from imgcoach.plan import NO_PROFILE, get_profile

    applicant = get_profile(get_context())
    if applicant is None:
        from imgcoach.core.errors import UserError

        raise UserError(NO_PROFILE)
    echo_profile(applicant, as_json)


def _visa(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """'J-1 or H-1B' as the profile shows it, or the code; refused (exit 2) naming the accepted forms."""
    from imgcoach.core.errors import FieldError
    from imgcoach.plan import parse_visa

    if value is None:
        return None
    try:
        return parse_visa(value)
    except FieldError as exc:
        raise click.BadParameter(exc.message) from exc


# A budget option's word for "no budget": the profile kept a budget once set, "none" refused as no number.
NO_BUDGET = ("none", "")
CLEARED = object()  # a budget option given as `none` or empty: the stored budget is removed


def _budget(kind: type[int] | type[float]) -> Any:
    """A number, or CLEARED for `none` / an empty value; anything else refused (exit 2) naming the option."""
    def convert(_ctx: click.Context, param: click.Parameter, value: str | None) -> object:
        if value is None:
            return None
        if value.strip().lower() in NO_BUDGET:
            return CLEARED
        try:
            return kind(value) if kind is int else FLOAT.convert(value, param, _ctx)
        except ValueError:
            what = "a whole number of programs" if kind is int else "a number of US dollars"
            raise click.BadParameter(f"{value!r} is not {what} (or 'none' to remove the budget)") from None
    return convert


# Options whose stored field has another name (the others are stored under their own).
PROFILE_OPTION_FIELDS = {
    "specialties": "target_specialties", "countries": "target_countries", "states": "target_states",
    "budget_programs": "application_budget_programs", "budget_usd": "application_budget_usd",
}


@profile.command("set")
@db_option
@click.option("--name")
@click.option("--email")
@click.option("--timezone", help="IANA zone, e.g. America/New_York")
@click.option("--graduation-year", type=int)
@click.option("--school")
@click.option("--school-country")
@click.option("--visa", callback=_visa, metavar="NEED",
              help=f"Visa you need: {', '.join(VISA_WORDS.values())} (or {', '.join(VISAS)})")
@click.option("--us-citizen/--not-us-citizen", "us_citizen", default=None,
              help="U.S. citizens who studied abroad are counted apart by NRMP")
@click.option("--specialties", help='Comma-separated, e.g. "Internal Medicine,Family Medicine"')
@click.option("--countries", help="Target countries, comma-separated")
@click.option("--states", help="Preferred US states, comma-separated (e.g. NY,NJ,PA)")
@click.option("--home-states", help="US states where you live or have family (geographic ties), e.g. NY,NJ")
@click.option("--cv-path")
@click.option("--personal-statement-path")
@click.option("--budget-programs", callback=_budget(int), metavar="N|none",
              help="How many programs you can apply to ('none' removes it)")
@click.option("--budget-usd", callback=_budget(float), metavar="X|none",
              help="How much you can spend on applications ('none' removes it)")
@json_option
def set_(as_json: bool, **options: object) -> None:
    """Create the profile or change any subset of its fields."""
    from imgcoach.coach import save_profile_and_drafts

    changes: dict[str, Any] = {}
    for key, value in options.items():
        if value is None:
            continue
        field = PROFILE_OPTION_FIELDS.get(key, key)
        if value is CLEARED:
            changes[field] = None
            continue
        changes[field] = _split(value) if key in ("specialties", "countries", "states", "home_states") else value  # type: ignore[arg-type]
    # A rule names the stored field (target_states); said by the option typed (--states).
    with fields_as_options({field: option for option, field in PROFILE_OPTION_FIELDS.items()}):
        saved = save_profile_and_drafts(get_context(), **changes)
    # The words are the use case's (ProfileSaved): the app's profile form says the same after a save.
    kept = saved.zone_words()
    unbudgeted = saved.budget_words()
    if as_json:  # the profile as `profile show --json` prints it (one shape per object); the count on stderr
        print_json(applicant_json(saved.applicant))
        for note in (kept, unbudgeted):
            if note:
                click.echo(f"imgcoach: note: {note}", err=True)
    else:
        click.echo(saved.saved_words())
        if unbudgeted:
            click.echo(unbudgeted)
    for note in saved.place_words(PLACE_HOW):  # as `rotations add` says it
        click.echo(f"note: {note}", err=True)
    # Accepted (the file may come later), but said now: the letter packet only warned when it was made.
    for warning in saved.document_warnings(lambda field: f"--{field.replace('_', '-')}"):
        warn(warning)
