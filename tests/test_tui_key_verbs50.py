"""One verb per key across the app (issue 15): every binding of every screen, dialog and widget, read from the
classes themselves (the registry's screens and every module of imgcoach.tui), says for a key the verb it says
everywhere else. On Rotations `c` noted a case, on Outreach it changed a status and in an e-mail dialog it
copied; `f` fitted the timeline, filtered the Outbox, recorded feedback and typed an import's path; `a` added,
approved and accepted. The table is help.KEY_VERBS, which the help screen shows."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from collections.abc import Iterator

from textual.binding import Binding

import imgcoach.tui
from imgcoach.core.context import Context
from imgcoach.tui.registry import SCREENS
from tests.tui_helpers import app_for, press

# Keys whose word is the thing they act on, by their nature (help.KEY_VERBS' comment): Enter opens what is selected
# (its details or its form; in a form, the next field), Escape closes or goes back, the arrows, [ ], PgUp/PgDn,
# Home/End and space move along the screen's own axis (a week, a column, a card, a choice), ctrl+s writes what a
# form or the Import preview prepared and says its button's word (Save, Next, Import).
OWN_WORD_KEYS = frozenset({
    "enter", "escape", "tab", "shift+tab", "space", "up", "down", "left", "right", "shift+left", "shift+right",
    "pageup", "pagedown", "home", "end", "left_square_bracket", "right_square_bracket", "ctrl+s",
})
# A question's answers, named on its buttons ("Yes (y)", "Overwrite (o)"): y / n is what every terminal program
# asks with, and in a dialog the screens' letters do nothing (PlannerApp.action_open), so r and o shadow nothing.
ANSWERS = frozenset({("ConfirmScreen", "y"), ("ConfirmScreen", "n"),
                     ("ConflictScreen", "r"), ("ConflictScreen", "o")})
NAVIGATION = {item.binding: item.title for item in SCREENS}


def _classes() -> Iterator[type]:
    seen: set[type] = set()
    for item in SCREENS:  # loaded the way the app loads them
        seen.add(item.load())
    for info in pkgutil.walk_packages(imgcoach.tui.__path__, "imgcoach.tui."):
        module = importlib.import_module(info.name)
        seen.update(cls for cls in vars(module).values()
                    if inspect.isclass(cls) and cls.__module__ == module.__name__)
    yield from sorted(seen, key=lambda cls: (cls.__module__, cls.__qualname__))


def _bindings() -> list[tuple[str, str, Binding]]:
    """(class name, one key, its binding) for every key of every binding a class declares itself."""
    found = []
    for cls in _classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__qualname__}: {binding!r} is not a Binding"
            found += [(cls.__qualname__, key.strip(), binding) for key in binding.key.split(",") if key.strip()]
    return found


def _verb(binding: Binding) -> str:
    return binding.description.split(" ")[0].casefold()


def test_the_walk_reaches_every_screen_and_the_dialogs() -> None:
    owners = {owner for owner, _key, _binding in _bindings()}
    assert {item.load().__qualname__ for item in SCREENS} <= owners
    assert {"PlannerApp", "ConfirmScreen", "ConflictScreen", "DraftScreen", "ReminderScreen", "ProposalScreen",
            "CheckDetailsScreen", "LetterDetailsScreen", "ItemsScreen", "FormScreen", "PlannerTable"} <= owners


def test_one_key_has_one_verb_on_every_screen_and_dialog() -> None:
    verbs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for owner, key, binding in _bindings():
        if key in OWN_WORD_KEYS or (owner, key) in ANSWERS or key in NAVIGATION:
            continue
        verbs[key][_verb(binding)].append(f"{owner} {binding.description!r}")
    two = {key: dict(by_verb) for key, by_verb in verbs.items() if len(by_verb) > 1}
    assert not two, f"a key with two verbs: {two}"


def test_no_screen_binding_shadows_a_screens_letter_or_the_apps_keys() -> None:
    """A screen's letter (t r s l o p y u i m) is bound elsewhere only to go to that screen (a readiness check's
    dialog: r Rotations); ?, q and ctrl+q are the app's (a dialog's q quits too); ctrl+z is undo wherever bound."""
    wrong = []
    for owner, key, binding in _bindings():
        if owner == "PlannerApp" or (owner, key) in ANSWERS:
            continue
        if key in NAVIGATION and binding.description != NAVIGATION[key]:
            wrong.append(f"{owner}: {key} {binding.description!r} (the app's {key} is {NAVIGATION[key]})")
        if key in ("question_mark", "ctrl+q") or (key == "q" and not binding.action.endswith("quit")):
            wrong.append(f"{owner}: {key} {binding.description!r}")
        if key == "ctrl+z" and _verb(binding) != "undo":
            wrong.append(f"{owner}: ctrl+z {binding.description!r}")
    assert not wrong


def test_the_helps_table_says_each_keys_verb_and_every_shared_key_is_in_it() -> None:
    from imgcoach.tui.help import KEY_VERBS

    table = {key: verb.casefold() for key, verb, _what in KEY_VERBS}
    owners: dict[str, set[str]] = defaultdict(set)
    for owner, key, binding in _bindings():
        if key in table:
            assert _verb(binding) == table[key], f"{owner}: {key} {binding.description!r}, the help says {table[key]}"
        if key not in OWN_WORD_KEYS and key not in NAVIGATION and (owner, key) not in ANSWERS:
            owners[key].add(owner)
    # q and ctrl+z are in the help's keys for everywhere
    shared = {key for key, where in owners.items() if len(where) > 1} - {"q", "ctrl+z"} - set(table)
    assert not shared, f"keys bound on several screens or dialogs with no line in help.KEY_VERBS: {shared}"


async def test_the_help_says_one_verb_per_key_and_the_screens_keys_agree(demo_ctx: Context) -> None:
    """The help dialog (? on the Outbox) lists the table, and the Outbox's own keys under it use those letters:
    its approve was a, Add on five screens, and its status filter f, the timeline's Fit plan."""
    from textual.widgets import Static

    from imgcoach.tui.help import plain
    from imgcoach.tui.widgets.dialogs import TextScreen

    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "o", "question_mark")
        assert isinstance(pilot.app.screen, TextScreen)
        shown = " ".join(plain(pilot.app.screen.query_one("#text-content", Static).content, width=160).split())
    assert "One verb per key, on every screen that offers it" in shown
    assert "a Add: a rotation, study block, exam, program, letter request, outreach entry, feedback" in shown
    assert "A Approve:" in shown and "ctrl+a Accept:" in shown and "/ Search:" in shown
    own = shown.split("On this screen (Outbox)")[1]
    assert "F Filter" in own and "A Approve" in own and "f Filter" not in own and "a Approve" not in own, own


def test_the_readiness_advice_names_the_keys_the_screens_bind() -> None:
    """The letters check said "in the app: w on Rotations, then a on Letters" while a new letter request was n on
    the Letters board (a did nothing there). a is Add everywhere now, the request's too."""
    import re
    from datetime import date

    from imgcoach.coach.readiness import check_letters
    from imgcoach.tui.screens.letters_screen import LettersScreen
    from imgcoach.tui.screens.rotations_screen import RotationsScreen
    from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot

    upcoming = rot(7, date(2025, 4, 7), 4, letter_window=(date(2025, 4, 21), date(2025, 4, 25)))
    action = check_letters(plan(upcoming), TODAY, T, SEASON).action
    assert action is not None
    said = re.search(r"in the app: (\w) on Rotations, then (\w) on Letters", action.text)
    assert said is not None, action.text
    on = {"Rotations": RotationsScreen, "Letters": LettersScreen}
    for key, (screen, wanted) in zip(said.groups(), [("Rotations", "supervisor"), ("Letters", "new")], strict=True):
        bound = {b.action for b in on[screen].BINDINGS if isinstance(b, Binding) and key in b.key.split(",")}
        assert bound == {wanted}, f"{key} on {screen} is {bound or 'nothing'}"
