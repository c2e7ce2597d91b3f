"""Pure helpers of the extract pane and the add dialog (no app needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from amika_tui.api import CredentialType
from amika_tui.discovery import Candidate, CredentialKind, FileScan, FileStatus, ProviderResult
from amika_tui.discovery.provider_spec import CLAUDE, CODEX, LocalCredential, ProviderSpec
from amika_tui.ui.screens.extract import file_status_text, home_relative, provider_push_choices
from amika_tui.ui.screens.provider_add import read_credential_file
from amika_tui.ui.widgets.revealable import compact_mask

HOME = Path("/home/ada")


def candidate(provider: str, kind: CredentialKind, file: str, source_id: str) -> Candidate:
    return Candidate(
        provider=provider,
        value="sk-FAKE-value-0000000000",
        kind=kind,
        source_id=source_id,
        priority=400,
        file=HOME / file,
        field="x",
    )


def test_status_texts() -> None:
    path = HOME / "f.json"
    expired = FileScan(
        path, FileStatus.EXPIRED, expired_at=datetime(2025, 1, 1, tzinfo=UTC), notes=("old",)
    )
    assert file_status_text(expired) == "expired at 2025-01-01 00:00 UTC"
    assert file_status_text(FileScan(path, FileStatus.ERROR, "bad JSON")) == "error: bad JSON"
    assert file_status_text(FileScan(path, FileStatus.REFUSED, "symlink")) == "refused: symlink"
    assert file_status_text(FileScan(path, FileStatus.SKIPPED, "OAuth is off")) == (
        "skipped (OAuth is off)"
    )
    assert file_status_text(FileScan(path, FileStatus.MISSING)) == "missing"
    assert home_relative(HOME / ".codex/auth.json", HOME) == "~/.codex/auth.json"
    assert home_relative(Path("/etc/x"), HOME) == "/etc/x"


def test_provider_push_choices_use_whole_documents_and_refuse_bare_tokens() -> None:
    oauth = candidate(
        "anthropic", CredentialKind.OAUTH, ".claude/.credentials.json", "claude_oauth"
    )
    bare = candidate("openai", CredentialKind.OAUTH, ".local/share/opencode/auth.json", "opencode")
    other = candidate("groq", CredentialKind.API_KEY, ".cache/amika/env-cache.json", "env")
    results = [
        ProviderResult("anthropic", oauth, (), ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY")),
        ProviderResult("openai", bare, (), ("OPENAI_API_KEY", "CODEX_API_KEY")),
        ProviderResult("groq", other, (), ("GROQ_API_KEY",)),
    ]
    document = '{"claudeAiOauth": {"accessToken": "sk-FAKE"}}'

    def local(spec: ProviderSpec) -> list[LocalCredential]:
        if spec is CLAUDE:
            return [LocalCredential(CredentialType.OAUTH, str(oauth.file), document)]
        return []

    claude, codex = provider_push_choices(results, local)
    assert (claude.spec, claude.type, claude.value) == (CLAUDE, CredentialType.OAUTH, document)
    assert codex.spec is CODEX and codex.value is None
    assert codex.problem is not None and "only holds an access token" in codex.problem


def test_compact_mask_keeps_one_line_and_says_how_long() -> None:
    document = '{\n  "claudeAiOauth": {\n    "accessToken": "' + "x" * 200 + '"\n  }\n}'
    shown = compact_mask(document)
    assert "\n" not in shown and "x" not in shown
    assert shown.endswith(f"({len(document)} characters)")
    assert compact_mask("short") == "*****"


def test_read_credential_file_reports_problems(tmp_path: Path) -> None:
    assert read_credential_file(tmp_path / "nope")[1] == f"No such file: {tmp_path / 'nope'}"
    assert read_credential_file(tmp_path)[1] == f"{tmp_path} is a directory"
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    assert read_credential_file(empty)[1] == f"{empty} is empty"
    good = tmp_path / "key"
    good.write_text("sk-FAKE\n")
    assert read_credential_file(good) == ("sk-FAKE", None)
