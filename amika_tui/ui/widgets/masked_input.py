"""`MaskedValueInput`: type or paste a secret value, masked, with a reveal toggle.

Masked, the value lives in a password `Input` (pasted multi-line text is kept whole, shown
as bullets). Revealed, it is edited in a `TextArea`, where newlines can be typed. The value
is re-masked after the app's re-mask delay (`AppSettings.remask_seconds`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, TextArea

from amika_tui.ui.widgets.revealable import RemaskTimer

__all__ = ["MaskedValueInput"]


class _SecretInput(Input):
    """A password input that keeps every line of a paste (Input keeps only the first)."""

    def on_paste(self, event: events.Paste) -> None:
        """Insert the whole paste, newlines included."""
        # Runs before Input's own paste handler, which prevent_default() skips.
        event.prevent_default()
        event.stop()
        if event.text:
            self.insert_text_at_cursor(event.text)


class MaskedValueInput(Vertical):
    """A masked value editor; ``value`` is the current text whichever view is shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "toggle_reveal", "Reveal/hide value", id="reveal-value"),
    ]

    class Changed(Message):
        """The value changed (handler: ``on_masked_value_input_changed``)."""

        def __init__(self, widget: MaskedValueInput) -> None:
            super().__init__()
            self.widget = widget

        @property
        def control(self) -> MaskedValueInput:
            return self.widget

    def __init__(self, *, placeholder: str = "value", id: str | None = None) -> None:
        super().__init__(id=id, classes="masked-value-input")
        self._placeholder = placeholder
        self.revealed = False
        """True while the value is shown in clear."""
        self._remask = RemaskTimer(self, lambda: self._set_revealed(False))

    def __repr__(self) -> str:
        return f"MaskedValueInput(id={self.id!r}, revealed={self.revealed})"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="masked-row"):
            yield _SecretInput(password=True, placeholder=self._placeholder, id="value-masked")
            yield Button("Reveal", id="value-reveal", compact=True)
        yield TextArea(id="value-revealed", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.text_area.display = False

    @property
    def value(self) -> str:
        """The value typed so far."""
        return self.text_area.text if self.revealed else self.masked_input.value

    def clear(self) -> None:
        """Forget the value."""
        self.masked_input.value = ""
        self.text_area.text = ""

    def focus_value(self) -> None:
        """Focus whichever editor is visible."""
        (self.text_area if self.revealed else self.masked_input).focus()

    def action_toggle_reveal(self) -> None:
        """Show the value in clear (multi-line editing) or mask it again."""
        self._set_revealed(not self.revealed)

    def _set_revealed(self, revealed: bool) -> None:
        if revealed == self.revealed:
            return
        if revealed:
            self.text_area.text = self.masked_input.value
            self.masked_input.value = ""
            self._remask.start()
        else:
            self.masked_input.value = self.text_area.text
            self.text_area.text = ""
            self._remask.stop()
        self.revealed = revealed
        self.masked_input.display = not revealed
        self.text_area.display = revealed
        self.query_one("#value-reveal", Button).label = "Hide" if revealed else "Reveal"
        self.set_class(revealed, "-revealed")
        self.focus_value()

    @on(Button.Pressed, "#value-reveal")
    def _reveal_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_toggle_reveal()

    @on(Input.Changed, "#value-masked")
    @on(TextArea.Changed, "#value-revealed")
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @property
    def masked_input(self) -> Input:
        return self.query_one("#value-masked", Input)

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#value-revealed", TextArea)
