"""The README documents every binding (with a description) of every screen and dialog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.add_credential import AddCredentialDialog
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.dialogs.error import ErrorModal
from amika_tui.ui.dialogs.help import HelpScreen
from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.dialogs.scope_choice import ScopeChoiceModal
from amika_tui.ui.dialogs.secret import SecretDialog, SecretNameInput
from amika_tui.ui.push import PushReviewScreen, PushScreen
from amika_tui.ui.push.plan_review import PlanReviewScreen
from amika_tui.ui.screens.account import AccountScreen
from amika_tui.ui.screens.extract import ExtractScreen
from amika_tui.ui.screens.providers import ProvidersScreen
from amika_tui.ui.screens.secrets import SecretsScreen
from amika_tui.ui.widgets.masked_input import MaskedValueInput
from amika_tui.ui.widgets.secrets_table import SecretsTable

README = Path(__file__).resolve().parents[2] / "README.md"

#: Textual key names -> how the README writes them.
SPELLING = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "slash": "/",
    "equals_sign": "=",
}


def documented_keys(section: str) -> set[str]:
    """Every `key` in backticks in the README section whose bold title is ``section``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"**{section}")
    end = text.find("\n**", start + 2)
    return set(re.findall(r"`([^`]+)`", text[start : end if end != -1 else None]))


README_SECTIONS: list[tuple[type[DOMNode | AmikaApp], str]] = [
    (AmikaApp, "Everywhere"),
    (SecretsScreen, "Secrets"),
    (SecretsTable, "Secrets"),
    (SecretDialog, "New / update secret dialog"),
    (SecretNameInput, "New / update secret dialog"),
    (MaskedValueInput, "New / update secret dialog"),
    (ImportEnvDialog, "Import `.env`"),
    (ProvidersScreen, "Providers"),
    (AddCredentialDialog, "Add credential dialog"),
    (ExtractScreen, "Extract"),
    (AccountScreen, "Account"),
    (PushReviewScreen, "Review, push and dialogs"),
    (PlanReviewScreen, "Review, push and dialogs"),
    (PushScreen, "Review, push and dialogs"),
    (ScopeChoiceModal, "Review, push and dialogs"),
    (ConfirmModal, "Review, push and dialogs"),
    (ErrorModal, "Review, push and dialogs"),
    (HelpScreen, "Review, push and dialogs"),
]
"""Every class with bindings and the README section that documents them."""


@pytest.mark.parametrize(("widget", "section"), README_SECTIONS)
def test_every_binding_is_in_the_readme(widget: type[DOMNode | AmikaApp], section: str) -> None:
    keys = documented_keys(section)
    missing = []
    for binding in widget.BINDINGS:
        assert isinstance(binding, Binding)
        if not binding.description:  # read-only explanations share the documented keys
            continue
        for key in binding.key.split(","):
            if SPELLING.get(key, key) not in keys:
                missing.append(f"{key} ({binding.description})")
    assert not missing, f"README section {section!r} lacks {missing}"


def test_scope_question_keys_are_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| scope question"))
    for binding in ScopeChoiceModal.BINDINGS:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            assert f"`{key}`" in row


def test_the_readme_documents_every_class_with_bindings_and_the_help_shows_them_all() -> None:
    from amika_tui.ui.dialogs.help import help_contexts
    from tests.ui.test_help import bound_classes

    documented = {widget for widget, _ in README_SECTIONS}
    assert bound_classes() <= documented
    assert documented <= {owner for context in help_contexts() for owner in context.owners}
