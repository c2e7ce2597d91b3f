"""The Textual application: `AmikaApp`, built by `make_app(settings)`.

How screens plug in
-------------------
- Main screens are Textual *modes*: ``secrets``, ``providers``, ``extract``, ``account``
  (see `MODES`). Each is created lazily by a factory below.
- Subclass `amika_tui.ui.screens.base.AmikaScreen` and implement ``compose_body()``: the
  header (API, who, connection state, clickable mode tabs) and footer come for free.
- Network: only from workers (``@work(exclusive=True, group=..., exit_on_error=False,
  description=...)``), through ``async with self.amika_app.api("Listing secrets failed")
  as client:`` — it raises `NotSignedIn` while signed out, wraps an `AmikaError` in a
  `WorkerFailure` with that title and marks the app online after a success.
- Errors: whatever a worker raises reaches `report_worker_failure` (the node forwards it,
  see `amika_tui.ui.workers`), and `report_error` is the one place that turns an
  exception into what the user sees: a toast (``code: message``) for the failures a
  worker foresaw, the sign-in view on 401, "offline" on transport errors, an
  `ErrorModal` for anything else.
- Keys: ``escape`` in a text field leaves it, so the screen's keys work again
  (`action_leave_input`); printable keys typed into a field never reach a binding.
- Pushing: `amika_tui.ui.push.start_push` runs review → progress → result for any plan.
- After writing secrets post `amika_tui.ui.messages.SecretsChanged` to the app; it is
  forwarded to every mode's screen (handle ``on_secrets_changed`` to reload).
- Unpushed edits: ``self.app.set_unpushed(owner, True/False)``; quitting asks first
  while any owner is dirty.
- Sign-in: the account screen calls ``await self.app.use_credentials(...)`` after
  verifying a key, and ``await self.app.sign_out()``.
- Read-only (``settings.read_only``): the client refuses every write before sending it
  (``AmikaClient(read_only=True)``) and an API key is exchanged for a read-only token
  (`amika_tui.auth.read_only.ReadOnlyTokenSource`); the
  header shows who enforces it. Screens with writes mix in
  `amika_tui.ui.screens.read_only.ReadOnlyAware`.
- Crashes: the exit traceback leaves out local variables (`textual_compat`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.actions import SkipAction
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import Notification, SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen, SystemModalScreen
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from amika_tui.api.errors import (
    AmikaError,
    AmikaTransportError,
    AuthenticationError,
    InsecureTransportError,
)
from amika_tui.auth.identity import Identity
from amika_tui.auth.read_only import Enforcement, ReadOnlyTokenSource
from amika_tui.sync.staged import StagedChanges
from amika_tui.ui.config import UIConfig, load_config, save_config
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.textual_compat import NoLocalsCrashReport, ReusingStylesheet
from amika_tui.ui.timers import Schedule, Stoppable
from amika_tui.ui.widgets.revealable import REMASK_SECONDS
from amika_tui.ui.workers import NotSignedIn, WorkerFailure, failure_of

if TYPE_CHECKING:
    from amika_tui.api import AmikaClient, Secret, TokenSource
    from amika_tui.ui.clipboard import ClipboardKeeper

__all__ = [
    "CLIENT_SIDE_NOTICE",
    "READ_ONLY_BADGES",
    "AmikaApp",
    "AppSettings",
    "ConnectionState",
    "make_app",
    "style_paths",
]

CLIENT_SIDE_NOTICE = (
    "Server-side read-only enforcement is not available for this credential (only an API "
    "key on a server with token exchange can get a read-only token). amika-tui itself "
    "refuses every write in this session."
)
"""Shown once when a ``--read-only`` session is enforced by the client alone."""

READ_ONLY_BADGES: dict[Enforcement, str] = {
    Enforcement.PENDING: "READ-ONLY",
    Enforcement.SERVER: "READ-ONLY (server)",
    Enforcement.CLIENT: "READ-ONLY (client only)",
}
"""What the header says in a read-only session: who refuses the writes (short, the header
is one line; the notice and README say more)."""


def _styles_dir() -> Path:
    """`amika_tui/styles` in an installed wheel, else `<repo>/styles` in a source checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "styles"
    if installed.is_dir():
        return installed
    return package_dir.parent / "styles"


def style_paths() -> list[Path]:
    """Every stylesheet, `app.tcss` first (screens' sheets follow, alphabetically)."""
    folder = _styles_dir()
    sheets = sorted(folder.glob("*.tcss"), key=lambda p: (p.name != "app.tcss", p.name))
    return sheets


class ConnectionState(StrEnum):
    """What the header says about the link to the API."""

    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    SIGNED_OUT = "signed out"
    REFUSED = "refused: plain http"
    """The API URL is plain http to another machine: no token is sent there."""


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Everything the app needs to start; built by `launch.py` or by tests."""

    api_url: str
    """Host root of the API, e.g. ``http://127.0.0.1:8787``."""
    token_source: TokenSource | None = field(default=None, repr=False)
    """Where bearer tokens come from; None opens the sign-in view."""
    credential_description: str | None = None
    """Where the credential came from, e.g. "AMIKA_API_KEY environment variable"."""
    email: str | None = None
    org: str | None = None
    local: bool = False
    """True for ``--local`` (embedded server): the header shows a LOCAL badge."""
    local_key_file: Path | None = None
    """``--local``: the file holding the embedded server's key (to sign in again)."""
    read_only: bool = False
    config_dir: Path | None = None
    """Overrides the platformdirs config dir (tests)."""
    clock: Callable[[], datetime] | None = None
    """Current time for relative dates; fixed in snapshot tests."""
    remask_seconds: float = REMASK_SECONDS
    """How long a revealed secret value stays on screen before it is masked again."""
    poll_wait: Callable[[float], Awaitable[object]] = field(default=asyncio.sleep, repr=False)
    """How the browser login waits between polls (tests answer at once instead)."""
    timer: Schedule | None = field(default=None, repr=False)
    """Runs delayed work: a revealed value masked again, the clipboard cleared (None:
    Textual's ``set_timer``; tests pass a clock they advance)."""
    max_retries: int = 3
    backoff_base: float = 0.25
    timeout: float = 30.0

    @property
    def api_label(self) -> str:
        """``LOCAL`` or the API host."""
        if self.local:
            return "LOCAL"
        host = self.api_url.split("://", 1)[-1].rstrip("/")
        return host

    def now(self) -> datetime:
        """The current time (UTC) from the injected clock or the system."""
        return self.clock() if self.clock else datetime.now(UTC)


# Each main screen's module is imported when its mode is first opened (start-up stays fast).


def _secrets_screen() -> Screen[Any]:
    from amika_tui.ui.screens.secrets import SecretsScreen

    return SecretsScreen()


def _providers_screen() -> Screen[Any]:
    from amika_tui.ui.screens.providers import ProvidersScreen

    return ProvidersScreen()


def _extract_screen() -> Screen[Any]:
    from amika_tui.ui.screens.extract import ExtractScreen

    return ExtractScreen()


def _account_screen() -> Screen[Any]:
    from amika_tui.ui.screens.account import AccountScreen

    return AccountScreen()


class AmikaApp(NoLocalsCrashReport[int]):
    """The amika-tui application (build it with `make_app`)."""

    TITLE = "amika"
    CSS_PATH: ClassVar[list[Path]] = style_paths()  # type: ignore[assignment]

    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "secrets": _secrets_screen,
        "providers": _providers_screen,
        "extract": _extract_screen,
        "account": _account_screen,
    }

    # A dialog under another dialog gets "-suspended", and with it an opaque backdrop
    # (styles/app.tcss): Textual repaints a screen two dialogs down only when the dialog
    # above repaints, so rather than show it stale, it is not shown.
    SUSPENDED_SCREEN_CLASS = "-suspended"

    # Screens get "-narrow" below 100 columns (the header tightens its mode tabs).
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (100, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "open_mode('secrets')", "Secrets", show=False, id="mode-secrets"),
        Binding("2", "open_mode('providers')", "Providers", show=False, id="mode-providers"),
        Binding("3", "open_mode('extract')", "Extract", show=False, id="mode-extract"),
        Binding("4", "open_mode('account')", "Account", show=False, id="mode-account"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "request_quit", "Quit", id="quit"),
        Binding("ctrl+c", "request_quit", "Quit", show=False, id="quit-ctrl-c"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("escape", "leave_input", "Leave the field", show=False, priority=True),
    ]

    connection: reactive[str] = reactive(ConnectionState.CONNECTING.value)
    """Link state shown in the header (a `ConnectionState` value)."""
    identity: reactive[str] = reactive("")
    """Who is signed in, as the header shows it."""
    read_only_badge: reactive[str] = reactive("")
    """``READ-ONLY`` and who enforces it, as the header shows it (empty otherwise)."""

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.stylesheet = ReusingStylesheet(variables=self.get_css_variables())
        self.settings = settings
        """How this app was started."""
        self.client: AmikaClient | None = None
        """The API client, open while signed in (use it from workers only)."""
        self.credentials_epoch = 0
        """Bumped whenever credentials change, so screens know to reload."""
        self.ui_config: UIConfig = load_config(settings.config_dir)
        """Remembered preferences (theme, last import directory)."""
        self._unpushed: dict[str, bool] = {}
        self.staged = StagedChanges()
        """Edits staged on the Secrets screen, not pushed yet (they belong to the signed-in
        account: signing out or in with other credentials drops them, after asking)."""
        self._token_source = settings.token_source
        self._identity = Identity(settings.email, settings.org, settings.credential_description)
        self._read_only_source: ReadOnlyTokenSource | None = None
        self.read_only_enforcement: Enforcement | None = None
        """Who enforces a ``--read-only`` session (None when the session may write)."""
        self._clipboard_keeper: ClipboardKeeper | None = None
        self.notification_log: list[Notification] = []
        """Every notification posted this session, oldest first. A toast disappears after
        its timeout; this record stays, so a test can check what was said however slow the
        machine (no secret value is ever in a notification)."""

    # --- lifecycle -----------------------------------------------------------------------

    async def on_mount(self) -> None:
        if self.ui_config.theme and self.ui_config.theme in self.available_themes:
            self.theme = self.ui_config.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._update_identity()
        if self._token_source is None:
            self.connection = ConnectionState.SIGNED_OUT.value
            await self.switch_mode("account")
        else:
            await self._open_client()
            await self.switch_mode("secrets")

    async def on_unmount(self) -> None:
        await self._close_client()

    async def _open_client(self) -> None:
        from amika_tui.api import AmikaClient

        await self._close_client()
        settings = self.settings
        token_source = self._token_source
        assert token_source is not None
        if settings.read_only:
            token_source = self._read_only_token_source(token_source)
        self.client = AmikaClient(
            settings.api_url,
            token_source=token_source,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            backoff_base=settings.backoff_base,
            allow_insecure_http=settings.local,
            read_only=settings.read_only,
        )
        await self.client.__aenter__()
        self.credentials_epoch += 1
        self.connection = ConnectionState.CONNECTING.value

    async def _close_client(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            await client.aclose()
        source, self._read_only_source = self._read_only_source, None
        if source is not None:
            await source.aclose()

    # --- read-only sessions --------------------------------------------------------------

    def _read_only_token_source(self, source: TokenSource) -> TokenSource:
        """A static API key is exchanged for a read-only token (server-enforced, when the
        server can); any other credential is only guarded by the client's own refusal."""
        from amika_tui.api import StaticTokenSource

        settings = self.settings
        if not isinstance(source, StaticTokenSource):
            self._read_only_decided(Enforcement.CLIENT)
            return source
        self._read_only_source = ReadOnlyTokenSource(
            settings.api_url,
            source.token(),
            on_decided=self._read_only_decided,
            timeout=settings.timeout,
            allow_insecure_http=settings.local,
        )
        self._show_read_only(Enforcement.PENDING)
        return self._read_only_source

    def _read_only_decided(self, enforcement: Enforcement) -> None:
        self._show_read_only(enforcement)
        if enforcement is Enforcement.CLIENT:
            self.notify(CLIENT_SIDE_NOTICE, title="Read-only", severity="warning", timeout=10)

    def _show_read_only(self, enforcement: Enforcement) -> None:
        self.read_only_enforcement = enforcement
        self.read_only_badge = READ_ONLY_BADGES[enforcement]

    # --- credentials ---------------------------------------------------------------------

    async def use_credentials(
        self,
        token_source: TokenSource,
        description: str,
        *,
        email: str | None = None,
        org: str | None = None,
    ) -> None:
        """Switch to new credentials (after sign-in) and open the secrets screen (staged
        edits are dropped: they were made for the previous credentials)."""
        self.staged.clear()
        self._token_source = token_source
        self._identity = Identity(email, org, description)
        self._update_identity()
        await self._open_client()
        await self.switch_mode("secrets")

    async def sign_out(self) -> None:
        """Forget the credentials in this session (and the staged edits) and show the
        sign-in view."""
        self.staged.clear()
        await self._close_client()
        self._token_source = None
        self._identity = Identity()
        self.credentials_epoch += 1
        self.connection = ConnectionState.SIGNED_OUT.value
        self._update_identity()
        await self.switch_mode("account")

    @property
    def signed_in(self) -> bool:
        """True while a client is open."""
        return self.client is not None

    @property
    def credential_description(self) -> str | None:
        """Where this session's credential came from (None while signed out)."""
        return self._identity.credential

    @property
    def my_user_id(self) -> str | None:
        """The signed-in user's id, once a listing has told it (tables show "you")."""
        return self._identity.user_id

    def learn_identity(self, secrets: Sequence[Secret]) -> str | None:
        """Take who we are from a listing of generic secrets; returns `my_user_id`."""
        self._identity = self._identity.learned_from(secrets)
        self._update_identity()
        return self.my_user_id

    def _update_identity(self) -> None:
        self.identity = self._identity.label

    # --- workers, errors and state -------------------------------------------------------

    @asynccontextmanager
    async def api(self, failure_title: str) -> AsyncIterator[AmikaClient]:
        """The client, for one piece of API work in a worker::

            async with self.amika_app.api("Listing secrets failed") as client:
                secrets = await client.list_secrets()

        Marks the app online when the block succeeds.

        Raises:
            WorkerFailure: titled ``failure_title``, around the `AmikaError` the block
                raised or around `NotSignedIn` while signed out. Let it end the worker:
                `report_worker_failure` shows it.
        """
        client = self.client
        if client is None:
            raise WorkerFailure(failure_title, NotSignedIn())
        try:
            yield client
        except AmikaError as error:
            raise WorkerFailure(failure_title, error) from error
        self.mark_online()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers fail through the same route as everyone's."""
        if event.state is WorkerState.ERROR:
            self.report_worker_failure(event.worker)

    def report_worker_failure(self, worker: Worker[Any]) -> None:
        """The one route of every worker failure (`amika_tui.ui.workers`)."""
        title, error, expected = failure_of(worker)
        self.report_error(error, title=title, expected=expected)

    def report_error(self, error: BaseException, *, title: str, expected: bool = True) -> None:
        """Show ``error`` and react to its kind: a toast for what can be retried, the
        sign-in view on 401, "offline" when the API cannot be reached, an `ErrorModal`
        for an error that is neither from the API client nor ``expected``.

        Only user messages are shown: the client's errors never carry values or tokens,
        and an ``expected`` error is one whose message is fit to show.
        """
        if isinstance(error, AuthenticationError):
            self.notify(
                f"{error.user_message()}\nSign in again to continue.",
                title="Signed out",
                severity="error",
                markup=False,
            )
            self.connection = ConnectionState.SIGNED_OUT.value
            self.call_later(self._after_auth_failure)
            return
        if isinstance(error, NotSignedIn):
            self.notify(str(error), title=title, severity="warning", markup=False)
            self.action_open_mode("account")
            return
        if isinstance(error, AmikaTransportError):
            self.connection = ConnectionState.OFFLINE.value
        elif isinstance(error, InsecureTransportError):
            self.connection = ConnectionState.REFUSED.value
        if isinstance(error, AmikaError):
            self.notify(error.user_message(), title=title, severity="error", markup=False)
        elif expected:
            self.notify(
                str(error) or type(error).__name__, title=title, severity="error", markup=False
            )
        else:
            from amika_tui.ui.dialogs.error import ErrorModal

            self.push_screen(ErrorModal(title, error))

    async def _after_auth_failure(self) -> None:
        await self._close_client()
        await self.switch_mode("account")

    def mark_online(self) -> None:
        """A request just succeeded."""
        self.connection = ConnectionState.ONLINE.value

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast (Textual's `App.notify`) and record it in `notification_log`."""
        self.notification_log.append(
            Notification(
                message,
                title,
                severity,
                self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
                markup=markup,
            )
        )
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def notify_success(self, message: str, *, title: str = "Done") -> None:
        """A short-lived success toast."""
        self.notify(message, title=title, timeout=3)

    def now(self) -> datetime:
        """The current time (fixed in snapshot tests)."""
        return self.settings.now()

    # --- the clipboard -------------------------------------------------------------------

    def copy_secret(self, value: str, label: str) -> None:
        """Copy a secret value the app holds to the clipboards, without showing it; it is
        cleared again 30 s later if still there (`amika_tui.ui.clipboard`).

        Args:
            value: The value (never shown, logged or put in a notification).
            label: What it is, for the toasts ("the value of OPENAI_API_KEY").
        """
        if self._clipboard_keeper is None:
            from amika_tui.ui.clipboard import ClipboardKeeper

            self._clipboard_keeper = ClipboardKeeper(self)
        self._clipboard_keeper.copy(value, label)

    def schedule(self, delay: float, callback: Callable[[], object]) -> Stoppable:
        """Run ``callback`` once, ``delay`` seconds from now, on the injected timer
        (`AppSettings.timer`) or else Textual's."""
        return (self.settings.timer or self.set_timer)(delay, callback)

    def explain_stored_copy(self) -> None:
        """The copy key where only stored values are listed: say why nothing is copied."""
        from amika_tui.ui.clipboard import STORED_VALUES_NOT_COPYABLE

        self.notify(STORED_VALUES_NOT_COPYABLE, title="Nothing copied", markup=False)

    # --- unpushed edits and quitting -----------------------------------------------------

    def set_unpushed(self, owner: str, dirty: bool) -> None:
        """Record whether ``owner`` (a dialog or screen) holds edits not pushed yet."""
        if dirty:
            self._unpushed[owner] = True
        else:
            self._unpushed.pop(owner, None)

    @property
    def has_unpushed_edits(self) -> bool:
        """True when quitting would lose something the user typed, loaded or staged."""
        return bool(self._unpushed) or bool(self.staged)

    def staged_loss(self, doing: str) -> str:
        """What ``doing`` (``Quitting``, ``Signing out``) loses of the staged edits, for a
        question; empty when nothing is staged. Names only, never a value."""
        staged = self.staged
        if not staged:
            return ""
        return (
            f"{staged.summary()} not pushed: {staged.names()}. {doing} discards "
            f"{'it' if len(staged) == 1 else 'them'} and the values typed "
            "(press ctrl+s on the Secrets screen to review and push)."
        )

    def action_request_quit(self) -> None:
        """Quit, asking first when there are unpushed (or staged) edits."""
        if not self.has_unpushed_edits:
            self.exit(0)
            return
        from amika_tui.ui.dialogs.confirm import ConfirmModal

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit(0)

        question = self.staged_loss("Quitting")
        if self._unpushed or not question:
            question = " ".join(
                part
                for part in (question, "You have edits that were not pushed. Quit and lose them?")
                if part
            )
        else:
            question += " Quit anyway?"
        self.push_screen(
            ConfirmModal(
                question,
                title="Quit?",
                confirm_label="Quit",
                cancel_label="Stay",
                danger=True,
            ),
            answered,
        )

    # --- keys ----------------------------------------------------------------------------

    def action_leave_input(self) -> None:
        """``escape`` in a text field: leave it, so the screen's keys work again (focus
        goes to the screen's home widget, the one it focuses first, or to nothing).
        Anywhere else, and on a screen whose ``escape_leaves_input`` is False (a filter box
        that is the screen's whole point, a dialog busy saving), escape does what the screen
        binds it to."""
        screen = self.screen
        focused = screen.focused
        if (
            not isinstance(focused, Input | TextArea)
            or isinstance(screen, SystemModalScreen)
            or not getattr(screen, "escape_leaves_input", True)
        ):
            raise SkipAction()
        screen.set_focus(_home_widget(screen))

    # --- navigation ----------------------------------------------------------------------

    def action_open_mode(self, mode: str) -> None:
        """Show one of the main screens."""
        if mode != "account" and not self.signed_in:
            self.notify("Sign in first.", title="Not signed in", severity="warning")
            mode = "account"
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_help(self) -> None:
        """Show every binding."""
        from amika_tui.ui.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_secrets_changed(self, message: SecretsChanged) -> None:
        """Forward to each mode's screen so they reload."""
        for mode in self.MODES:
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:  # never opened: it loads fresh when it is
                continue
            for screen in stack:
                screen.post_message(SecretsChanged(message.reason))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette lists every action with a description, plus Textual's own."""
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or binding.system:
                continue
            seen.add(binding.action)
            node, action = active.node, binding.action
            yield SystemCommand(
                binding.description,
                binding.tooltip or f"{binding.description} (key: {key})",
                partial(self.run_action, action, node),
            )
        yield from super().get_system_commands(screen)

    def _remember_theme(self, theme: object) -> None:
        self._remember(theme=self.theme)

    def remember_import_dir(self, directory: Path) -> None:
        """Persist the directory the import dialog last used."""
        self._remember(last_import_dir=str(directory))

    def remember_import_mode(self, mode: str) -> None:
        """Persist the .env parse mode the import dialog last used."""
        self._remember(import_mode=mode)

    def _remember(self, **changes: str | None) -> None:
        self.ui_config = self.ui_config.with_changes(**changes)
        save_config(self.ui_config, self.settings.config_dir)


def _home_widget(screen: Screen[Any]) -> Widget | None:
    """What ``screen`` focuses first (its ``AUTO_FOCUS``) unless that is a text field or is
    not shown now; None when there is no such widget."""
    selector = screen.AUTO_FOCUS
    if not selector or selector == "*":
        return None
    chain = screen.focus_chain
    return next(
        (
            widget
            for widget in screen.query(selector)
            if widget in chain and not isinstance(widget, Input | TextArea)
        ),
        None,
    )


def make_app(settings: AppSettings) -> AmikaApp:
    """Build the app (shared by the launcher, tests and screenshots)."""
    return AmikaApp(settings)
