"""`AddCredentialDialog`: pick or type a provider credential, its type, scope and name.

The dialog only gathers and checks the request; the push itself goes through the shared
review → progress → result flow. A value from a file or pasted decides its own type
(`amika_tui.discovery.content`: an OAuth document or a bare key): the type buttons
follow it, the default name follows the type, and a type that contradicts the content
is refused with the reason. The server's uniqueness rules are checked against the
listed credentials (a conflict offers Replace). Closing with a pasted value asks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from amika_tui.api import CredentialType, ProviderCredential, Scope
from amika_tui.discovery.content import CredentialContent, read_credential, read_credential_file
from amika_tui.discovery.provider_spec import LocalCredential, ProviderSpec, type_label
from amika_tui.sync.plan import ProviderAction, ProviderPlan, plan_provider
from amika_tui.ui.dialogs.confirm import discard_question
from amika_tui.ui.paths import home_relative
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.masked_input import MaskedValueInput
from amika_tui.ui.widgets.revealable import RevealableValue
from amika_tui.ui.workers import ReportsWorkerFailures, WorkerFailure

__all__ = ["AddCredentialDialog", "AddCredentialRequest"]

#: Source choices, in the order of the radio buttons.
SOURCE_DISCOVERED, SOURCE_FILE, SOURCE_PASTE = "discovered", "file", "paste"


@dataclass(frozen=True, slots=True)
class AddCredentialRequest:
    """What the user asked to push: the plan (create or replace) and where the value came from."""

    spec: ProviderSpec
    plan: ProviderPlan
    source: str
    """Where the value came from, for the review ("~/.claude/.credentials.json", "pasted")."""


_OWNER = "add-credential"
_REVEAL, _HIDE = "Reveal (ctrl+r)", "Hide (ctrl+r)"


class AddCredentialDialog(
    AmikaAppAccess, ReportsWorkerFailures, ModalScreen[AddCredentialRequest | None]
):
    """Add a Claude/Codex credential: from this machine, a file, or a pasted value.

    The problem line and the buttons are docked at the bottom, so they stay in view when
    the form has to scroll; below 30 rows the form loses its spacing instead.
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Add", priority=True),
        Binding("ctrl+r", "reveal", "Reveal value"),
        Binding(
            "ctrl+l",
            "copy_value",
            "Copy value",
            id="copy-credential-value",
            tooltip="Copy the value, unseen (cleared after 30 s)",
        ),
    ]

    def __init__(
        self,
        spec: ProviderSpec,
        existing: list[ProviderCredential],
        *,
        home: Path | None = None,
    ) -> None:
        super().__init__(classes="add-credential-dialog")
        self.spec = spec
        self.existing = existing
        """Credentials listed on the server, to foresee conflicts."""
        self.home = home
        self.discovered: list[LocalCredential] = []
        """Credentials found on this machine (filled by a thread worker)."""
        self.content: CredentialContent | None = None
        """What the file or the pasted text holds (None until there is one)."""
        self._pending_replace: tuple[ProviderCredential, ...] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Add a {self.spec.display_name} credential", classes="dialog-title")
            with Vertical(id="add-form"):
                with Horizontal(classes="add-row"):
                    yield Label("Source", classes="add-label")
                    with RadioSet(id="add-source", compact=True):
                        yield RadioButton("This machine", value=True, id="source-discovered")
                        yield RadioButton("A file", id="source-file")
                        yield RadioButton("Paste", id="source-paste")
                with Vertical(id="add-discovered"):
                    yield Static("Looking for credentials on this machine…", id="discover-state")
                    yield OptionList(id="discover-list", compact=True)
                    with Horizontal(id="discover-value-row", classes="add-row"):
                        yield Label("Value", classes="add-label")
                        yield RevealableValue(id="discover-value")
                        yield Button(_REVEAL, id="discover-reveal", compact=True)
                with Horizontal(id="add-file", classes="add-row"):
                    yield Label("File", classes="add-label")
                    yield Input(
                        placeholder="path to a credentials file", id="add-file-path", compact=True
                    )
                with Horizontal(id="add-paste", classes="add-row"):
                    yield Label("Value", classes="add-label")
                    yield MaskedValueInput(
                        placeholder="the API key or the whole OAuth JSON",
                        id="add-paste-value",
                    )
                with Horizontal(classes="add-row"):
                    yield Label("Type", classes="add-label")
                    with RadioSet(id="add-type", compact=True):
                        yield RadioButton("OAuth (whole JSON)", value=True, id="type-oauth")
                        yield RadioButton("API key", id="type-api-key")
                with Horizontal(classes="add-row"):
                    yield Label("Scope", classes="add-label")
                    with RadioSet(id="add-scope", compact=True):
                        yield RadioButton("User (only you)", value=True, id="scope-user")
                        yield RadioButton("Org (your organisation)", id="scope-org")
                with Horizontal(classes="add-row"):
                    yield Label("Name", classes="add-label")
                    yield Input(
                        self.spec.default_name(CredentialType.OAUTH), id="add-name", compact=True
                    )
            # Docked at the bottom (see the stylesheet), after the form in the focus order.
            with Vertical(id="add-bottom"):
                yield Static("", id="add-problem")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Add (ctrl+s)", id="add-submit", variant="primary", compact=True)
                    yield Button("Cancel (esc)", id="add-cancel", compact=True)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.compact = True  # the pasted value's field too: the dialog fits 80×24
        self._show_source(SOURCE_DISCOVERED)
        self.query_one("#discover-list", OptionList).display = False
        self.query_one("#discover-value-row").display = False
        self._discover()

    # --- discovery -------------------------------------------------------------------------

    @work(
        thread=True,
        exclusive=True,
        group="add-credential-discover",
        exit_on_error=False,
        description="Looking for credentials on this machine",
    )
    def _discover(self) -> None:
        from amika_tui.discovery import HomeDirectoryError

        try:
            found = self.spec.discover(self.home)
        except Exception as exc:
            # The discovery layer reports unreadable files by path, never with their contents.
            self.app.call_from_thread(self._show_discovery_error, str(exc) or type(exc).__name__)
            if isinstance(exc, HomeDirectoryError):
                raise WorkerFailure("Cannot scan this machine", exc) from exc
            raise
        self.app.call_from_thread(self._show_discovered, found)

    def _show_discovery_error(self, reason: str) -> None:
        self.query_one("#discover-state", Static).update(f"Could not scan this machine: {reason}")
        self._focus_source_choice()

    def _focus_source_choice(self) -> None:
        """Nothing to pick on this machine: put the keyboard on the file / paste choice."""
        if self.is_attached and self.source == SOURCE_DISCOVERED:
            self.query_one("#add-source", RadioSet).focus()

    def _show_discovered(self, found: list[LocalCredential]) -> None:
        if not self.is_attached:  # the dialog was closed during the scan
            return
        self.discovered = found
        state = self.query_one("#discover-state", Static)
        options = self.query_one("#discover-list", OptionList)
        if not found:
            state.update(
                f"No {self.spec.short_name} credentials found on this machine. "
                "Choose a file or paste a value instead."
            )
            self._focus_source_choice()
            return
        state.update(f"{len(found)} found, pick one:")
        options.clear_options()
        options.add_options(
            Option(f"{type_label(item.type):<8} {home_relative(item.source)}", id=str(index))
            for index, item in enumerate(found)
        )
        options.display = True
        self.query_one("#discover-value-row").display = True
        options.highlighted = 0
        self._use_discovered(0)
        if self.query_one("#source-discovered", RadioButton).value:
            options.focus()

    @on(OptionList.OptionHighlighted, "#discover-list")
    def _discovered_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None:
            self._use_discovered(event.option_index)

    @on(OptionList.OptionSelected, "#discover-list")
    def _discovered_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#add-name", Input).focus()

    def _use_discovered(self, index: int) -> None:
        item = self.discovered[index]
        self.query_one("#discover-value", RevealableValue).set_value(item.value)
        self._set_type(item.type)

    # --- form ------------------------------------------------------------------------------

    @on(RadioSet.Changed, "#add-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        source = (SOURCE_DISCOVERED, SOURCE_FILE, SOURCE_PASTE)[event.index]
        self._show_source(source)
        if source == SOURCE_DISCOVERED:
            index = self.query_one("#discover-list", OptionList).highlighted
            if self.discovered and index is not None:
                self._use_discovered(index)
        self._read_content(follow=True)
        self._clear_problem()

    def _show_source(self, source: str) -> None:
        self.query_one("#add-discovered").display = source == SOURCE_DISCOVERED
        self.query_one("#add-file").display = source == SOURCE_FILE
        self.query_one("#add-paste").display = source == SOURCE_PASTE
        if source == SOURCE_FILE:
            self.query_one("#add-file-path", Input).focus()
        elif source == SOURCE_PASTE:
            self.query_one("#add-paste-value", MaskedValueInput).focus_value()

    @property
    def source(self) -> str:
        """The selected source choice."""
        if self.query_one("#source-file", RadioButton).value:
            return SOURCE_FILE
        if self.query_one("#source-paste", RadioButton).value:
            return SOURCE_PASTE
        return SOURCE_DISCOVERED

    @property
    def credential_type(self) -> CredentialType:
        """The selected credential type."""
        if self.query_one("#type-api-key", RadioButton).value:
            return CredentialType.API_KEY
        return CredentialType.OAUTH

    @property
    def scope(self) -> Scope:
        """The selected scope."""
        return Scope.ORG if self.query_one("#scope-org", RadioButton).value else Scope.USER

    @property
    def pasted(self) -> str:
        """The pasted value (kept while another source is shown)."""
        return self.query_one("#add-paste-value", MaskedValueInput).value

    def _set_type(self, type: CredentialType) -> None:
        button_id = "#type-oauth" if type is CredentialType.OAUTH else "#type-api-key"
        self.query_one(button_id, RadioButton).value = True

    @on(RadioSet.Changed, "#add-type")
    def _type_changed(self) -> None:
        name = self.query_one("#add-name", Input)
        defaults = {self.spec.default_name(type) for type in CredentialType}
        if name.value.strip() in defaults | {""}:
            # The user has not typed a name of their own: follow the type.
            name.value = self.spec.default_name(self.credential_type)
        self._clear_problem()

    @on(RadioSet.Changed, "#add-scope")
    def _scope_changed(self) -> None:
        self._clear_problem()

    @on(Input.Changed, "#add-name")
    def _name_changed(self) -> None:
        self._clear_problem()

    @on(Input.Changed, "#add-file-path")
    @on(MaskedValueInput.Changed, "#add-paste-value")
    def _value_changed(self) -> None:
        self.amika_app.set_unpushed(_OWNER, bool(self.pasted))
        self._read_content(follow=True)
        self._clear_problem()

    def _read_content(self, *, follow: bool = False) -> None:
        """Judge the file or pasted value; with ``follow`` the type follows what it is."""
        source = self.source
        if source == SOURCE_FILE:
            raw = self.query_one("#add-file-path", Input).value.strip()
            path = str(Path(raw).expanduser()) if raw else ""
            self.content = read_credential_file(self.spec.key, path) if path else None
        elif source == SOURCE_PASTE:
            text = self.pasted
            self.content = read_credential(self.spec.key, text) if text.strip() else None
        else:
            self.content = None
        kinds = self.content.kinds if self.content is not None else ()
        if follow and kinds and self.credential_type.value not in {k.value for k in kinds}:
            self._set_type(CredentialType(kinds[0].value))

    def _refusal(self) -> str | None:
        """Why the file or pasted value cannot be pushed as the chosen type."""
        if self.source == SOURCE_DISCOVERED or self.content is None:
            return None
        return self.content.refusal(self.credential_type.value)

    def _clear_problem(self) -> None:
        """Something changed: forget a replace warning; say at once when the chosen type
        contradicts the content."""
        self._pending_replace = None
        self._show_problem(self._refusal() or "")
        submit = self.query_one("#add-submit", Button)
        submit.label = "Add (ctrl+s)"
        submit.variant = "primary"

    def _show_problem(self, text: str, *, warning: bool = False) -> None:
        problem = self.query_one("#add-problem", Static)
        problem.update(text)
        problem.display = bool(text)
        problem.set_class(bool(text) and not warning, "-error")
        problem.set_class(bool(text) and warning, "-warning")

    # --- actions ---------------------------------------------------------------------------

    def action_reveal(self) -> None:
        """Reveal the discovered value (masked again after 30 s)."""
        self.query_one("#discover-value", RevealableValue).toggle()

    def action_copy_value(self) -> None:
        """Copy the chosen source's value (the one found, or what was pasted), unseen."""
        source = self.source
        if source == SOURCE_PASTE:
            self.amika_app.copy_secret(self.pasted, "the pasted value")
            return
        value, where, problem = self._value()
        if value is None:
            self.notify(problem or "No value.", title="Nothing copied", severity="warning")
            return
        self.amika_app.copy_secret(value, f"the {self.spec.short_name} credential from {where}")

    @on(RevealableValue.Changed, "#discover-value")
    def _reveal_changed(self, event: RevealableValue.Changed) -> None:
        label = _HIDE if event.value.revealed else _REVEAL
        self.query_one("#discover-reveal", Button).label = label

    @on(Button.Pressed, "#discover-reveal")
    def _reveal_pressed(self) -> None:
        self.action_reveal()

    @on(Button.Pressed, "#add-cancel")
    def action_cancel(self) -> None:
        """Close without adding anything; asks first when a value was pasted."""
        if not self.pasted:
            self._discard(True)
            return
        self.app.push_screen(
            discard_question(
                "The value you pasted has not been added to Amika. Discard it?",
                "Discard this credential?",
            ),
            self._discard,
        )

    def _discard(self, confirmed: bool | None) -> None:
        if confirmed:
            self.amika_app.set_unpushed(_OWNER, False)
            self.dismiss(None)

    @on(Button.Pressed, "#add-submit")
    @on(Input.Submitted, "#add-name")
    def action_submit(self) -> None:
        """Check the request; on a conflict the first press explains, the second replaces."""
        value, source, problem = self._value()
        if problem is not None or value is None:
            self._show_problem(problem or "No value.")
            return
        name = self.query_one("#add-name", Input).value.strip()
        plan = plan_provider(
            self.spec.api_path, name, value, self.credential_type, self.scope, self.existing
        )
        if plan.action is ProviderAction.INVALID:
            self._show_problem(plan.message)
            return
        if plan.action is ProviderAction.REPLACE and self._pending_replace != plan.replaces:
            self._offer_replace(plan)
            return
        self.amika_app.set_unpushed(_OWNER, False)
        self.dismiss(AddCredentialRequest(spec=self.spec, plan=plan, source=source))

    def _offer_replace(self, plan: ProviderPlan) -> None:
        self._pending_replace = plan.replaces
        old = ", ".join(
            f"“{item.name}” ({type_label(item.type)}, {item.scope.value} scope)"
            for item in plan.replaces
        )
        self._show_problem(
            f"Already in Amika: {old}. {plan.message}\n"
            "Press Replace (ctrl+s) to go ahead, or change the name or scope.",
            warning=True,
        )
        submit = self.query_one("#add-submit", Button)
        submit.label = "Replace (ctrl+s)"
        submit.variant = "error"

    def _value(self) -> tuple[str | None, str, str | None]:
        """``(value, source label, problem)`` for the selected source."""
        source = self.source
        if source in (SOURCE_FILE, SOURCE_PASTE):
            self._read_content()
            if self.content is None:
                what = "Type the path of a credentials file." if source == SOURCE_FILE else ""
                return None, "", what or "Paste a value first."
            refusal = self._refusal()
            if refusal is not None:
                return None, "", refusal
            value = self.content.value_for(self.credential_type.value)
            if source == SOURCE_PASTE:
                return value, "the pasted text", None
            raw = self.query_one("#add-file-path", Input).value.strip()
            return value, home_relative(str(Path(raw).expanduser())), None
        if not self.discovered:
            return None, "", "Nothing was found on this machine: choose a file or paste a value."
        index = self.query_one("#discover-list", OptionList).highlighted or 0
        item = self.discovered[index]
        return item.value, home_relative(item.source), None
