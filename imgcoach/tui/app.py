"""The planner app. Built by `make_app` so tests, the demo and users go through one door.

Start-up imports only Textual and the timeline screen: the database stack (sqlmodel, services)
loads in a worker thread after the first frame is painted. Each registered screen is a Textual
mode, created on first visit, or before it once the app is idle (prebuild_screens), so its module is
imported only then.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from imgcoach.tui.registry import SCREENS, entry

if TYPE_CHECKING:  # types only: start-up imports no more than Textual and the timeline screen
    from imgcoach.core.clock import Clock
    from imgcoach.core.context import Context
    from imgcoach.tui.stylesheet import CssSource

HOME = "timeline"


_start_frozen = False


def _freeze_start_once() -> None:
    """At the first frame, once per process: what the start made (Textual, the modules, the stylesheet, the home
    screen's widgets) lives as long as the app, so the collector's passes leave it out from then on (gc.freeze, as
    screens.base.freeze_heap_once does after the full snapshot). Resumed without it, the first young pass walked all
    of it (about 5 ms on the large plan, as the frame was handed to the terminal's writer thread). What the start
    left in cycles is small (a few hundred objects on the large plan); a test process starting many apps freezes
    only the first."""
    global _start_frozen
    if not _start_frozen:
        _start_frozen = True
        import gc

        gc.freeze()


def _screen_factory(key: str) -> Any:
    return lambda: entry(key).load()()


class PlannerApp(App[None]):
    """Opens at once; the database (and its heavy imports) loads in a worker thread."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses elsewhere find it too
    TITLE = "imgcoach"
    DEFAULT_MODE = HOME
    BINDINGS = [
        *(Binding(item.binding, f"open('{item.key}')", item.title, show=False, id=f"open-{item.key}")
          for item in SCREENS),
        Binding("q", "quit_unless_dialog", "Quit", show=False, id="quit"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit-always"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("T", "toggle_theme", "Theme", show=False, id="toggle-theme"),
        # ctrl+z is undo everywhere (u is the Outreach screen); on Import it undoes the last import (its own binding).
        # In the footer only while there is something to undo (check_action); pressed with nothing to undo, the
        # second binding of the key says so.
        Binding("ctrl+z", "undo", "Undo", key_display="^z", id="undo"),
        Binding("ctrl+z", "nothing_to_undo", "Undo", key_display="^z", show=False, id="nothing-to-undo"),
    ]
    UNDO_DEPTH = 20  # deletes and card moves kept for ctrl+z, newest last; in memory, for this session only
    PREBUILD_QUIET = 0.6  # seconds with no key, click or paste before the next screen is built ahead
    # Seconds between two steps of the building (a look at the screen being built, a slice of its off-screen frame:
    # PlannerScreen.PAINT_SLICE): the loop serves the keys and frames waiting between two steps whatever this is, and
    # a key held back is held by one step's work, not by this pause. At 0.15 s the ~11 steps per screen made the
    # building end 17.7 s after the app's start on the large plan, mostly waiting (6.1 s at 0.01 s, no longer holds:
    # bench_tui --ab-holds); a screen visited meanwhile was built by its visit, 0.2-0.46 s.
    PREBUILD_STEP = 0.01
    # Built ahead first: the screens whose first visit builds the most (the 5-year plan's Letters board of 200
    # cards, Readiness, Shortlist, Rotations: 0.3-0.46 s against 0.18-0.27 s for the others, bench_tui --switches),
    # so a key pressed before the building is over more likely finds them built. The others follow in SCREENS order.
    PREBUILD_FIRST: tuple[str, ...] = ("letters", "readiness", "shortlist", "rotations")

    def __init__(self, db: str | None = None, clock: Clock | None = None, context: Context | None = None, *,
                 poll_seconds: float = 2.0, cursor_blink: bool = True, applicant: str | None = None,
                 prebuild: bool | None = None) -> None:
        self.db_arg = db
        self.applicant_arg = applicant  # an id or e-mail (imgcoach --applicant); None: IMGCOACH_APPLICANT, first
        self.clock = clock
        self.context: Context | None = context  # opened on first use (open_context)
        # A --db path with no database there: nothing opens (and so creates) it until the person says yes.
        self.new_database = self._new_database_path() if context is None else None
        # The first run, known from the quick read alone: the app opens on the Profile screen and its set-up
        # (on_mount), never drawing the timeline first; keys typed as it starts go to the set-up's first field.
        self.first_run = self.new_database is None and self._no_applicant_yet()
        if self.first_run:
            self.DEFAULT_MODE = "profile"  # type: ignore[misc]  # read by App.__init__: the first screen shown
        super().__init__()
        from imgcoach.tui.stylesheet import PlannerStylesheet

        # Parses each CSS source once: Textual re-parsed them all on each screen's first visit (tui/stylesheet.py).
        sheet = PlannerStylesheet(variables=self.stylesheet._variables)
        sheet.source = self.stylesheet.source.copy()
        sheet.keep_paths = False  # until the first frame (_first_frame): its rules map changes with each widget class
        self.stylesheet = sheet
        self.poll_seconds = poll_seconds
        self.cursor_blink = cursor_blink
        self._marker: Any = None
        self.undo_stack: list[Any] = []  # plan.Undoable records, newest last
        # The screen each record was made on ("Rotations"): ctrl+z works from every screen, and an undo made
        # elsewhere said "Rotation … is back" without where to see it.
        self.undo_where: list[str] = []
        self.bookkeeping_commits = 0  # commits a screen's load made for itself (the shortlist's "seen"): no reloads
        self.refused_new_database: Path | None = None  # run_app turns this into "no database at PATH", exit 2
        self._database_gate = threading.Event()
        self.first_frame_written = False  # on_ready: Textual's start-up batch paints nothing until it ends
        self._resume_collector: Any = None  # _process_messages: the collector is paused until the first frame
        self._after_first_frame: list[Any] = []
        self._after_next_frame: list[Any] = []  # after_next_frame: run once the next frame is written
        self._warm_started = False
        self._switched = False  # a screen was opened: warming stops (its imports would compete with that visit's)
        # Build the other screens while idle (prebuild_screens). None: on, except when Textual runs headless
        # (tests, whose app_for-style helpers would otherwise race against a dozen screens building behind them).
        self.prebuild = prebuild
        self.prebuilt: list[str] = []  # the modes built ahead, in order (tests and the benchmark read it)
        self._prebuilding: Any = None  # the screen built ahead whose load and layout are not finished yet
        self._prebuild_timer: Any = None
        self._last_input = 0.0  # time.monotonic() of the last key, click or paste
        if self.new_database is None:
            self._database_gate.set()
        for item in SCREENS:
            self.add_mode(item.key, _screen_factory(item.key))

    def _new_database_path(self) -> Path | None:
        """The SQLite file the app would create: a chosen path (--db, IMGCOACH_DB, the config) with no file there.

        The default file in the data folder is the app's own, created on first run without asking.
        Any surprise (settings, URL) is left to the normal path, which reports it properly.
        """
        try:
            from imgcoach.core.locations import default_db_path, resolve_database_url
            from imgcoach.core.settings import load_settings
            from imgcoach.plan import missing_database_file

            path = missing_database_file(resolve_database_url(self.db_arg, load_settings().database_url))
        except Exception:
            return None
        return path if path is not None and path.resolve() != default_db_path().expanduser().resolve() else None

    async def on_mount(self) -> None:
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.check_for_changes, name="poll-changes")
        if self.new_database is not None:
            self._ask_to_create(self.new_database)
        elif self.first_run:
            # The set-up's first form opens now, on the Profile screen the app started on, and the app handles
            # no key until the form is mounted, so the keys typed as the app starts go to its first field.
            # The full load (seconds on a loaded machine) goes on behind it.
            profile = self.screen
            shown = getattr(profile, "begin_setup", lambda: None)()
            if shown is not None:
                await shown
            if hasattr(profile, "reload"):  # the database stack loads while the person types, not before
                self.call_after_refresh(profile.reload)

    def on_ready(self) -> None:
        """Textual composes and mounts the first screen and runs on_mount in one batch that writes no frame; the
        app's messages (this one) are handled once it has ended, so the next refresh is the first frame written.
        A fallback: _display sees that frame written first, and the screen's next refresh can come several
        frames later (the screen's Resize events after the batch, each a layout and a frame)."""
        self.call_after_refresh(self._first_frame)

    async def _process_messages(self, *args: Any, **kwargs: Any) -> None:
        """Textual's, with the cyclic collector paused from the start until the first frame is written (_first_frame)
        or the app ends before it. What the start makes (the stylesheet, the first screen's widgets, the plan read)
        lives on; the collector's passes meanwhile walked it and the imported modules again and again: a full pass
        (17-35 ms on the large plan) and a dozen younger ones before the first paint with data, where a bare Textual
        app, with fewer objects, made no full pass (issue 15). Its first pass after the frame collects what the start
        left."""
        from imgcoach.core.collector import pause_collector

        self._resume_collector = pause_collector()
        try:
            await super()._process_messages(*args, **kwargs)
        finally:
            self._resume_collector()

    def _first_frame(self) -> None:
        if self.first_frame_written:
            return
        self.first_frame_written = True
        if self._resume_collector is not None:
            _freeze_start_once()
            self._resume_collector()
        if hasattr(self.stylesheet, "keep_paths"):  # the app's own (__init__)
            self.stylesheet.keep_paths = True
        waiting, self._after_first_frame = self._after_first_frame, []
        for callback in waiting:
            callback()

    def after_first_frame(self, callback: Any) -> None:
        """Run `callback` once the first frame is on the terminal: a load started before it (the services'
        imports hold the GIL for ~0.6 s) would hold back the frame the person is waiting for."""
        if self.first_frame_written:
            callback()
        else:
            self._after_first_frame.append(callback)

    def after_next_frame(self, callback: Any) -> None:
        """Run `callback` once the next frame is written to the terminal. call_after_refresh runs it at the screen's
        next idle, which can come before the widgets changed on this turn report themselves dirty: the warming
        thread started after the full snapshot's show() then began its imports before that snapshot's frame was
        written and held the GIL against it."""
        self._after_next_frame.append(callback)

    def after_painted(self, callback: Any, *args: Any, at_most: float = 0.25) -> None:
        """`callback(*args)` once the next frame is written (after_next_frame), or after `at_most` seconds if no frame
        comes (nothing left dirty, the terminal suspended): work that waits for a paint must not wait forever. Once.
        A screen's idle (call_after_refresh) came before its new rows' frame on a quiet machine: the rest of the
        rows then went into the first frame, and a detail read started against it."""
        done = False

        def once() -> None:
            nonlocal done
            if not done:
                done = True
                callback(*args)

        self.after_next_frame(once)
        self.set_timer(at_most, once)

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        super()._display(screen, renderable)
        if renderable is None or self._batch_count:
            return  # nothing written
        if not self.first_frame_written:
            # What waits for the first frame (the full load) starts with it: the screen's next refresh came four
            # frames later (the Resize events Textual queued during start-up), 40-90 ms after the first paint.
            self._first_frame()
        if self._after_next_frame:
            waiting, self._after_next_frame = self._after_next_frame, []
            for callback in waiting:
                self.call_later(callback)

    def warm_screens(self) -> None:
        """Once, after the timeline's full snapshot is on screen: import in a worker what each screen's first
        visit would import (its module, the feature services its load calls: PlannerScreen.WARM), then fill the
        caches a first load fills (PlannerScreen.warm_data: the Shortlist's program table), until the person opens
        a screen. No screen is built, and a warmed cache is checked against the data at each use, so nothing shown
        can be stale; a key typed meanwhile is handled as ever (this runs off the UI thread). The imports were most
        of some first visits: 0.1-0.2 s of Readiness's (the coach package) and Shortlist's (matching); the program
        table 0.3-0.5 s of the Shortlist's."""
        if self._warm_started:
            return
        self._warm_started = True
        self.run_worker(self._warm, thread=True, group="warm", name="warm-screens")

    # --- building screens ahead (issue 15: a first visit as fast as a return) -----------------------------------

    def prebuild_screens(self) -> None:
        """Once the app is idle after start-up: build each other screen (compose, mount, its first load, its
        layout) in the background, one at a time, so its first visit is a return. Textual's compose, mount and
        layout of a new screen take 0.26-1.2 s on the large plan, which no key-to-frame goal of 100 ms can hold.

        A screen is built with the step Textual's switch_mode runs for a mode it has not built yet (`_init_mode`),
        without the switch: the screen joins its own mode's stack, never the one shown, so nothing on the
        terminal, the focus or the footer changes (tests/test_tui_prebuild.py pins what this relies on). Between
        two screens, and while one loads, the loop serves keys first; a key, a click or an open dialog holds the
        next screen back until PREBUILD_QUIET seconds have passed without one."""
        enabled = self.prebuild if self.prebuild is not None else not self.is_headless
        if enabled and self._prebuild_timer is None:
            self._prebuild_later(self.PREBUILD_QUIET)

    def _prebuild_later(self, delay: float) -> None:
        self._prebuild_timer = self.set_timer(delay, self._prebuild_step, name="prebuild-screens")

    def _prebuild_step(self) -> None:
        if self._exit or not self.is_running:
            return
        quiet = time.monotonic() - self._last_input
        if quiet < self.PREBUILD_QUIET or self.screen.is_modal:
            # Typing or a dialog: the person's work first (a screen half built waits too, its load aside).
            self._prebuild_later(max(self.PREBUILD_QUIET - quiet, self.PREBUILD_STEP))
            return
        building = self._prebuilding
        if building is not None:
            if building is not self.screen and not self._prebuild_finished(building):  # opened meanwhile: done
                self._prebuild_later(self.PREBUILD_STEP)
                return
            self._prebuilding = None
            self._freeze_built()
            self._prebuild_later(self.PREBUILD_STEP)  # the next screen in a step of its own
            return
        waiting = [key for key in self.prebuild_order() if key not in self._screen_stacks]
        if not waiting:
            return  # the timer stops
        if any(w.is_running for w in self.workers):
            self._prebuild_later(self.PREBUILD_STEP)  # a load, an import or a save under way: it goes first
            return
        key = waiting[0]
        self.prebuilt.append(key)
        self._init_mode(key)  # the screen is built on its own stack; `self.screen` stays the one shown
        self._prebuilding = self._screen_stacks[key][0]
        self._prebuild_later(self.PREBUILD_STEP)

    def prebuild_order(self) -> list[str]:
        """The screens to build ahead, in the order they are built: PREBUILD_FIRST, then the rest as registered."""
        keys = [item.key for item in SCREENS]
        return [key for key in self.PREBUILD_FIRST if key in keys] + [k for k in keys if k not in self.PREBUILD_FIRST]

    def _freeze_built(self) -> None:
        """A screen is built: what it holds now (its widgets, most of it for the app's life) is moved out of the
        collector's full passes, as the timeline's was (screens.base.freeze_heap_once). Those passes walked it all
        and took 0.3-0.4 s, often inside a first visit, on the large plan; the garbage is collected first so that
        only live objects are frozen. One screen at a time: that collection walks only what was not frozen yet, so
        the screen just built; once for all of them, after the last, it held the loop 0.1-0.2 s. The rows a reload
        later replaces, if in cycles, are never freed: one copy of each screen's data, once per process."""
        import gc

        gc.collect()
        gc.freeze()

    def _prebuild_finished(self, screen: Screen[Any]) -> bool:
        """The screen built ahead has mounted, shown its first load, and been laid out off the terminal."""
        pending: int = (getattr(screen, "loads_pending", 0) + getattr(screen, "in_flight", 0)
                        + getattr(screen, "paint_waits", 0))  # a detail read still to start would lay it out again
        if pending or not screen.is_mounted:
            return False
        if any(w.is_running for w in self.workers):
            return False
        lay_out = getattr(screen, "lay_out_off_screen", None)
        return lay_out is None or bool(lay_out())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent | events.Paste) and not event.is_forwarded:
            self._last_input = time.monotonic()  # building screens ahead waits for a quiet moment
        await super().on_event(event)

    # Modules of Textual and Rich that the first visit of a screen imported on the UI thread whatever the screen (the
    # first scrollbar; Rich's table of emoji codes, about 10 ms, for the first text read as markup): the warm-up
    # imports them in its thread.
    WARM_MODULES: tuple[str, ...] = ("textual.scrollbar", "rich._emoji_codes")

    def _warm(self) -> None:
        from importlib import import_module

        for module in self.WARM_MODULES:
            if self._switched:
                return
            import_module(module)
        for item in SCREENS:
            if self._switched:
                return
            for name in getattr(item.load(), "WARM", ()):
                if self._switched:
                    return
                package, _, attribute = name.partition(":")
                getattr(import_module(package), attribute)  # a public name: the lazy API loads its module
        # Then every screen's stylesheet, on the UI thread (the stylesheet is the app's): added on a first visit, it
        # reparsed the sheet and restyled the app's DOM, the screen being left (Textual's _load_screen_css), and the
        # kept matches of the restyles (tui/stylesheet.py) were dropped for a new rules map. Read and parsed here,
        # off the UI thread: the UI thread's reparse then finds every source parsed.
        if self._switched:
            return
        from imgcoach.tui.stylesheet import PlannerStylesheet

        sources = self.screens_css()
        if isinstance(self.stylesheet, PlannerStylesheet):  # the app's own (__init__)
            self.stylesheet.parse_ahead(sources)
        if self._switched:
            return
        self.call_from_thread(self._add_screens_css, sources)
        # Then the caches the first loads fill (PlannerScreen.warm_data), once the code is in for every screen.
        for item in SCREENS:
            warm_data = getattr(item.load(), "warm_data", None)
            if self._switched or self.context is None:
                return
            if warm_data is not None:
                try:
                    warm_data(self.context)
                except Exception:  # nothing is lost: the screen's own load reads it, and says what went wrong
                    return

    def screens_css(self) -> list[CssSource]:
        """What the screens add to the stylesheet as they are built: each screen's CSS file (its CSS_PATH, resolved
        as Textual resolves it) and the default CSS of the widget classes the app's modules name (tables, search
        bars, detail panes, inputs, buttons), as Textual adds a widget class's when its first instance mounts
        (Widget._post_register). That came with the first visit of a screen with a table, search bar or button:
        it parsed those sources and dropped the kept matches for a new rules map (a first visit's 25-45 ms on the
        large plan, profiled, issue 15). Only scoped default CSS, whose rules match nothing but the widget class's
        own instances and what they hold: adding it before any is mounted changes how nothing else looks."""
        import inspect

        from textual._path import _css_path_type_as_list
        from textual.dom import DOMNode
        from textual.screen import Screen
        from textual.widget import Widget

        from imgcoach.tui.stylesheet import CssSource

        sources: list[CssSource] = []
        for item in SCREENS:
            screen = item.load()
            folder = Path(inspect.getfile(screen)).parent
            for css_path in _css_path_type_as_list(screen.CSS_PATH or []):
                path = Path(css_path) if Path(css_path).is_absolute() else (folder / css_path).resolve()
                try:
                    css = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue  # left to its screen's visit, which says what is wrong with it, as it did
                sources.append(CssSource((str(path), ""), css, False, 0, ""))
        classes: dict[type[Widget], None] = {}
        for name, module in sorted(list(sys.modules.items()), key=lambda item: item[0]):
            if module is None or not name.startswith("imgcoach.tui"):
                continue
            for value in list(vars(module).values()):
                if isinstance(value, type) and issubclass(value, Widget) and not issubclass(value, Screen):
                    classes[value] = None
        for widget_class in classes:
            # Textual's own list for an instance of the class (its bases' DEFAULT_CSS, their tie-breakers), which
            # reads nothing of the instance but its class's CSS bases.
            node = SimpleNamespace(_node_bases=Widget._css_bases(widget_class))
            for read_from, css, tie_breaker, scope in DOMNode._get_default_css(node):  # type: ignore[arg-type]
                if scope:
                    sources.append(CssSource(read_from, css, True, tie_breaker, scope))
        return sources

    def _add_screens_css(self, sources: list[CssSource]) -> None:
        """Add `sources` (screens_css) to the stylesheet, then parse and restyle once, as Textual's first visit of
        each screen did: that visit then finds its CSS in the sheet and neither reparses nor restyles the app. The
        screens' rules name their own widgets' ids (screens/*.tcss), so the widgets of the other screens style the
        same. If a file does not parse, none of them is added: each screen's visit reads its own and says what is
        wrong with it, as it did."""
        from imgcoach.tui.stylesheet import PlannerStylesheet

        sheet = self.stylesheet
        if not isinstance(sheet, PlannerStylesheet):  # not the app's own (__init__): each visit adds its CSS
            return
        before = dict(sheet.source)
        try:
            added = sheet.add_sources(sources)
            if added:
                sheet.reparse()
        except Exception:  # as Textual left it
            sheet.source = before
            return
        if added:
            sheet.update(self)

    def _no_applicant_yet(self) -> bool:
        """Known from the storage quick read alone (no SQLAlchemy, a few ms): nobody has set up a profile.
        Unsure (an applicant asked for by id or e-mail, an older schema, any surprise) is False: the
        timeline's full load decides, as it always did."""
        if self.context is not None or self.applicant_arg:
            return False
        try:
            from imgcoach.core.locations import resolve_database_url
            from imgcoach.core.settings import applicant_from_env, load_settings
            from imgcoach.plan import no_applicant_yet

            if applicant_from_env():
                return False
            return no_applicant_yet(resolve_database_url(self.db_arg, load_settings().database_url))
        except Exception:  # the normal path reports the real problem with its proper message
            return False

    def _ask_to_create(self, path: Path) -> None:
        from imgcoach.tui.widgets.dialogs import ConfirmScreen

        def answered(create: bool | None) -> None:
            if not create:
                self.refused_new_database = path
            self._database_gate.set()  # the waiting loads go on (or fail at once with "no database at")
            if not create:
                self.exit(return_code=2)

        message = (f"There is no database at {path}.\n\nCreate a new, empty database there? "
                   "No quits without creating anything (check --db or IMGCOACH_DB if the path is mistyped).")
        self.push_screen(ConfirmScreen("New database?", message, yes="Create"), answered)

    def open_context(self) -> Context:
        """Called from worker threads: opens the database on first use (after a new path was confirmed)."""
        if self.context is None:
            self._database_gate.wait()
            if self.refused_new_database is not None:
                from imgcoach.core.errors import UserError

                raise UserError(f"no database at {self.refused_new_database}")
            from imgcoach.composition import open_context

            self.context = open_context(self.db_arg, clock=self.clock, applicant=self.applicant_arg)
        return self.context

    def now(self) -> datetime:
        """The current instant from the app's clock (the context's once open)."""
        if self.context is not None:
            return self.context.clock.now()
        if self.clock is not None:
            return self.clock.now()
        from imgcoach.core.clock import SystemClock

        return SystemClock().now()

    def quick_read_is_local(self) -> bool:
        """The quick read would open a local SQLite file that is there (tens of ms, no network): the timeline
        may read it before its first frame. A server (psycopg may wait seconds to connect) or any surprise:
        False, the quick read runs in a worker after the first frame."""
        if self.context is not None:
            return False
        try:
            from imgcoach.core.locations import resolve_database_url
            from imgcoach.core.settings import load_settings
            from imgcoach.plan import local_database_file

            return local_database_file(resolve_database_url(self.db_arg, load_settings().database_url)) is not None
        except Exception:  # the normal path reports the real problem with its proper message
            return False

    def quick_plan(self, events: tuple[date, date] | None = None) -> Any:
        """The timeline's data from the storage quick read (no SQLAlchemy), or None: use the services.
        `events`: the first and last day whose imported calendar events to read.

        Only before the context is open; any surprise (settings, path, schema) means None.
        """
        if self.context is not None:
            return None
        try:
            from imgcoach.core.locations import resolve_database_url
            from imgcoach.core.settings import applicant_from_env, load_settings
            from imgcoach.plan import read_plan_quickly as read_plan

            url = resolve_database_url(self.db_arg, load_settings().database_url)
            return read_plan(url, self.now(), applicant=self.applicant_arg or applicant_from_env(), events=events)
        except Exception:  # the normal path reports the real problem with its proper message
            return None

    # --- navigation ---------------------------------------------------------------------------

    def action_open(self, key: str) -> None:
        if self.screen.is_modal:
            return
        self._switched = True
        self.switch_mode(key)

    async def action_quit_unless_dialog(self) -> None:
        """q quits from every screen; a read-only dialog binds q to quit itself (dialogs.QUIT), a form leaves it
        to its fields (ctrl+q always quits)."""
        if not self.screen.is_modal:
            await self.action_quit()

    def action_go_home(self) -> None:
        self.switch_mode(HOME)

    def action_help(self) -> None:
        from imgcoach.tui.help import help_text
        from imgcoach.tui.widgets.dialogs import TextScreen

        if not isinstance(self.screen, TextScreen):
            self.push_screen(TextScreen("Help: keys and screens", help_text(self.screen)))

    # --- undo (ctrl+z) -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+z (undo) is shown and runs only while there is something to undo; else the key falls through
        to `nothing_to_undo`, which says so."""
        if action == "undo":
            return bool(self.undo_stack)
        return True

    def _undo_stack_changed(self) -> None:
        """The footer, help and palette show ctrl+z only while the stack holds something: ask them again."""
        self.refresh_bindings()

    def remember_undo(self, record: Any, where: str = "") -> None:
        """A delete or card move just done on screen `where`: ctrl+z puts it back (the newest first)."""
        self.undo_stack.append(record)
        self.undo_where.append(where)
        del self.undo_stack[:-self.UNDO_DEPTH]
        del self.undo_where[:-self.UNDO_DEPTH]
        self._undo_stack_changed()

    def next_undo(self) -> str:
        """What ctrl+z undoes next and where it was done ("Deleted rotation ‘…’ (on Rotations)"), "" if nothing:
        the help and the palette said "the last delete or letter-card move" on every screen, without which."""
        if not self.undo_stack:
            return ""
        where = self.undo_where[-1] if self.undo_where else ""
        return self.undo_stack[-1].headline + (f" (on {where})" if where else "")

    def _undo_blocked(self) -> bool:
        """A question or a form is open: ctrl+z is left to it."""
        return self.screen.is_modal and not getattr(self.screen, "ALLOWS_UNDO", False)

    def action_undo(self) -> None:
        if self._undo_blocked():
            return
        if not self.undo_stack:
            self.action_nothing_to_undo()
            return
        record = self.undo_stack.pop()  # at once: a second ctrl+z never tries the same record twice
        where = self.undo_where.pop() if self.undo_where else ""
        self._undo_stack_changed()
        self.run_worker(lambda: self._undo(record, where), thread=True, group="undo", name="undo")

    def action_nothing_to_undo(self) -> None:
        if self._undo_blocked():
            return
        # The Import screen's own ctrl+z (an import) had nothing either: pointing there from there read as "press it
        # again", so that screen's words say so instead (ImportScreen.NOTHING_TO_UNDO).
        elsewhere = " (an import: ctrl+z on the Import screen)"
        self.notify("Nothing to undo: the deletes and letter-card moves made since the app started can be undone"
                    f"{getattr(self.screen, 'NOTHING_TO_UNDO', elsewhere)}", title="Undo", severity="warning",
                    timeout=8)

    def _undo(self, record: Any, where: str = "") -> None:
        from imgcoach.core.errors import UserError
        from imgcoach.plan import undo_change
        from imgcoach.tui.crash import storage_problem

        try:
            undone = undo_change(self.open_context(), record)
        except UserError as exc:  # changed or re-created since: refused, nothing changed; dropped from the stack
            self.call_from_thread(self.notify, str(exc), title="Not undone", severity="error", timeout=15)
            return
        except Exception as exc:
            problem = storage_problem(exc)
            if problem is None:
                raise  # a bug: logged and shown by _handle_exception
            self.call_from_thread(self._undo_failed, record, problem, where)
            return
        self.call_from_thread(self._undone, undone, record, where)

    def _undo_failed(self, record: Any, problem: str, where: str = "") -> None:
        self.undo_stack.append(record)  # the database was busy or read-only: ctrl+z can try again
        self.undo_where.append(where)
        self._undo_stack_changed()
        self.notify(f"{problem} (ctrl+z tries the undo again)", title="Not undone", severity="error", timeout=15)

    def _undone(self, undone: Any, record: Any, where: str = "") -> None:
        attention = bool(undone.kept_cancelled or undone.left_as_is or undone.warnings)
        from imgcoach.tui.screens.base import screen_title

        here = next((screen_title(s) for s in reversed(self.screen_stack) if screen_title(s)), "")  # under a dialog
        # Undone from another screen than the one it was done on: say where the row is back.
        elsewhere = f" (on {where})" if where and where != here else ""
        self.notify(undone.message + elsewhere, title="Undone", severity="warning" if attention else "information",
                    timeout=15 if attention else 8)
        # The row the action was about, back under the cursor (it landed on the first row): the rows of the
        # record's own table that the action removed and the undo inserted again, with their ids. Every mode's
        # screens, not the current one's alone: undone from the Timeline, Rotations showed the row after it.
        back = [c.row_id for c in record.changes if c.table == record.table and c.before is not None and c.after is None]
        for screen in [s for stack in self._screen_stacks.values() for s in stack]:
            put_back = getattr(screen, "put_back", None)
            if put_back is not None:
                put_back(record.table, back)
        refresh_items = getattr(self.screen, "refresh_items", None)  # a People dialog over Rotations
        if refresh_items is not None:
            refresh_items()
        self._reload_current()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    def start_setup(self) -> None:
        """First run (no profile yet): the profile screen's guided set-up."""
        self.switch_mode("profile")
        self.call_after_refresh(lambda: getattr(self.screen, "begin_setup", lambda: None)())

    def open_exam(self, exam_id: int) -> None:
        """The Profile with this exam's edit form open (Enter on an exam in the timeline's Next up)."""
        self.switch_mode("profile")
        self.call_after_refresh(lambda: getattr(self.screen, "open_exam", lambda _: None)(exam_id))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from imgcoach.tui.commands import planner_commands

        yield from planner_commands(self, screen)
        yield from super().get_system_commands(screen)

    # --- unexpected errors ---------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """A failed worker is shown and the app goes on (a storage problem in plain words, a bug logged too);
        anything else is logged and ends the app with status 1."""
        from textual.worker import WorkerFailed

        from imgcoach.tui.crash import log_unexpected, storage_problem, summary

        cause = error.error if isinstance(error, WorkerFailed) else error
        problem = storage_problem(cause)
        if problem is not None and isinstance(error, WorkerFailed) and self.is_running and not self._exit:
            # Not a bug (another writer, a full disk): no crash log, the plain cause; the app goes on.
            self.notify(problem, title="Not saved" if "nothing was saved" in problem else "Database problem",
                        severity="error", timeout=30)
            return
        path = log_unexpected(cause)
        where = f"details in {path}" if path else "the details could not be written to the log"
        if isinstance(error, WorkerFailed) and self.is_running and not self._exit:
            self.notify(f"Something went wrong: {summary(cause)}. That step did not finish; {where}.",
                        title="Unexpected error", severity="error", timeout=30)
            return
        from rich.text import Text

        self._return_code = 1
        if self._exception is None:  # run_test re-raises it, so tests see the fatal path
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(Text(f"imgcoach stopped on an unexpected error: {summary(cause)}; {where}"))
        self._close_messages_no_wait()

    # --- changes made by other processes (the daemon marks a reminder sent) --------------------

    def check_for_changes(self) -> None:
        self.run_worker(self._poll, thread=True, exclusive=True, group="poll", name="poll-changes")

    def _poll(self) -> None:
        if self.context is None:
            return  # nothing shown from the database yet
        from imgcoach.plan import change_marker

        marker = change_marker(self.context)
        if self._marker is not None and marker != self._marker:
            self.call_from_thread(self._reload_current)
        self._marker = marker

    def _reload_current(self) -> None:
        for screen in reversed(self.screen_stack):
            if hasattr(screen, "reload"):
                screen.reload()
                return


def make_app(db: str | None = None, clock: Any = None, context: Any = None, **options: Any) -> PlannerApp:
    return PlannerApp(db=db, clock=clock, context=context, **options)
