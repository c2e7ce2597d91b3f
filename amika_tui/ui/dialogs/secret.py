"""`SecretDialog`: stage a new generic secret, or a new value on an existing one.

The name field takes only what can be a secret's name (`typed_name_problem`) and says why
when it refuses a character. Tab, enter and ``=`` in it move on to the value, at once, so a
password manager's burst ``NAME<Tab>value`` lands in the two fields; a paste of
``NAME<Tab>value`` or ``NAME=value`` fills both. The value is masked (reveal with ctrl+r,
multi-line allowed). The plan (the import preview's `plan_secrets`, for one row) is shown
as you type. Nothing is written here: enter (or Stage) stages the change on the Secrets
screen, ctrl+s stages it and opens the review of everything staged, which pushes through the
one push flow (`amika_tui.ui.push`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from amika_tui.api import Scope, Secret
from amika_tui.sync.envfile import EnvEntry
from amika_tui.sync.plan import RowKind, SecretPlanRow, other_scope, plan_secrets, scoped
from amika_tui.sync.staged import StagedChange
from amika_tui.sync.validation import name_problem, typed_name_problem, value_problem
from amika_tui.ui.dialogs.confirm import ConfirmModal, discard_question
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.masked_input import MaskedValueInput

__all__ = ["SecretDialog", "SecretNameInput", "StageRequest", "plan_text", "split_paste"]

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
        return f"Cannot stage: {row.reason}."
    if updating:
        return f"Will set a new value on {name} ({scope})."
    if row.kind is RowKind.UPDATE:
        return f"{name} exists in {scope} scope — will update its value."
    if row.kind is RowKind.SCOPE_CONFLICT:
        other = other_scope(scope)
        return (
            f"{name} exists in {other} scope. Switch the scope to {other.value.capitalize()} to "
            f"update that one, or stage to create {scoped(scope)} {name} too (two will exist)."
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


@dataclass(frozen=True, slots=True)
class StageRequest:
    """What the dialog closes with: the change to stage, and whether to review now."""

    change: StagedChange
    review: bool
    """ctrl+s: open the review of everything staged once this change is staged."""


class SecretDialog(AmikaAppAccess, ModalScreen[StageRequest | None]):
    """New secret (``existing`` None) or a new value for ``existing``; dismisses with the
    change to stage (None when cancelled). ``staged`` is the staged change being edited
    again: its name, scope and value fill the fields."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "stage(True)",
            "Review & push",
            priority=True,
            id="stage-and-review",
            tooltip="Stage it and open the review of everything staged (push from there)",
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
            "Cancel",
            id="cancel",
            tooltip="Close (asks when a typed value would be lost)",
        ),
        HELP_BINDING,
    ]

    def __init__(
        self,
        secrets: Sequence[Secret],
        *,
        existing: Secret | None = None,
        scope: Scope | None = None,
        staged: StagedChange | None = None,
    ) -> None:
        super().__init__(classes="secret-dialog")
        self.secrets = list(secrets)
        """The listing the plan is made against."""
        self.existing = existing
        self.staged = staged
        if existing is not None:
            self.initial_scope = existing.scope
        else:
            self.initial_scope = staged.scope if staged else (scope or Scope.USER)
        self._refusal = ""
        """Why the name field last refused a character or a paste (shown under it)."""

    def compose(self) -> ComposeResult:
        existing = self.existing
        with Vertical(classes="dialog"):
            title = f"Update {existing.name}" if existing else "New secret"
            yield Static(title, classes="dialog-title")
            yield Label(
                "Name" if existing else "Name  (letters, digits, _ · tab, enter or = → value)",
                classes="field-label",
            )
            name = existing.name if existing else (self.staged.name if self.staged else "")
            yield SecretNameInput(
                name,
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
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stage (enter)", id="secret-save", variant="primary")
                yield Button("Review & push (ctrl+s)", id="secret-review")
                yield Button("Cancel (esc)", id="secret-cancel")

    def on_mount(self) -> None:
        if self.staged is not None:
            self.value_input.set_value(self.staged.value)
        if self.existing is None and self.staged is None:
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
        """What staging would plan now: the import preview's plan, for this one row."""
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
        """True when closing now would lose a value typed and not staged."""
        value = self.value_input.value
        staged = self.staged
        kept = staged is not None and (staged.name, staged.scope, staged.value) == (
            self.name_value,
            self.scope,
            value,
        )
        return bool(value) and not kept

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
        can_stage = self._can_stage(row)
        self.query_one("#secret-save", Button).disabled = not can_stage
        self.query_one("#secret-review", Button).disabled = not can_stage

    def _show_name_problem(self, text: str) -> None:
        problem = self.query_one("#name-problem", Static)
        problem.update(text)
        problem.display = bool(text)

    @staticmethod
    def _can_stage(row: SecretPlanRow) -> bool:
        return row.kind is not RowKind.INVALID and bool(row.value)

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
        self.action_stage(False)

    @on(Button.Pressed, "#secret-save")
    def _stage_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_stage(False)

    @on(Button.Pressed, "#secret-review")
    def _review_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_stage(True)

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
        """Close, asking first when a typed value would be lost."""
        if not self._would_lose_value():
            self._discard(True)
            return
        self.app.push_screen(
            discard_question(
                "The value you typed has not been staged. Discard it?",
                "Discard this secret?",
            ),
            self._discard,
        )

    def _discard(self, confirmed: bool | None) -> None:
        if confirmed:
            self.amika_app.set_unpushed(_OWNER, False)
            self.dismiss(None)

    # --- staging -------------------------------------------------------------------------

    def action_stage(self, review: bool) -> None:
        """Stage the change (``review``: then open the review of everything staged). A
        second secret of a name that exists in the other scope asks first."""
        row = self.current_row()
        if not self._can_stage(row):
            if not row.value:
                self.notify("Enter a value first.", severity="warning")
            elif row.reason:
                self.notify(_sentence(row.reason) + ".", severity="warning")
            return
        if row.kind is not RowKind.SCOPE_CONFLICT:
            secret_id = row.secret_id if row.kind is RowKind.UPDATE else None
            self._close_with(StagedChange(row.key, row.scope, row.value, secret_id), review)
            return
        other = other_scope(row.scope)

        def answered(create: bool | None) -> None:
            if create:
                change = StagedChange(row.key, row.scope, row.value, beside_other_scope=True)
                self._close_with(change, review)

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

    def _close_with(self, change: StagedChange, review: bool) -> None:
        self.amika_app.set_unpushed(_OWNER, False)
        self.dismiss(StageRequest(change, review))
