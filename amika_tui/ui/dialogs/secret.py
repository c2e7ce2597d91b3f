"""`SecretDialog`: create a generic secret, or set a new value on an existing one.

The name is validated as you type, the value is masked (reveal with ctrl+r, multi-line
allowed), and the plan — create, "exists — will update", or "exists in the other scope" —
is shown before anything is sent. Sending goes through the push executor like every push.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from amika_tui.api import Scope, Secret
from amika_tui.sync.envfile import is_valid_env_name
from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import RowKind
from amika_tui.sync.validation import MAX_NAME_CHARS
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.masked_input import MaskedValueInput
from amika_tui.ui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    pass

__all__ = ["NameCheck", "SecretDialog", "SinglePlan", "check_name", "plan_single"]

_MAX_NAME = MAX_NAME_CHARS
_OWNER = "secret-dialog"


@dataclass(frozen=True, slots=True)
class NameCheck:
    """Result of validating a name: an error blocks saving, a warning does not."""

    error: str | None = None
    warning: str | None = None


def check_name(name: str) -> NameCheck:
    """Live validation of a secret name (the server's rules, plus an env-var style hint)."""
    if not name:
        return NameCheck(error="A name is required.")
    if len(name) > _MAX_NAME:
        return NameCheck(error=f"At most {_MAX_NAME} characters ({len(name)} now).")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return NameCheck(error="Control characters are not allowed in names.")
    if not is_valid_env_name(name):
        return NameCheck(
            warning="Not an environment variable style name ([A-Za-z_][A-Za-z0-9_]*): "
            "sandboxes may not be able to read it as one."
        )
    return NameCheck()


@dataclass(frozen=True, slots=True)
class SinglePlan:
    """What saving would do for one typed secret."""

    kind: RowKind
    text: str
    secret_id: str | None = None


def plan_single(name: str, scope: Scope, secrets: Sequence[Secret]) -> SinglePlan:
    """Plan one secret typed by hand against the listed secrets (same rules as the CLI)."""
    same = next((s for s in secrets if s.name == name and s.scope is scope), None)
    if same is not None:
        return SinglePlan(
            RowKind.UPDATE, f"{name} exists in {scope} scope — will update its value.", same.id
        )
    other = next((s for s in secrets if s.name == name), None)
    if other is not None:
        return SinglePlan(
            RowKind.SCOPE_CONFLICT,
            f"{name} exists in {other.scope} scope — switch the scope to "
            f"{other.scope.value.capitalize()} to update that one.",
            other.id,
        )
    return SinglePlan(RowKind.CREATE, f"Will create {name} in {scope} scope.")


class SecretDialog(AmikaAppAccess, ReportsWorkerFailures, ModalScreen[bool]):
    """New secret (``existing`` None) or update of ``existing``; dismisses True when saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="save-secret"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
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
        self.existing = existing
        self.initial_scope = existing.scope if existing else (scope or Scope.USER)
        self.saving = False

    def compose(self) -> ComposeResult:
        existing = self.existing
        with Vertical(classes="dialog"):
            title = f"Update {existing.name}" if existing else "New secret"
            yield Static(title, classes="dialog-title")
            yield Label("Name", classes="field-label")
            yield Input(
                existing.name if existing else "",
                placeholder="e.g. OPENAI_API_KEY",
                id="secret-name",
                disabled=existing is not None,
            )
            yield Static("", id="name-problem")
            yield Label(
                "Value  (masked · ctrl+r reveals · multi-line when revealed)", classes="field-label"
            )
            yield MaskedValueInput(placeholder="paste or type the value", id="secret-value")
            if existing is None:
                yield Label("Scope", classes="field-label")
                with RadioSet(id="secret-scope"):
                    yield RadioButton(
                        "User (only you)", value=self.initial_scope is Scope.USER, id="scope-user"
                    )
                    yield RadioButton(
                        "Org (everyone in your organisation)",
                        value=self.initial_scope is Scope.ORG,
                        id="scope-org",
                    )
            yield Static("", id="secret-plan")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="secret-save", variant="primary")
                yield Button("Cancel (esc)", id="secret-cancel")

    def on_mount(self) -> None:
        if self.existing is None:
            self.query_one("#secret-name", Input).focus()
        else:
            self.value_input.focus_value()
        self._refresh()

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

    def current_plan(self) -> SinglePlan | None:
        """The plan for what is typed now; None while the name is not valid."""
        if self.existing is not None:
            return SinglePlan(
                RowKind.UPDATE,
                f"Will set a new value on {self.existing.name} ({self.existing.scope}).",
                self.existing.id,
            )
        if check_name(self.name_value).error:
            return None
        return plan_single(self.name_value, self.scope, self.secrets)

    @on(Input.Changed, "#secret-name")
    @on(RadioSet.Changed, "#secret-scope")
    @on(MaskedValueInput.Changed)
    def _edited(self) -> None:
        self.amika_app.set_unpushed(_OWNER, bool(self.value_input.value))
        self._refresh()

    def _refresh(self) -> None:
        problem = self.query_one("#name-problem", Static)
        if self.existing is None:
            check = check_name(self.name_value)
            problem.update(check.error or check.warning or "")
            problem.set_class(check.error is not None, "field-error")
            problem.set_class(check.error is None and check.warning is not None, "field-warning")
            problem.display = bool(check.error or check.warning) and bool(
                self.name_value or self.value_input.value
            )
        else:
            problem.display = False
        plan = self.current_plan()
        plan_widget = self.query_one("#secret-plan", Static)
        plan_widget.update(f"Plan: {plan.text}" if plan else "")
        plan_widget.set_class(plan is not None and plan.kind is RowKind.SCOPE_CONFLICT, "-conflict")
        self.query_one("#secret-save", Button).disabled = not self._can_save(plan)

    def _can_save(self, plan: SinglePlan | None) -> bool:
        return (
            plan is not None
            and plan.kind is not RowKind.SCOPE_CONFLICT
            and bool(self.value_input.value)
            and not self.saving
        )

    @on(Input.Submitted, "#secret-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.value_input.focus_value()

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

    def action_cancel(self) -> None:
        """Close without saving; asks first when a value has been typed."""
        if not self.value_input.value:
            self._discard(True)
            return
        self.app.push_screen(
            ConfirmModal(
                "The value you typed has not been saved. Discard it?",
                title="Discard this secret?",
                confirm_label="Discard",
                cancel_label="Keep editing",
                danger=True,
            ),
            self._discard,
        )

    def _discard(self, confirmed: bool | None) -> None:
        if confirmed:
            self.amika_app.set_unpushed(_OWNER, False)
            self.dismiss(False)

    def action_save(self) -> None:
        """Send the secret (after the plan shown in the dialog)."""
        plan = self.current_plan()
        if not self._can_save(plan):
            if not self.value_input.value:
                self.notify("Enter a value first.", severity="warning")
            elif plan is not None and plan.kind is RowKind.SCOPE_CONFLICT:
                self.notify(plan.text, severity="warning")
            return
        assert plan is not None
        name = self.name_value if self.existing is None else self.existing.name
        value = self.value_input.value
        if plan.kind is RowKind.UPDATE:
            assert plan.secret_id is not None
            item = PushItem.update_secret(name, value, plan.secret_id, self.scope)
        else:
            item = PushItem.create_secret(name, value, self.scope)
        self._send(item)

    @work(exclusive=True, group="secret-dialog", exit_on_error=False, description="Saving a secret")
    async def _send(self, item: PushItem) -> None:
        from amika_tui.ui.push.runner import auth_failure, push_items

        client = self.amika_app.client
        if client is None:
            self.notify("Not signed in.", severity="error")
            return
        self.saving = True
        save = self.query_one("#secret-save", Button)
        save.loading = True
        # No `finally`: a save cancelled because the dialog is being removed must not touch
        # the button, which may be gone already.
        report = await push_items(client, [item], backoff_base=self.amika_app.settings.backoff_base)
        self.saving = False
        save.loading = False
        if report.failed:
            # The dialog stays open with the value kept, so the user can retry.
            self.notify(
                report.failed[0].error or "unknown error",
                title=f"Saving {item.name} failed",
                severity="error",
            )
            self._refresh()
            stale = auth_failure(report)
            if stale is not None:
                self.amika_app.report_error(stale, title=f"Saving {item.name} failed")
            return
        self.amika_app.mark_online()
        self.amika_app.set_unpushed(_OWNER, False)
        verb = "Updated" if item.secret_id else "Created"
        self.amika_app.notify_success(f"{verb} {item.name} ({item.scope}).", title="Saved")
        self.app.post_message(SecretsChanged(f"saved {item.name}"))
        self.dismiss(True)
