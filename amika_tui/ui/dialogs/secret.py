"""`SecretDialog`: create a generic secret, or set a new value on an existing one.

The name field takes only what can be a secret's name (`typed_name_problem`) and says why
when it refuses a character. Tab, enter and ``=`` in it move on to the value, at once, so a
password manager's burst ``NAME<Tab>value`` lands in the two fields; a paste of
``NAME<Tab>value`` or ``NAME=value`` fills both. The value is masked (reveal with ctrl+r,
multi-line allowed). The plan (the import preview's `plan_secrets`, for one row) is shown
before anything is sent. Saving goes through the push executor like every push; while it
retries the dialog says so, escape stops it, and after an uncertain answer the dialog lists
again and shows what the server really holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from amika_tui.api import AmikaError, Scope, Secret
from amika_tui.sync.envfile import EnvEntry
from amika_tui.sync.executor import PushExecutor, PushReport, PushRetry
from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import (
    ConflictResolution,
    RowKind,
    SecretPlanRow,
    other_scope,
    plan_secrets,
    scoped,
)
from amika_tui.sync.validation import name_problem, typed_name_problem, value_problem
from amika_tui.ui.dialogs.confirm import ConfirmModal, discard_question
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.push.runner import auth_failure, make_executor, retry_text
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.masked_input import MaskedValueInput
from amika_tui.ui.workers import ReportsWorkerFailures

__all__ = ["SecretDialog", "SecretNameInput", "plan_text", "split_paste"]

_OWNER = "secret-dialog"


def _sentence(text: str) -> str:
    """``text`` with a capital first letter (the rest kept: it may quote a character)."""
    return text[:1].upper() + text[1:]


def split_paste(text: str) -> tuple[str, str | None]:
    """Text pasted into the name field as ``(name, value)``; value None when there is none.

    A tab or a line break separates the name from the value (a password manager's
    ``name<Tab>password``), else the first ``=`` (a ``.env`` line, ``export`` allowed). The
    name is trimmed; a value that is one line loses a final line break (the auto-type's
    enter), a multi-line one is kept as it is.
    """
    for index, character in enumerate(text):
        if character in "\t\r\n":
            value = text[index + 1 :] if character != "\r" else text[index + 1 :].lstrip("\n")
            break
    else:
        name, equals, value = text.partition("=")
        if not equals:
            return text.strip(), None
        text = name
        index = len(name)
    name = text[:index].strip()
    name = name.removeprefix("export ").strip()
    if value.endswith("\n") and "\n" not in value.rstrip("\r\n"):
        value = value.rstrip("\r\n")
    return name, value


def plan_text(row: SecretPlanRow, *, updating: bool) -> str:
    """The dialog's plan line for ``row`` (its own sentence for an update of a chosen one)."""
    name, scope = row.key, row.scope
    if row.kind is RowKind.INVALID:
        return f"Cannot save: {row.reason}."
    if updating:
        return f"Will set a new value on {name} ({scope})."
    if row.kind is RowKind.UPDATE:
        return f"{name} exists in {scope} scope — will update its value."
    if row.kind is RowKind.SCOPE_CONFLICT:
        other = other_scope(scope)
        return (
            f"{name} exists in {other} scope. Switch the scope to {other.value.capitalize()} to "
            f"update that one, or save to create {scoped(scope)} {name} too (two will exist)."
        )
    return f"Will create {name} in {scope} scope."


class SecretNameInput(Input):
    """The name field: refuses what cannot be in a name (and says why), moves on to the
    value at tab, enter or ``=``, and splits a pasted ``NAME<Tab>value``/``NAME=value``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: run while the app reads the burst, before the next key is routed, so
        # the keys after a tab land in the value field (the focus has moved by then).
        Binding(
            "tab,enter,equals_sign", "next_field", "On to the value", show=False, priority=True
        ),
    ]

    class Refused(Message):
        """Something typed or pasted was not taken; ``reason`` never quotes a value."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(
        self,
        value: str,
        *,
        to_value: Callable[[str | None], None],
        id: str,
        disabled: bool = False,
    ) -> None:
        """Args:
        to_value: Moves the keyboard to the value field, with a pasted value (or None).
        """
        super().__init__(value, placeholder="e.g. OPENAI_API_KEY", id=id, disabled=disabled)
        self._to_value = to_value

    def action_next_field(self) -> None:
        """On to the value field (now: keys that follow go there)."""
        self._to_value(None)

    def replace(self, text: str, start: int, end: int) -> None:
        """Take ``text`` only when a valid name can still come of it; else say why."""
        start, end = sorted((max(0, start), min(len(self.value), end)))
        problem = typed_name_problem(self.value[:start] + text + self.value[end:])
        if problem is not None and text:  # deleting is always allowed
            self.post_message(self.Refused(f"{_sentence(problem)}; not typed."))
            return
        super().replace(text, start, end)

    def on_paste(self, event: events.Paste) -> None:
        """A name, or a name and a value (see `split_paste`); nothing of a bad paste."""
        event.prevent_default()  # Input's own handler would paste the first line verbatim
        event.stop()
        name, value = split_paste(event.text)
        problem = typed_name_problem(name)
        if problem is not None:
            hint = "" if value is not None else " If it was the value, paste it in Value."
            self.post_message(self.Refused(f"Nothing pasted: {problem}.{hint}"))
            return
        if value is None:
            self.insert_text_at_cursor(name)
            return
        if name:
            self.value = name
        self._to_value(value)


class SecretDialog(AmikaAppAccess, ReportsWorkerFailures, ModalScreen[bool]):
    """New secret (``existing`` None) or update of ``existing``; dismisses True when saved."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            priority=True,
            id="save-secret",
            tooltip="Save (a second secret of a name asks first)",
        ),
        Binding(
            "ctrl+l",
            "copy_value",
            "Copy value",
            id="copy-value",
            tooltip="Copy the value, unseen (cleared after 30 s)",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel / stop saving",
            id="cancel",
            tooltip="Close (asks when a typed value would be lost); while saving: stop",
        ),
        HELP_BINDING,
    ]

    def __init__(
        self,
        secrets: Sequence[Secret],
        *,
        existing: Secret | None = None,
        scope: Scope | None = None,
    ) -> None:
        super().__init__(classes="secret-dialog")
        self.secrets = list(secrets)
        """The listing the plan is made against (listed again after an uncertain save)."""
        self.existing = existing
        self.initial_scope = existing.scope if existing else (scope or Scope.USER)
        self.saving = False
        """True while a save runs (escape then stops it instead of closing)."""
        self._executor: PushExecutor | None = None
        self._refusal = ""
        """Why the name field last refused a character or a paste (shown under it)."""
        self._stored: tuple[str, Scope, str] | None = None
        """(name, scope, value) found stored after an uncertain save: closing loses nothing."""

    def compose(self) -> ComposeResult:
        existing = self.existing
        with Vertical(classes="dialog"):
            title = f"Update {existing.name}" if existing else "New secret"
            yield Static(title, classes="dialog-title")
            yield Label(
                "Name" if existing else "Name  (letters, digits, _ · tab, enter or = → value)",
                classes="field-label",
            )
            yield SecretNameInput(
                existing.name if existing else "",
                to_value=self._to_value,
                id="secret-name",
                disabled=existing is not None,
            )
            yield Static("", id="name-problem")
            yield Label(
                "Value  (masked · ctrl+r reveals · multi-line when revealed)", classes="field-label"
            )
            yield MaskedValueInput(placeholder="paste or type the value", id="secret-value")
            if existing is None:
                with Horizontal(id="secret-scope-row"):
                    yield Label("Scope", classes="field-label")
                    with RadioSet(id="secret-scope"):
                        yield RadioButton(
                            "User (only you)",
                            value=self.initial_scope is Scope.USER,
                            id="scope-user",
                        )
                        yield RadioButton(
                            "Org (everyone in your org)",
                            value=self.initial_scope is Scope.ORG,
                            id="scope-org",
                        )
            yield Static("", id="secret-plan")
            yield Static("", id="secret-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="secret-save", variant="primary")
                yield Button("Cancel (esc)", id="secret-cancel")

    def on_mount(self) -> None:
        self.query_one("#secret-status").display = False
        if self.existing is None:
            self.query_one("#secret-name", Input).focus()
        else:
            self.value_input.focus_value()
        self._refresh()

    # --- state ---------------------------------------------------------------------------

    @property
    def name_value(self) -> str:
        return self.query_one("#secret-name", Input).value

    @property
    def scope(self) -> Scope:
        if self.existing is not None:
            return self.existing.scope
        pressed = self.query_one("#secret-scope", RadioSet).pressed_button
        return Scope.ORG if pressed is not None and pressed.id == "scope-org" else Scope.USER

    @property
    def value_input(self) -> MaskedValueInput:
        return self.query_one("#secret-value", MaskedValueInput)

    def current_row(self) -> SecretPlanRow:
        """What saving would do now: the import preview's plan, for this one row."""
        value = self.value_input.value
        existing = self.existing
        if existing is not None:  # the server checks only the value of an update
            problem = value_problem(value)
            return SecretPlanRow(
                existing.name,
                value,
                line=0,
                kind=RowKind.INVALID if problem else RowKind.UPDATE,
                scope=existing.scope,
                selected=problem is None,
                secret_id=existing.id,
                reason=problem,
            )
        entry = EnvEntry(self.name_value, value, 0)
        return plan_secrets([entry], self.secrets, self.scope).rows[0]

    @on(Input.Changed, "#secret-name")
    @on(RadioSet.Changed, "#secret-scope")
    @on(MaskedValueInput.Changed)
    def _edited(self) -> None:
        self.amika_app.set_unpushed(_OWNER, self._would_lose_value())
        self._refresh()

    def _would_lose_value(self) -> bool:
        """True when closing now would lose a value typed and not stored."""
        value = self.value_input.value
        return bool(value) and (self.name_value, self.scope, value) != self._stored

    @on(SecretNameInput.Refused)
    def _refused(self, event: SecretNameInput.Refused) -> None:
        # Kept while the name is typed on (a burst would wipe it at once), until the next
        # refusal or an empty name.
        self._refusal = event.reason
        self._show_name_problem(event.reason)

    def _refresh(self) -> None:
        row = self.current_row()
        name = self.name_value
        if self.existing is None:
            problem = name_problem(name)
            touched = bool(name or self.value_input.value)
            if not name:
                self._refusal = ""
            shown = _sentence(problem) + "." if problem and touched else self._refusal
            self._show_name_problem(shown)
        plan_widget = self.query_one("#secret-plan", Static)
        plan_widget.update(f"Plan: {plan_text(row, updating=self.existing is not None)}")
        plan_widget.display = row.kind is not RowKind.INVALID or name_problem(name) is None
        plan_widget.set_class(row.kind in (RowKind.SCOPE_CONFLICT, RowKind.INVALID), "-conflict")
        self.query_one("#secret-save", Button).disabled = not self._can_save(row)

    def _show_name_problem(self, text: str) -> None:
        problem = self.query_one("#name-problem", Static)
        problem.update(text)
        problem.display = bool(text)

    def _can_save(self, row: SecretPlanRow) -> bool:
        return row.kind is not RowKind.INVALID and bool(row.value) and not self.saving

    # --- moving between the fields -------------------------------------------------------

    def _to_value(self, pasted: str | None) -> None:
        """Focus the value field now (synchronously: type-ahead follows), with a paste."""
        value = self.value_input
        if pasted is not None:
            value.set_value(pasted)
        self.set_focus(value.masked_input if not value.revealed else value.text_area)

    @on(Input.Submitted, "#value-masked")
    def _value_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#secret-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#secret-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_copy_value(self) -> None:
        """Copy the value typed so far, without showing it (cleared again after 30 s)."""
        name = self.name_value.strip()
        label = f"the value of {name}" if name else "the value typed"
        self.amika_app.copy_secret(self.value_input.value, label)

    # --- closing -------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Stop a running save; else close, asking first when a typed value would be lost."""
        if self.saving:
            if self._executor is not None:
                self._executor.cancel()
            self._status("Stopping: waiting for the answer to the request in flight …")
            return
        if not self._would_lose_value():
            self._discard(True)
            return
        self.app.push_screen(
            discard_question(
                "The value you typed has not been saved. Discard it?",
                "Discard this secret?",
            ),
            self._discard,
        )

    def _discard(self, confirmed: bool | None) -> None:
        if confirmed:
            self.amika_app.set_unpushed(_OWNER, False)
            self.dismiss(False)

    # --- saving --------------------------------------------------------------------------

    @property
    def escape_leaves_input(self) -> bool:
        """While saving, escape stops the save even from a text field (see `AmikaApp`)."""
        return not self.saving

    def action_save(self) -> None:
        """Send the secret (after the plan shown in the dialog; a second one of a name
        that exists in the other scope asks first)."""
        row = self.current_row()
        if not self._can_save(row):
            if self.saving:
                return
            if not row.value:
                self.notify("Enter a value first.", severity="warning")
            elif row.reason:
                self.notify(_sentence(row.reason) + ".", severity="warning")
            return
        if row.kind is not RowKind.SCOPE_CONFLICT:
            item = row.to_item()
            assert item is not None
            self._send(item)
            return
        other = other_scope(row.scope)

        def answered(create: bool | None) -> None:
            if create:
                plan = plan_secrets([EnvEntry(row.key, row.value, 0)], self.secrets, row.scope)
                second = plan.with_resolution(row.key, ConflictResolution.CREATE_HERE).rows[0]
                item = second.to_item()
                assert item is not None
                self._send(item)

        self.app.push_screen(
            ConfirmModal(
                f"{row.key} already exists in {other} scope. Create {scoped(row.scope)} "
                f"{row.key} too? Two secrets named {row.key} will then exist ({row.scope} and "
                f"{other}); to update the {other} one instead, switch the scope.",
                title="Create a second secret?",
                confirm_label="Create second",
                cancel_label="Back",
            ),
            answered,
        )

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#secret-status", Static)
        status.update(text)
        status.set_class(error, "field-error")
        status.display = bool(text)

    def _retrying(self, retry: PushRetry) -> None:
        self._status(f"Saving {retry.item.name}: {retry_text(retry)} · esc stops")

    @work(exclusive=True, group="secret-dialog", exit_on_error=False, description="Saving a secret")
    async def _send(self, item: PushItem) -> None:
        client = self.amika_app.client
        if client is None:
            self.notify("Not signed in.", severity="error")
            return
        executor = make_executor(
            client, backoff_base=self.amika_app.settings.backoff_base, on_retry=self._retrying
        )
        self._executor = executor
        self.saving = True
        save = self.query_one("#secret-save", Button)
        save.loading = True
        self._status(f"Saving {item.name} …")
        # No `finally`: a save cancelled because the dialog is being removed must not touch
        # the button, which may be gone already.
        report = await executor.run([item])
        self._executor = None
        if report.ok:
            self._saved(item, report)
            return
        await self._not_saved(item, report)
        self.saving = False
        save.loading = False
        self._refresh()

    def _saved(self, item: PushItem, report: PushReport) -> None:
        self.amika_app.mark_online()
        self.amika_app.set_unpushed(_OWNER, False)
        verb = "Updated" if report.updated else "Created"
        self.amika_app.notify_success(f"{verb} {item.name} ({item.scope}).", title="Saved")
        self.app.post_message(SecretsChanged(f"saved {item.name}"))
        self.dismiss(True)

    async def _not_saved(self, item: PushItem, report: PushReport) -> None:
        """The dialog stays with the value kept. After an uncertain answer (or a stop),
        list again: the save may have landed, and the plan must say what is true now."""
        failure = report.results[0]
        error = failure.error or "unknown error"
        stale = auth_failure(report)
        if stale is not None:
            self._status(f"Not saved: {error}", error=True)
            self.amika_app.report_error(stale, title=f"Saving {item.name} failed")
            return
        self.notify(error, title=f"Saving {item.name} failed", severity="error")
        self._status(f"Not saved ({error}) — listing again to see what the server holds …")
        client = self.amika_app.client
        if client is None:  # signed out meanwhile
            self._status(f"Not saved, as far as we know ({error}).", error=True)
            return
        try:
            self.secrets = await client.list_secrets()
        except AmikaError as exc:
            self._status(
                f"Not saved, as far as we know ({error}); the server could not be listed "
                f"({exc.user_message()}), so it may hold it. Saving again looks first.",
                error=True,
            )
            return
        self.amika_app.mark_online()
        landed = any(s.name == item.name and s.scope is item.scope for s in self.secrets)
        if landed and item.secret_id is None:
            self._stored = (item.name, item.scope, item.value)
            self.amika_app.set_unpushed(_OWNER, False)
            self.app.post_message(SecretsChanged(f"found {item.name}"))
            self._status(
                f"Stored after all: the server answered with an error, but {item.name} is in "
                f"{item.scope} scope now, holding the value you typed. Saving again updates it."
            )
        elif item.secret_id is not None:
            self._status(
                f"Not confirmed ({error}): {item.name} may or may not hold the new value. "
                "Saving again sets it.",
                error=True,
            )
        else:
            self._status(f"Not saved ({error}): the server does not hold {item.name}.", error=True)
