"""`MaskedValueInput`: type or paste a secret value, masked, with a reveal toggle.

Masked, the value lives in a password input that shows a fixed row of bullets whatever it
holds, so its length never shows (pasted multi-line text is kept whole). Revealed, it is
edited in a `TextArea`, where newlines can be typed. The value is re-masked after the app's
re-mask delay (`AppSettings.remask_seconds`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Button, Input, TextArea
from textual.widgets.input import Selection

from amika_tui.masking import SCREEN_MASK_WIDTH
from amika_tui.ui.widgets.revealable import Reveal

__all__ = ["MaskedValueInput", "SecretInput"]

_BULLETS = "•" * SCREEN_MASK_WIDTH


class SecretInput(Input):
    """A password input that shows the same row of bullets for any value (never its
    length) and keeps every line of a paste (Input keeps only the first).

    The cursor always stays at the end: with nothing to see, there is nothing to move to,
    so typing appends and backspace takes the last character off.
    """

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(password=True, placeholder=placeholder, id=id)

    def on_paste(self, event: events.Paste) -> None:
        """Insert the whole paste, newlines included."""
        # Runs before Input's own paste handler, which prevent_default() skips.
        event.prevent_default()
        event.stop()
        if event.text:
            self.insert_text_at_cursor(event.text)

    def validate_selection(self, selection: Selection) -> Selection:
        """The cursor stays at the end (no selection inside an invisible value)."""
        return Selection.cursor(len(self.value))

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self.cursor_position = len(value)  # also after the value is set from outside

    @property
    def _value(self) -> Text:
        return Text(_BULLETS if self.value else "", no_wrap=True, overflow="ignore", end="")

    def _position_to_cell(self, position: int) -> int:
        return len(self._value)

    def render_line(self, y: int) -> Strip:
        """The bullets and the cursor after them (Input would draw the cursor at the
        value's length, which the bullets do not have)."""
        if y != 0 or not self.value:
            return super().render_line(y)
        text = self._value
        text.pad_right(1)
        if self.has_focus and self._cursor_visible:
            text.stylize(self.get_component_rich_style("input--cursor"), len(_BULLETS))
        width = self.scrollable_content_region.width + 1
        console = self.app.console
        strip = Strip(console.render(text, self.app.console_options.update_width(width)))
        return strip.extend_cell_length(width).apply_style(self.rich_style)


class MaskedValueInput(Vertical):
    """A masked value editor; ``value`` is the current text whichever view is shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "toggle_reveal",
            "Reveal/hide value",
            id="reveal-value",
            tooltip="Show / hide the value (multi-line editing; masked again after 30 s)",
        ),
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
        self._reveal: Reveal[None] = Reveal(self, lambda _: self._show_view())

    @property
    def revealed(self) -> bool:
        """True while the value is shown in clear."""
        return None in self._reveal

    def __repr__(self) -> str:
        return f"MaskedValueInput(id={self.id!r}, revealed={self.revealed})"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="masked-row"):
            yield SecretInput(placeholder=self._placeholder, id="value-masked")
            yield Button("Reveal", id="value-reveal", compact=True)
        yield TextArea(id="value-revealed", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.text_area.display = False

    @property
    def value(self) -> str:
        """The value typed so far."""
        return self.text_area.text if self.text_area.display else self.masked_input.value

    def set_value(self, value: str) -> None:
        """Put ``value`` in whichever editor is shown (e.g. a paste split off a name)."""
        if self.text_area.display:
            self.text_area.text = value
        else:
            self.masked_input.value = value

    def clear(self) -> None:
        """Forget the value."""
        self.masked_input.value = ""
        self.text_area.text = ""

    def focus_value(self) -> None:
        """Focus whichever editor is visible."""
        (self.text_area if self.revealed else self.masked_input).focus()

    def action_toggle_reveal(self) -> None:
        """Show the value in clear (multi-line editing) or mask it again."""
        self._reveal.toggle(None)

    def hide(self) -> None:
        """Mask the value again (it is kept)."""
        self._reveal.hide(None)

    def _show_view(self) -> None:
        """Move the value into the editor that the reveal state asks for."""
        revealed = self.revealed
        had_focus = self.has_focus_within  # the delay running out does not take the keyboard
        if revealed and not self.text_area.display:
            self.text_area.text = self.masked_input.value
            self.masked_input.value = ""
        elif not revealed and self.text_area.display:
            self.masked_input.value = self.text_area.text
            self.text_area.text = ""
        self.masked_input.display = not revealed
        self.text_area.display = revealed
        self.query_one("#value-reveal", Button).label = "Hide" if revealed else "Reveal"
        self.set_class(revealed, "-revealed")
        if had_focus:
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
