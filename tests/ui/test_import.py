"""The .env import dialog: pick, parse modes, preview plan, select, push, retry failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Static

from amika_tui.masking import mask_on_screen
from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.push import PushScreen
from amika_tui.ui.push.review_table import ReviewTable
from amika_tui.ui.widgets.env_picker import complete_path, is_env_like
from amika_tui.ui.widgets.revealable import REMASK_SECONDS
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    FakeTimers,
    app_for,
    click,
    focused,
    import_dialog,
    loaded,
    notifications,
    open_import,
    push_and_wait,
    screen_text,
    seed,
    stored,
    visible_names,
    wait_until,
)

GOOD = "DATABASE_URL=postgres://db.example/app\nAPI_TOKEN=token-value-123456789\n# comment\n"
BAD = "GOOD_ONE=fine\nthis line has no equals sign\n=missing-key\nGOOD_TWO=also-fine\n"
QUOTED = 'QUOTED_VALUE="inside-quotes"\nPLAIN=plain\n'


@pytest.fixture
def env(tmp_path: Path) -> Path:
    """An ``app.env`` holding `GOOD` (two valid lines and a comment)."""
    path = tmp_path / "app.env"
    path.write_text(GOOD)
    return path


def _cells(app: AmikaApp) -> list[list[str]]:
    table = import_dialog(app).query_one("#import-table", ReviewTable)
    return [list(table.cells(i)) for i in range(table.row_count)]


def test_env_like_names_and_path_completion(tmp_path: Path) -> None:
    assert is_env_like(Path(".env")) and is_env_like(Path(".env.local"))
    assert is_env_like(Path("prod.env")) and not is_env_like(Path("README.md"))
    (tmp_path / ".env.prod").write_text("A=1\n")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    assert complete_path(f"{tmp_path}/.e") == f"{tmp_path}/.env.prod"
    assert complete_path(f"{tmp_path}/s") == f"{tmp_path}/sub/"
    assert complete_path(f"{tmp_path}/zzz") is None


async def test_import_good_file_creates_and_updates(
    tenant: Tenant, tmp_path: Path, env: Path
) -> None:
    seed(tenant, [("API_TOKEN", "old", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        rows = _cells(app)
        assert [(r[0], r[1], r[3]) for r in rows] == [
            ("[x]", "DATABASE_URL", "create"),
            ("[x]", "API_TOKEN", "update"),
        ]
        assert rows[0][2] == mask_on_screen("postgres://db.example/app"), "values are masked"
        summary = str(dialog.query_one("#import-summary", Static).render())
        assert summary.startswith("1 to create, 1 to update")
        assert app.has_unpushed_edits
        push = await push_and_wait(pilot)
        assert push.report is not None and push.report.summary() == "1 created, 1 updated"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.id == "secrets-screen", "dialog closed")
        await wait_until(pilot, lambda: "DATABASE_URL" in visible_names(app), "table refreshed")
        assert stored(tenant) == {
            ("DATABASE_URL", "user"): "postgres://db.example/app",
            ("API_TOKEN", "user"): "token-value-123456789",
        }
        assert not app.has_unpushed_edits
        assert app.ui_config.last_import_dir == str(tmp_path.resolve())


async def test_bad_lines_are_listed_with_line_numbers(tenant: Tenant, tmp_path: Path) -> None:
    env = tmp_path / "bad.env"
    env.write_text(BAD)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        problems = str(dialog.query_one("#import-problems", Static).render())
        assert "line 2: error:" in problems
        assert "line 3: error:" in problems
        assert [r[1] for r in _cells(app)] == ["GOOD_ONE", "GOOD_TWO"]


async def test_unreadable_file_is_an_error_and_dialog_stays(tenant: Tenant, tmp_path: Path) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "dialog")
        await focused(pilot, "#import-path")
        import_dialog(app).query_one("#import-path", Input).value = str(tmp_path / "missing.env")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: any("does not exist" in text for text in notifications(app)), "error"
        )
        assert import_dialog(app).query_one("#import-path", Input).has_class("error")


async def test_mode_toggle_reparses_and_quoted_hint(tenant: Tenant, tmp_path: Path) -> None:
    env = tmp_path / "quoted.env"
    env.write_text(QUOTED)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        hint = dialog.query_one("#import-hint-button", Button)
        assert hint.display and "dotenv" in str(hint.label)
        await pilot.press("V")  # reveal all to see the parsed value
        await pilot.pause()
        assert _cells(app)[0][2] == '"inside-quotes"'
        await click(pilot, "#import-hint-button")
        await pilot.pause()
        assert not hint.display
        assert _cells(app)[0][2] == "inside-quotes"
        assert "dotenv" in str(dialog.query_one("#import-mode-button", Button).label)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert _cells(app)[0][2] == '"inside-quotes"'


async def test_reveal_one_row_and_mask_it_again(tenant: Tenant, env: Path) -> None:
    app = app_for(tenant)  # the real 30 s re-mask delay: nothing masks it behind our back
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, env)
        await pilot.press("v")
        await pilot.pause()
        assert _cells(app)[0][2] == "postgres://db.example/app"
        assert _cells(app)[1][2] != "token-value-123456789"
        await pilot.press("v")
        await pilot.pause()
        assert _cells(app)[0][2] == mask_on_screen("postgres://db.example/app")


async def test_revealed_values_are_masked_again_after_the_delay(tenant: Tenant, env: Path) -> None:
    timers = FakeTimers()
    app = app_for(tenant, timer=timers)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, env)
        await pilot.press("V")
        timers.advance(REMASK_SECONDS)
        masked = [
            mask_on_screen("postgres://db.example/app"),
            mask_on_screen("token-value-123456789"),
        ]
        await wait_until(pilot, lambda: [r[2] for r in _cells(app)] == masked, "re-mask")


async def test_deselect_rows_and_select_all_none(tenant: Tenant, env: Path) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        await pilot.press("space")  # first row off
        await pilot.pause()
        assert [r[0] for r in _cells(app)] == ["[ ]", "[x]"]
        await pilot.press("x")
        await pilot.pause()
        assert [r[0] for r in _cells(app)] == ["[ ]", "[ ]"]
        assert dialog.query_one("#import-push-button", Button).disabled
        await click(pilot, "#import-all-button")
        await pilot.pause()
        assert [r[0] for r in _cells(app)] == ["[x]", "[x]"]
        await click(pilot, "#import-table", offset=(1, 2))  # a click on the box toggles
        await pilot.pause()
        assert [r[0] for r in _cells(app)] == ["[x]", "[ ]"]
        await pilot.press("enter")  # so does enter
        await pilot.pause()
        assert [r[0] for r in _cells(app)] == ["[x]", "[x]"]
        await pilot.press("space")
        await pilot.pause()
        assert [r[0] for r in _cells(app)] == ["[x]", "[ ]"]
        await push_and_wait(pilot)
        assert stored(tenant) == {("DATABASE_URL", "user"): "postgres://db.example/app"}


async def test_scope_conflict_choice_and_target_scope(tenant: Tenant, env: Path) -> None:
    seed(tenant, [("API_TOKEN", "org-old", "org")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        conflict = _cells(app)[1]
        assert conflict[0] == "[ ]" and conflict[3] == "conflict → skip"
        assert "exists as an org-scoped secret" in conflict[4]
        await pilot.press("down", "space")
        await pilot.pause()
        assert _cells(app)[1][:4] == [
            "[x]",
            "API_TOKEN",
            _cells(app)[1][2],
            "conflict → update (org)",
        ]
        await push_and_wait(pilot)
        assert stored(tenant) == {
            ("DATABASE_URL", "user"): "postgres://db.example/app",
            ("API_TOKEN", "org"): "token-value-123456789",
        }
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.id == "secrets-screen", "closed")
        # target scope switch: everything planned into org now
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "dialog")
        dialog = import_dialog(app)
        dialog.load(env)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Into: org" in str(dialog.query_one("#import-scope-button", Button).label)
        assert [r[3] for r in _cells(app)] == ["conflict → skip", "update"]


async def test_push_with_faults_then_retry_failed(tenant: Tenant, tmp_path: Path) -> None:
    env = tmp_path / "many.env"
    env.write_text("".join(f"KEY_{i:02d}=value-{i:02d}-abcdefgh\n" for i in range(12)))
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, env)
        tenant.server.faults.fail_rate = 1.0
        push = await push_and_wait(pilot)
        assert push.report is not None and len(push.report.failed) == 12
        assert "failures" in str(push.query_one("#push-title", Static).render())
        results = push.query_one("#push-results", DataTable)
        first = [str(c) for c in results.get_row_at(0)]
        assert (first[0] == "failed" and "503" in first[3]) or "unavailable" in first[3].lower()
        assert app.has_unpushed_edits, "failed values are kept for a retry"
        tenant.server.faults.fail_rate = 0.0
        previous = push.report
        await click(pilot, "#push-retry")
        await wait_until(pilot, lambda: push.report is not previous and not push.running, "retry")
        assert push.report is not None and push.report.summary() == "12 created"
        assert len(stored(tenant)) == 12
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.id == "secrets-screen", "closed")
        await wait_until(pilot, lambda: len(visible_names(app)) == 12, "listed")


async def test_failed_push_keeps_the_dialog_and_choices(tenant: Tenant, env: Path) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        await pilot.press("down", "space")  # only DATABASE_URL
        tenant.server.faults.fail_rate = 1.0
        await push_and_wait(pilot)
        tenant.server.faults.fail_rate = 0.0
        await pilot.press("escape")  # close the result: back in the dialog, nothing lost
        await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog")
        assert [(r[0], r[3]) for r in _cells(app)] == [("[x]", "create"), ("[ ]", "skip")]
        assert app.has_unpushed_edits
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PushScreen), "second push")
        again = app.screen
        assert isinstance(again, PushScreen)
        await wait_until(pilot, lambda: again.report is not None, "second push finished")
        assert stored(tenant) == {("DATABASE_URL", "user"): "postgres://db.example/app"}


def test_tree_lists_env_files_first_and_hides_dot_entries(tmp_path: Path) -> None:
    from amika_tui.ui.widgets.env_picker import env_first

    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("README.md", ".git", ".env", "prod.env", "src"):
        (folder / name).mkdir() if name in (".git", "src") else (folder / name).write_text("")
    shown = [p.name for p in env_first(folder.iterdir())]
    assert shown == [".env", "prod.env", "src", "README.md"]


async def test_browse_and_pick_from_the_remembered_directory(
    tenant: Tenant, tmp_path: Path
) -> None:
    from amika_tui.ui.widgets.env_picker import EnvFileTree

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / ".env").write_text(GOOD)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.remember_import_dir(folder)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "dialog")
        tree = import_dialog(app).query_one(EnvFileTree)
        assert Path(tree.path) == folder, "opens where the last import was"
        tree.focus()
        await wait_until(pilot, lambda: len(tree.root.children) == 1, "directory listed")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: import_dialog(app).plan is not None, "picked from the tree")
        assert [r[1] for r in _cells(app)] == ["DATABASE_URL", "API_TOKEN"]


async def test_cursor_row_shows_its_full_note_and_keys(tenant: Tenant, env: Path) -> None:
    seed(tenant, [("API_TOKEN", "org-old", "org")])
    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_import(pilot, env)
        detail = dialog.query_one("#import-row-detail", Static)
        await pilot.press("down")
        await pilot.pause()
        text = str(detail.render())
        assert "API_TOKEN: line 2: API_TOKEN already exists as an org-scoped secret" in text
        assert "c conflict choice" in text and "space select" in text
        await pilot.press("up")
        await pilot.pause()
        assert "conflict" not in str(detail.render())


DIAGNOSED = (
    "DATABASE_URL=postgres://db.example/app\n"
    'NEW_TOKEN="quoted-token-value-0000"\n'
    "this line is broken\n"
    "GITHUB_TOKEN=ghp_fake_user_000000000000\n"
    "bad-name=value\n"
    "EMPTY=\n" + "".join(f"KEY_{i:02d}=value-{i:02d}\n" for i in range(30))
)


def _visible_rows(dialog: ImportEnvDialog) -> int:
    table = dialog.query_one("#import-table", ReviewTable)
    return min(table.row_count, table.scrollable_content_region.height - 1)  # minus the header


@pytest.mark.parametrize(("size", "rows"), [((80, 24), 10), ((120, 40), 10)])
async def test_diagnostics_fold_into_one_line_so_the_rows_keep_the_room(
    tenant: Tenant, tmp_path: Path, size: tuple[int, int], rows: int
) -> None:
    env = tmp_path / "diagnosed.env"
    env.write_text(DIAGNOSED)
    app = app_for(tenant)
    async with app.run_test(size=size) as pilot:
        dialog = await open_import(pilot, env)
        await pilot.pause()
        summary = dialog.query_one("#import-problems-button", Button)
        assert str(summary.label) == "▸ 2 lines not imported (errors), 1 warning (d shows)"
        assert not dialog.query_one("#import-problems").display
        assert _visible_rows(dialog) >= rows
        width, height = size
        for widget in (
            *dialog.query("#import-options Button"),
            *dialog.query(".dialog-buttons Button"),
        ):
            if widget.display:
                assert widget.region.right <= width - 1 and widget.region.bottom <= height
        await pilot.press("d")
        await pilot.pause()
        problems = str(dialog.query_one("#import-problems", Static).render())
        assert "line 3: error: expected KEY=VALUE" in problems and "line 6: warning" in problems
        assert str(summary.label).startswith("▾") and _visible_rows(dialog) >= 4
        await click(pilot, "#import-problems-button")
        await pilot.pause()
        assert not dialog.query_one("#import-problems").display


async def test_the_parse_mode_is_remembered_between_imports(tenant: Tenant, tmp_path: Path) -> None:
    env = tmp_path / "quoted.env"
    env.write_text(QUOTED)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: dialog.mode.value == "dotenv", "dotenv mode")
        mode = dialog.query_one("#import-mode-button", Button)
        await pilot.pause()
        assert str(mode.label) == "Mode: dotenv (ctrl+t)"
        assert mode.content_region.width >= len(str(mode.label)), "the longer label fits"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ImportEnvDialog), "closed")
        dialog = await open_import(pilot, env)
        assert dialog.mode.value == "dotenv", "the next import starts in the mode last used"
        assert _cells(app)[0][1] == "QUOTED_VALUE"
    later = app_for(tenant)  # and the next run of the app too
    async with later.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        assert dialog.mode.value == "dotenv"


async def test_reveal_all_still_reveals_every_row_after_a_re_parse(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "exported.env"
    env.write_text("export EXPORTED=exported-value-0000\nPLAIN=plain-value-00000\n")
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        if dialog.mode.value != "amika":
            await pilot.press("ctrl+t")
        await pilot.press("V")
        await pilot.pause()
        assert [r[2] for r in _cells(app)] == ["exported-value-0000", "plain-value-00000"]
        await pilot.press("ctrl+t")  # dotenv: the first key is now EXPORTED, not "export ..."
        await pilot.pause()
        assert [(r[1], r[2]) for r in _cells(app)] == [
            ("EXPORTED", "exported-value-0000"),
            ("PLAIN", "plain-value-00000"),
        ]
        assert "Mask all" in str(dialog.query_one("#import-reveal-button", Button).label)
        await pilot.press("V")
        await pilot.pause()
        assert [r[2] for r in _cells(app)] == ["expo********", "plai********"]


async def test_a_conflict_can_create_a_second_secret_and_the_scope_toggle_keeps_the_choice(
    tenant: Tenant, env: Path
) -> None:
    seed(tenant, [("API_TOKEN", "org-old", "org")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        await pilot.press("down", "c", "c")
        await pilot.pause()
        row = _cells(app)[1]
        assert row[0] == "[x]" and row[3] == "conflict → create (user)"
        assert "two secrets named API_TOKEN will exist (user and org)" in row[4]
        detail = str(dialog.query_one("#import-row-detail", Static).render())
        assert "two secrets named API_TOKEN will exist" in detail
        await pilot.press("ctrl+g")  # into org: there it is a plain update
        await pilot.pause()
        assert _cells(app)[1][3] == "update"
        await pilot.press("ctrl+g")  # back: the choice made with c is still there
        await pilot.pause()
        assert _cells(app)[1][3] == "conflict → create (user)"
        await push_and_wait(pilot)
        assert stored(tenant) == {
            ("DATABASE_URL", "user"): "postgres://db.example/app",
            ("API_TOKEN", "user"): "token-value-123456789",
            ("API_TOKEN", "org"): "org-old",
        }


async def test_rows_the_server_would_refuse_are_marked_with_the_reason_in_view(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "refused.env"
    long_name = "N" * 300
    env.write_text(f"{long_name}=x\n9LIVES=x\nFINE=ok\n")
    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_import(pilot, env)
        rows = _cells(app)
        assert [(r[0], r[3]) for r in rows] == [
            (" - ", "invalid"),
            (" - ", "invalid"),
            ("[x]", "create"),
        ]
        assert rows[0][1] == "N" * 39 + "…", "a long key is cut, so the columns stay"
        detail = dialog.query_one("#import-row-detail", Static)
        assert "the name is longer than 256 characters" in str(detail.render())
        assert detail.region.bottom <= 24 and detail.region.right <= 80
        await pilot.press("down")
        await pilot.pause()
        assert "not a valid environment variable name: it starts with a digit" in str(
            detail.render()
        )


async def test_a_5000_line_import_toggles_one_row_and_selects_none_and_all(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "big.env"
    env.write_text("".join(f"KEY_{i:05d}=value-{i:05d}\n" for i in range(5_000)))
    seed(tenant, [(f"KEY_{i:05d}", "old", "user") for i in range(0, 5_000, 10)])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        before = _cells(app)
        assert len(before) == 5_000 and before[2501][:2] == ["[x]", "KEY_02501"]
        pushed = [item.name for item in dialog.plan.items()] if dialog.plan else []
        dialog.table.cursor_row = 2501
        await pilot.press("space")
        await pilot.pause()
        after = _cells(app)
        assert [i for i in range(5_000) if after[i] != before[i]] == [2501]
        assert after[2501][0] == "[ ]" and after[2501][3] == "skip"
        assert dialog.plan is not None
        assert [item.name for item in dialog.plan.items()] == [
            name for name in pushed if name != "KEY_02501"
        ]
        summary = dialog.query_one("#import-summary", Static)
        assert "4999 selected to push" in str(summary.render())
        await pilot.press("x")
        await pilot.pause()
        assert {row[0] for row in _cells(app)} == {"[ ]"}
        assert dialog.query_one("#import-push-button", Button).disabled
        await pilot.press("a")
        await pilot.pause()
        assert _cells(app) == before
        assert [item.name for item in dialog.plan.items()] == pushed


async def test_a_5000_line_preview_draws_the_rows_in_view_wherever_the_cursor_goes(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "big.env"
    env.write_text("".join(f"KEY_{i:05d}=value-{i:05d}-abcdefghijkl\n" for i in range(5_000)))
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        await wait_until(pilot, lambda: "[x]  KEY_00000" in screen_text(app), "the first rows")
        assert "KEY_04999" not in screen_text(app)
        await pilot.press("end")
        await wait_until(pilot, lambda: "[x]  KEY_04999" in screen_text(app), "the last row")
        assert "KEY_00000" not in screen_text(app)
        detail = dialog.query_one("#import-row-detail", Static)
        assert str(detail.render()).startswith("KEY_04999: line 5000")
        await pilot.press("space")
        await wait_until(pilot, lambda: "[ ]  KEY_04999" in screen_text(app), "unticked on screen")
        table = dialog.table
        top = int(table.scroll_y)
        await click(pilot, "#import-table", offset=(1, 1))  # the tick of the top row in view
        await wait_until(pilot, lambda: table.cursor_row == top, "the cursor on the clicked row")
        assert dialog.plan is not None
        assert [r.key for r in dialog.plan.rows if not r.selected] == [
            f"KEY_{top:05d}",
            "KEY_04999",
        ]
        assert f"[ ]  KEY_{top:05d}" in screen_text(app)
        assert "value-0" not in screen_text(app), "values stay masked"
        await pilot.press("home")
        await wait_until(pilot, lambda: "[x]  KEY_00000" in screen_text(app), "back at the top")


async def test_a_revealed_value_sends_no_control_character_to_the_terminal(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "control.env"
    env.write_bytes(b"TABBED=left\tright-0000000000\nESCAPED=\x1b[31mred-000000000000\n")
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, env)
        await pilot.press("V")
        await wait_until(pilot, lambda: "left right-0000000000" in screen_text(app), "revealed")
        assert [r[2] for r in _cells(app)] == ["left right-0000000000", " [31mred-000000000000"]
        assert "\x1b" not in screen_text(app) and "\t" not in screen_text(app)
