"""What every planner screen shares: the nav bar and footer, loading in a worker, acting through services.

A screen implements `body()`, `fetch(ctx)` (runs in a thread, calls services, returns plain
data) and `show(data)` (runs on the UI thread). When the screen becomes current again it loads
only if the data may have changed since its last load: a commit made by the app (Database.commits)
or a new change marker from the database (plan.change_marker, what the app's poll watches for the
daemon and the CLI), or content older than TRUST_SECONDS (an edit in place the marker cannot count). Otherwise it keeps what it shows: switching back is a repaint, not a query.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext, suppress
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from imgcoach.core.collector import collector_paused
from imgcoach.core.errors import UserError
from imgcoach.tui.appref import planner
from imgcoach.tui.widgets.footer import PlannerFooter
from imgcoach.tui.widgets.nav import NavBar

if TYPE_CHECKING:  # the forms load with the first form opened, not before the first frame (issue 15)
    from imgcoach.core.context import Context
    from imgcoach.tui.app import PlannerApp
    from imgcoach.tui.widgets.form import FormField


def data_version(ctx: Context, ignored: int = 0) -> Any:
    """What a screen's data depends on: the app's own commits (less `ignored`, a screen's own bookkeeping) and
    the database's change marker (the daemon, the CLI), and the date. None (no commit counter): always load."""
    from imgcoach.plan import change_marker

    commits = getattr(ctx.db, "commits", None)
    # The day too: what is due, overdue or "today" moves at midnight without a write.
    return None if commits is None else (commits - ignored, change_marker(ctx), ctx.clock.now().date())


# How long a screen trusts an unchanged data version on return: the marker sees every added or deleted
# row and every write it can count (plan.change_marker; an imported event edited in place too, since migration
# 0012), not what no write records (the date's own rules, a file on disk); past this age a return loads again.
TRUST_SECONDS = 30.0

_heap_frozen = False


def freeze_heap_once() -> None:
    """After the first data shown (the timeline's), once per process: what is alive then (Textual, SQLAlchemy,
    the models, the home screen: about 120,000 objects) lives as long as the app, so the collector's full
    passes stop walking it. Those passes took 0.1-0.4 s, often inside a screen's first visit, on the large
    plan on the loaded machine. A cycle frozen here that dies later is never freed: once per process bounds
    that to what the first screen drops (a test process starting many apps freezes only the first)."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


def screen_title(screen: Any) -> str:
    """The screen's name as the footer's screen keys say it ("Rotations"); "" for a dialog."""
    from imgcoach.tui.registry import SCREENS

    titles = {item.key: item.title for item in SCREENS}
    return str(getattr(screen, "TITLE_TEXT", "") or titles.get(getattr(screen, "KEY", ""), ""))


DataT = TypeVar("DataT")  # what the screen's fetch() returns and its show() receives
DetailT = TypeVar("DetailT")  # a selected row's detail, read by read_detail_once


class PlannerScreen(Screen[None], Generic[DataT]):
    KEY: ClassVar[str] = ""
    loads_pending = 0  # reloads asked for and not yet shown (tests and benchmarks wait on it)
    paint_waits = 0  # run_after_paint's work still waiting for its paint (tests wait on it, as on loads)
    loads = 0  # fetches run (tests and benchmarks count them)
    visits = 0  # times the screen became current
    load_number = 0  # loads started, numbered; shown_number: the newest whose data is shown
    shown_number = 0
    seen: Any = None  # the data version (data_version) read before the fetch now shown; None: load on resume
    seen_at = 0.0  # time.monotonic() when that version was read
    in_flight = 0  # loads started and not yet shown: a resume meanwhile waits for them instead of loading again
    last_error: UserError | None = None  # what the shown load answered instead of data (no profile yet)
    # The fetch commits bookkeeping that only this screen reads (the shortlist's "seen" mark): those commits do
    # not make the other screens, or this one, load again.
    FETCH_WRITES_BOOKKEEPING: ClassVar[bool] = False
    # The public service names ("package:name") this screen's first load calls: the app imports them once it is
    # idle after start-up (PlannerApp.warm_screens). A name missing here only costs its import on the first visit.
    WARM: ClassVar[tuple[str, ...]] = ()
    BINDINGS = [Binding("escape", "app.go_home", "Home", show=False, id="go-home")]  # in the help

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # What the screen's styles were last computed for: the app's CSS version and its focus (an App-level
        # pseudo-class). Textual restyles every widget of a screen each time it becomes current, whether or not
        # anything its styles depend on changed; a return keeps what it has when these are the same.
        self._styled_for: tuple[int, bool] | None = None
        with suppress(Exception):  # no running app (a screen built alone): Textual's own refresh then applies
            app = self.app
            if app.is_running and app.screen_stack:
                # Built while the app runs: its widgets are styled when they mount, from the stylesheet as it is
                # then. Textual's first-visit check saw "never styled" (-1) and re-parsed and restyled the
                # screen being left; the new screen, not yet mounted, kept -1, so its second visit did it all
                # again (0.1-0.25 s on the large plan).
                self._css_update_count = app._css_update_count

    def compose(self) -> ComposeResult:
        yield NavBar(self.KEY)
        yield from self.body()
        yield PlannerFooter(compact=True)

    @property
    def planner(self) -> PlannerApp:
        """The app, typed: a PlannerScreen always runs inside the PlannerApp (or a test subclass of it)."""
        return planner(self.app)

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def fetch(self, ctx: Context) -> DataT:
        """Runs in a worker thread: read through services, return plain data."""
        raise NotImplementedError

    def show(self, data: DataT) -> None:
        """Runs on the UI thread with what `fetch` returned."""
        raise NotImplementedError

    @classmethod
    def warm_data(cls, ctx: Context) -> None:
        """Runs in the app's warm-up thread once the imports are done (PlannerApp.warm_screens): fill a cache the
        first load would fill, one checked against the data at each use, so nothing shown can be stale."""

    def show_load_error(self, error: UserError) -> None:
        """A load refused in the user's words. The hint to press p only where the profile is what is missing: a
        bad config setting said "(press p to set up your profile)" too, which the profile form cannot mend."""
        from imgcoach.plan import NO_PROFILE

        hint = " (press p to set up your profile)" if str(error) == NO_PROFILE else ""
        self.notify(f"{error}{hint}", severity="warning", timeout=6)

    def load_on_resume(self) -> bool:
        """False: this time the screen shows what it already knows, without a load."""
        return True

    renders_skipped_in_batch = 0  # frames not rendered while Textual holds every frame back (tests count them)

    def _compositor_refresh(self) -> None:
        """Textual's, except while the app holds every frame back (App.batch_update): App._display drops the frame
        then, yet Textual renders it whole first. At start the first screen is composed, laid out and rendered
        inside the start-up batch, and the first frame written was rendered a second time after it (0.04-0.1 s of
        the first paint with data). The regions stay dirty, so the first frame after the batch paints them all."""
        app = self.app
        if app._batch_count and self is app.screen and not app.is_inline:
            self.renders_skipped_in_batch += 1
            self._repaint_required = True  # the idle after the batch paints the whole screen
            return
        super()._compositor_refresh()

    def _on_screen_suspend(self) -> None:
        self._styled_for = (self.app._css_update_count, self.app.app_focus)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Before Textual's handler (which runs after this one): no restyle of every widget when nothing the
        styles depend on changed since the screen was left. A theme change or a new stylesheet moves the app's
        CSS version (Textual's switch then refreshes the CSS itself); a class or focus changed meanwhile restyles
        its widget at once. The restyle was about a third of a return's frame (40-90 ms on the large plan)."""
        if self._styled_for == (self.app._css_update_count, self.app.app_focus) \
                and self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False
        if event.refresh_styles and self._css_update_count == -1 and self.is_attached:
            # Built before the app ran (the first screen shown): Textual's handler styles it now, for the sheet as it
            # is, but its CSS count stayed "never styled", so the first return to it ran Textual's refresh_css: a
            # reparse, a restyle of its widgets (past the skipped one above) and a layout.
            self._css_update_count = self.app._css_update_count
        if not self.is_current:
            # Built ahead (PlannerApp.prebuild_screens): Textual's handler styles it now, for this CSS and focus, as
            # a suspend records them; its first visit is then a return that restyles nothing unchanged since.
            self._styled_for = (self.app._css_update_count, self.app.app_focus)
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        if self.is_current:
            self.visits += 1
        # else: built ahead while another screen is shown (PlannerApp.prebuild_screens): its first load runs now,
        # and its first visit is then a return (the data-version check).
        if not self.load_on_resume():
            return
        # After the frame is painted: the first load imports the database stack (~0.6 s). A return's look at
        # the data version waits too: started at once, its thread competed for the GIL with Textual's restyle
        # and returns were no faster (slower under load, interleaved A/B).
        self.loads_pending += 1
        self.after_own_paint(self._reload_after_paint)

    def _trusted(self) -> bool:
        """What is shown came from a load that succeeded less than TRUST_SECONDS ago, and none is on its way."""
        return self.seen is not None and not self.in_flight and time.monotonic() - self.seen_at <= TRUST_SECONDS

    def _version(self, ctx: Context) -> Any:
        return data_version(ctx, getattr(self.app, "bookkeeping_commits", 0))

    def _reload_after_paint(self) -> None:
        after_first_frame = getattr(self.app, "after_first_frame", None)
        if after_first_frame is not None and not self.planner.first_frame_written:
            after_first_frame(self._reload_after_paint)  # the app's start: this refresh wrote no frame yet
            return
        self.loads_pending -= 1
        self.reload_if_changed()

    def reload_if_changed(self) -> None:
        """Load unless the data version is what the screen shows (a look at it first, off the UI thread)."""
        if self.in_flight:
            return  # a load is on its way (the first visit's, a save's): it shows the data as it is now
        if not self._trusted():
            self.reload()  # first visit, the last load failed, or what is shown is too old to trust
            return
        # Shown before: a look at the data version (one small query) decides, off the UI thread.
        self.loads_pending += 1
        self.run_worker(self._reload_if_changed, thread=True, group="load", name=f"check-{self.KEY}")

    def _reload_if_changed(self) -> None:
        changed = self._version(self.planner.open_context()) != self.seen
        self.app.call_from_thread(self._checked, changed)

    def _checked(self, changed: bool) -> None:
        self.loads_pending -= 1
        if changed:
            self.reload()
        elif self.last_error is not None and self.still_shown():
            self.show_load_error(self.last_error)  # what a load would say again, the data being the same

    def _show_error(self, error: UserError) -> None:
        self.last_error = error
        self.show_load_error(error)

    def reload(self) -> None:
        self.loads_pending += 1
        self.in_flight += 1
        self.load_number += 1
        number = self.load_number
        self.run_worker(lambda: self._load(number), thread=True, group="load", name=f"load-{self.KEY}")

    def _load(self, number: int = 0) -> None:
        """The process's first load (no context yet) imports the database stack: SQLAlchemy, SQLModel and the
        table models, about 0.9 s of objects that live as long as the app. The collector's passes while they
        piled up walked them again and again (about a tenth of that CPU, measured), so it is paused for that load;
        _shown then freezes what is left (freeze_heap_once), so later full passes skip it too."""
        first = getattr(self.app, "context", None) is None
        with collector_paused() if first else nullcontext():
            self._load_now(number)

    def _load_now(self, number: int) -> None:
        seen: Any = None
        seen_at = 0.0
        try:
            ctx = self.planner.open_context()
            seen_at = time.monotonic()
            seen = self._version(ctx)  # before the fetch: a write during it makes the next visit load again
            before = ctx.db.commits_in_this_thread()
            self.loads += 1
            data = self.fetch(ctx)
            own = ctx.db.commits_in_this_thread() - before if self.FETCH_WRITES_BOOKKEEPING else 0
        except UserError as exc:
            # The answer for this data version (no profile yet, no program data): a return while the version is
            # unchanged says it again without reading again.
            self.app.call_from_thread(self._shown, self._show_error, exc, seen, 0, number, seen_at)
            return
        except BaseException:
            with suppress(RuntimeError):  # the app is closing; else the next visit loads again
                self.app.call_from_thread(self._load_failed)
            raise  # the failure itself goes to the app's handler
        self.app.call_from_thread(self._shown, self.show, data, seen, own, number, seen_at)

    def _load_failed(self) -> None:
        self.loads_pending -= 1
        self.in_flight -= 1
        self.seen = None

    def _shown(self, show: Callable[[Any], None], data: Any, seen: Any = None, own: int = 0,
               number: int = 0, seen_at: float = 0.0) -> None:
        self.loads_pending -= 1
        self.in_flight -= 1
        if own:
            self.planner.bookkeeping_commits += own  # `seen` (read before them) stays this screen's version
        if number < self.shown_number or not self.still_shown():
            return  # a load started earlier finished later (a save's reload overtook it): its data is older
        if show == self._show_error and not self.is_current:
            return  # built ahead: a toast would cover the screen shown; `seen` stays None, the visit loads and says it
        self.shown_number = number
        self.seen, self.seen_at = seen, seen_at
        if show != self._show_error:
            self.last_error = None
        show(data)
        freeze_heap_once()
        # No table exists before its module is loaded: the timeline's full snapshot imported it (~15 ms on the UI
        # thread, before that snapshot's frame) only to find none.
        tables = sys.modules.get("imgcoach.tui.widgets.table")
        if tables is not None:
            for table in self.query(tables.PlannerTable):
                table.resort()

    _refit_after_layout = False
    _painted_off_screen = False
    _bindings_asked = False

    def lay_out_off_screen(self) -> bool:
        """Built ahead (PlannerApp.prebuild_screens): True once laid out for the terminal's size with its rows in, as
        its first visit would lay it out. Textual lays out only the screen shown (Screen._on_idle); without this the
        first visit paid the layout. Called until it says True, the loop serving keys between two calls."""
        from textual.widgets import DataTable

        from imgcoach.tui.widgets.table import PlannerTable

        tables = list(self.query(DataTable))
        if any(t._require_update_dimensions or t._new_rows or t._updated_cells or getattr(t, "_refit_queued", False)
               or getattr(t, "_rows_to_come", None) is not None for t in tables) \
                or any(footer._recompose_queued for footer in self.query(PlannerFooter)):
            return False  # the tables measure their new rows, the footer its keys, on their idle: lay out after
        if not self._bindings_asked:
            # App.refresh_bindings asks only the screen shown: the footer here missed the keys its rows enabled
            # (a table's Sort), and its first visit recomposed it.
            self._bindings_asked = True
            self.refresh_bindings()
            return False
        if self._layout_required:
            self._layout_required = False
            self._painted_off_screen = False  # a frame begun before this layout is begun again (its crops moved)
            self._refresh_layout(self.app.size)
            self._refit_after_layout = True
            return False
        if self._refit_after_layout:
            # The scrollbars this layout showed take room the elastic columns were measured without; a visit's
            # layout refits them on the resize it sends, this one does not (the Outbox's table scrolled sideways).
            self._refit_after_layout = False
            for table in self.query(PlannerTable):
                table._queue_refit()
            self._painted_off_screen = False
            return False
        if not self._painted_off_screen:
            # One frame rendered and dropped: each widget's first render (a table's cells, two thirds of a prebuilt
            # screen's first visit on the large plan) is cached, so the visit repaints from the caches a return uses.
            self._painted_off_screen = True
            self._unpainted = self._visible_renders()
        if self._unpainted:
            self._paint_some()
            return False
        return True

    # Seconds of widget renders in one step of the off-screen frame (at least one widget): the whole frame in one
    # step held the loop 0.1-0.3 s on the large plan (the Shortlist's the longest), a key typed then waiting.
    PAINT_SLICE = 0.02
    _unpainted: list[tuple[Any, Any]] | None = None

    def _visible_renders(self) -> list[tuple[Any, Any]]:
        """Each widget the frame would render and the part of it on the terminal, as Textual's full update asks
        its render_lines (Compositor._get_renders, Textual 8.2): those calls fill the caches a visit repaints
        from. The widgets' stacking order is kept, though nothing but the caches is kept of their renders."""
        from textual.geometry import Region

        renders = []
        for widget, (region, clip) in self._compositor.visible_widgets.items():
            x, y, width, height = region.intersection(clip)
            if width and height:
                renders.append((widget, Region(x - region.x, y - region.y, width, height)))
        return renders

    def _paint_some(self) -> None:
        """Render the next widgets of the off-screen frame for up to PAINT_SLICE seconds: a widget changed since
        the frame was begun renders what it is now, and a widget gone since is skipped."""
        assert self._unpainted is not None
        began = time.perf_counter()
        while self._unpainted:
            widget, crop = self._unpainted.pop(0)
            if widget.is_attached and widget.display:
                widget.render_lines(crop)
            if time.perf_counter() - began >= self.PAINT_SLICE:
                break

    # The row whose detail (a reminder's e-mail, a letter's draft) read_detail_once read, or is reading, since the
    # last load was shown: show() asks for the selected row's, then the highlight it sets asks again for the same
    # row, and a first visit read it two or three times, each in a thread holding the GIL against the first frame.
    _detail_asked: int | None = None
    # The item (a check, a program: an object of the load shown) whose detail text draw_detail_once drew last.
    _detail_drawn: Any = None

    def forget_detail(self) -> None:
        """New data shown, or no row to show a detail of (the pane says something else): the next highlight reads
        and draws its row's detail again."""
        self._detail_asked = None
        self._detail_drawn = None

    def read_detail_once(self, item_id: int, read: Callable[[], DetailT], shown: Callable[[int, DetailT], None],
                         failed: Callable[[int, Exception], None]) -> None:
        """`read()` in a thread after the next paint (run_after_paint), then `shown(item_id, value)` on the UI
        thread; nothing when `item_id`'s detail is read or on its way already. A failed read is forgotten (the
        next highlight of it tries again) and said by `failed(item_id, error)`: a preview never takes the screen
        down."""
        if item_id == self._detail_asked:
            return
        self._detail_asked = item_id

        def fetch() -> None:
            try:
                value = read()
            except Exception as exc:  # a preview must never take the screen down
                self.app.call_from_thread(self._detail_failed, item_id, exc, failed)
                return
            self.app.call_from_thread(shown, item_id, value)

        self.run_after_paint(fetch, exclusive=True, group="preview")

    def _detail_failed(self, item_id: int, exc: Exception, failed: Callable[[int, Exception], None]) -> None:
        """One hop to the UI thread: forget the read (the next highlight tries again), then say why."""
        if self._detail_asked == item_id:
            self._detail_asked = None
        failed(item_id, exc)

    def draw_detail_once(self, item: Any, draw: Callable[[], None]) -> None:
        """`draw()`, unless the detail pane shows `item`'s already: show() draws the selected row's detail, then the
        highlight its rows set asks for the same row's, and a first visit built and wrapped the text twice (Readiness:
        the first check's whole evidence; the Shortlist: a program's explanation). `item` is an object of the load
        shown, so a new load's, even of the same row, is drawn."""
        if item is not None and item is self._detail_drawn:
            return
        self._detail_drawn = item
        draw()

    def run_after_paint(self, work: Callable[[], None], **options: Any) -> None:
        """`run_worker(work, thread=True, **options)` once the next frame is painted: a detail read for the selected
        row (a reminder's e-mail, a letter's draft) started in `show` ran in its thread against the first frame
        with the rows, taking the GIL from the UI thread that lays it out and renders it; the rows come first."""
        def start() -> None:
            self.paint_waits -= 1
            if self.still_shown():
                self.run_worker(work, thread=True, **options)

        self.paint_waits += 1
        self.after_own_paint(start)

    def after_own_paint(self, callback: Callable[[], None]) -> None:
        """`callback()` once this screen's next frame is written (PlannerApp.after_painted: the screen's idle could
        come before it); at the next idle for a screen built ahead, which has no frame of its own coming."""
        if self.is_current:
            self.planner.after_painted(callback)
        else:
            self.call_after_refresh(callback)

    def still_shown(self) -> bool:
        """False once the app or this screen is closing: a load or an action finishing then has no widgets to
        show itself in (the app quit while the timeline read its events: NoMatches from a worker)."""
        closing = any(pump._closing or pump._closed for pump in (self, self.app))
        return not closing and self.is_attached

    def while_shown(self, callback: Callable[..., object], *args: Any) -> None:
        """Run a worker's UI step unless the screen is going away."""
        if self.still_shown():
            callback(*args)

    def act(self, work: Callable[[Context], Any], done: Callable[[Any], object] | None = None, *,
            reload: bool = True) -> None:
        """Run one service call off the UI thread; a UserError or a storage problem (the database busy,
        full, read-only) becomes a notification, then reload."""

        def run() -> None:
            from imgcoach.tui.crash import storage_problem

            try:
                result = work(self.planner.open_context())
            except UserError as exc:
                self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
                # A refusal is often another writer's change ("reminder 18 is cancelled"): the rows then kept
                # saying "to approve" beside the toast that said otherwise, and offered the same refused action.
                if reload:
                    self.app.call_from_thread(self.while_shown, self.reload)
                return
            except Exception as exc:
                problem = storage_problem(exc)
                if problem is None:
                    raise  # a bug: the app logs it and says where (PlannerApp._handle_exception)
                self.app.call_from_thread(self.notify, problem, severity="error", timeout=30)
                return
            if done is not None:
                self.app.call_from_thread(self.while_shown, done, result)
            if reload:
                self.app.call_from_thread(self.while_shown, self.reload)

        self.run_worker(run, thread=True, group="act", name=f"act-{self.KEY}")

    # The plan table whose rows this screen's list shows ("rotation"): an undo that puts one of them back puts the
    # cursor on it (`row_put_back`).
    UNDO_TABLE: ClassVar[str] = ""
    _put_back: str | None = None

    def put_back(self, table: str, row_ids: list[int]) -> None:
        """An undo put these rows of `table` back: the next load shows the cursor on the first of them."""
        if table == self.UNDO_TABLE and row_ids:
            self._put_back = str(row_ids[0])

    def row_put_back(self) -> str | None:
        """The key of the row an undo just put back, once (`put_back`); None after, or if none."""
        key, self._put_back = self._put_back, None
        return key

    def undoable(self, record: Any, message: str | None = None) -> None:
        """After a delete or a card move: keep it for ctrl+z and say so in the toast."""
        self.planner.remember_undo(record, screen_title(self))
        self.notify(f"{message or record.done} — press ctrl+z to undo", timeout=10)

    def open_form(self, title: str, fields: list[FormField], values: dict[str, Any],
                  submit: Callable[[Context, dict[str, Any]], Any], then: Callable[[Any], None] | None = None,
                  **options: Any) -> None:
        from imgcoach.tui.widgets.form import FormScreen

        def closed(result: Any) -> None:
            if result is not None and then is not None:
                then(result)

        self.app.push_screen(FormScreen(title, fields, values, submit, **options), closed)

    def open_edit_form(self, title: str, fields: list[FormField], row: Any,
                       submit: Callable[[Context, dict[str, Any]], Any], then: Callable[[Any], None] | None = None,
                       **options: Any) -> None:
        """A form over a stored row: shows its values and saves with `loaded=` the row as read, so a change
        made elsewhere meanwhile is a conflict dialog, never a silent overwrite."""
        values = row.model_dump()
        self.open_form(title, fields, values, submit, then, loaded=values, **options)
