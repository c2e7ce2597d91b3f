"""`amika-tui push` as a user runs it: a subprocess against the reference server.

Each run starts a Python process, so the cases are few and each checks a whole scenario.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from amika_tui.cli import main
from tests.conftest import Tenant
from tests.sync.conftest import stored_values

# Long enough that the mask keeps its first and last 4 characters: the middle must never show.
NEW = "new-value-MIDDLE-0001-end"
UPDATED = "upd-value-MIDDLE-0002-end"
CONFLICT = "cfl-value-MIDDLE-0003-end"
BAD = "bad-value-MIDDLE-0004-end"
VALUES = (NEW, UPDATED, CONFLICT, BAD)
HANG_GUARD_S = 120


def push(
    tenant: Tenant | None,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `amika-tui push ARGS` signed in as ``tenant`` (None: with no credentials)."""
    child_env = dict(os.environ)
    if tenant is not None:
        child_env |= {"AMIKA_API_URL": tenant.url, "AMIKA_API_KEY": tenant.api_key}
    return subprocess.run(
        [sys.executable, "-m", "amika_tui", "push", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=child_env | (env or {}),
        timeout=HANG_GUARD_S,
        check=False,
    )


def assert_no_value(*texts: str) -> None:
    for text in texts:
        for value in VALUES:
            assert "MIDDLE" not in text, "a value's middle was printed"
            assert value not in text


def writes(tenant: Tenant) -> list[int]:
    return tenant.statuses("POST") + tenant.statuses("PUT")


def test_dry_run_shows_every_kind_of_row_and_the_drift_and_writes_nothing(
    tenant: Tenant, tmp_path: Path
) -> None:
    tenant.server.seed_secrets(
        tenant.api_key,
        [("UPDATE_ME", "old", "user"), ("ORG_ONLY", "old", "org"), ("LEFT_ALONE", "old", "user")],
    )
    long_name = "L" * 257
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"NEW_ONE={NEW}\nUPDATE_ME={UPDATED}\nORG_ONLY={CONFLICT}\n1BAD={BAD}\n{long_name}=x\n"
    )
    before = stored_values(tenant)

    done = push(tenant, "--from-file", str(env_file), "--dry-run")

    assert done.returncode == 1, done.stderr  # a conflict and invalid rows: not clean
    rows = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert rows["SECRET"].split() == ["SECRET", "VALUE", "ACTION", "FROM", "DETAIL"]
    assert "new-********-end  create" in rows["NEW_ONE"] and f"{env_file}:1" in rows["NEW_ONE"]
    assert " update " in rows["UPDATE_ME"]
    assert "remote updated 20" in rows["UPDATE_ME"] and rows["UPDATE_ME"].endswith("Z")
    assert " scope conflict " in rows["ORG_ONLY"]
    assert "exists in org scope only" in rows["ORG_ONLY"] and "use --scope org" in rows["ORG_ONLY"]
    assert " invalid " in rows["1BAD"] and "not a valid environment variable" in rows["1BAD"]
    assert "longer than 256 characters" in rows[long_name]
    assert "Left as is: 1 secret(s) in user scope that are not in the input" in done.stdout
    assert rows["LEFT_ALONE"].startswith("  LEFT_ALONE  updated ")
    assert "Dry run: nothing was written." in done.stdout
    assert_no_value(done.stdout, done.stderr)
    assert writes(tenant) == [] and stored_values(tenant) == before


def test_json_push_follows_the_cli_precedence_and_never_holds_a_value(
    tenant: Tenant, tmp_path: Path
) -> None:
    tenant.server.seed_secrets(tenant.api_key, [("FROM_ARG", "old", "user")])
    env_file = tmp_path / ".env"
    env_file.write_text(f"FROM_FILE={NEW}\nFROM_ARG=file\nFROM_ENV=file\n")

    done = push(
        tenant,
        "--from-file",
        str(env_file),
        f"FROM_ARG={UPDATED}",
        "FROM_ENV=argument",
        "--from-env",
        "FROM_ENV",
        "--yes",
        "--json",
        env={"FROM_ENV": CONFLICT},
    )

    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [row["from"] for row in document["plan"]["rows"]] == [
        f"{env_file}:1",
        "argument 1",
        "$FROM_ENV",
    ]
    assert document["report"] == {
        "created": ["FROM_FILE", "FROM_ENV"],
        "updated": ["FROM_ARG"],
        "skipped": [],
        "failed": [],
        "cancelled": False,
    }
    assert document["exit_status"] == 0
    assert "Pushed 3 of 3 secret(s): 2 created, 1 updated, 0 skipped, 0 failed." in done.stderr
    assert_no_value(done.stdout, done.stderr)
    assert stored_values(tenant) == {
        ("user", "FROM_FILE"): NEW,
        ("user", "FROM_ARG"): UPDATED,
        ("user", "FROM_ENV"): CONFLICT,
    }


def test_a_malformed_file_pushes_nothing_and_lists_every_bad_line(
    tenant: Tenant, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"GOOD={NEW}\n{BAD}\nALSO_GOOD=x\n={UPDATED}\n")

    done = push(tenant, "--from-file", str(env_file), "--yes", "--json")

    assert done.returncode == 2
    assert f"{env_file}:2: error: expected KEY=VALUE" in done.stderr
    assert f"{env_file}:4: error: expected KEY=VALUE" in done.stderr
    assert "nothing was pushed" in done.stderr
    document = json.loads(done.stdout)
    assert document["exit_status"] == 2 and len(document["problems"]) == 2
    assert_no_value(done.stdout, done.stderr)
    assert tenant.statuses("GET") == [] and stored_values(tenant) == {}


def test_stdin_input_needs_yes_without_a_terminal_and_a_clean_dry_run_exits_0(
    tenant: Tenant,
) -> None:
    refused = push(tenant, f"ASKED={NEW}")  # stdin is /dev/null: nobody can answer
    assert refused.returncode == 2
    assert "not a terminal" in refused.stderr and "--yes" in refused.stderr

    pushed = push(tenant, "--from-file", "-", "--yes", stdin=f"PIPED={NEW}\n")
    assert pushed.returncode == 0, pushed.stderr
    assert "  created  PIPED" in pushed.stdout

    again = push(tenant, "--from-file", "-", "--dry-run", stdin=f"PIPED={UPDATED}\n")
    assert again.returncode == 0, again.stderr
    assert " update " in again.stdout
    assert_no_value(refused.stderr, pushed.stdout, pushed.stderr, again.stdout, again.stderr)
    assert stored_values(tenant) == {("user", "PIPED"): NEW}


def test_not_signed_in_and_a_refused_key_exit_3(tenant: Tenant) -> None:
    nobody = push(None, f"X={NEW}", "--yes")
    assert nobody.returncode == 3
    assert "not signed in" in nobody.stderr

    refused = push(tenant, f"X={NEW}", "--yes", env={"AMIKA_API_KEY": "amk_not-a-key"})
    assert refused.returncode == 3
    assert "refused the credentials" in refused.stderr and "invalid_api_key" in refused.stderr
    assert stored_values(tenant) == {}


def test_on_a_terminal_it_asks_then_reports_each_failure_and_exits_1(tenant: Tenant) -> None:
    env = dict(os.environ) | {"AMIKA_API_URL": tenant.url, "AMIKA_API_KEY": tenant.api_key}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "amika_tui", "push", f"A={NEW}", f"B={NEW}", f"C={NEW}"],
        env=env,
        timeout=HANG_GUARD_S,
        encoding="utf-8",
    )
    try:
        child.expect_exact("Push 3 secret(s) to remote store? [y/N] ")
        # The plan is listed; now every key may send one request, the rest get a 429 asking
        # to wait far longer than any client waits.
        tenant.server.faults.rate_limit = 0.001
        child.sendline("y")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    output = child.before or ""
    assert child.exitstatus == 1, output
    assert "Pushed 1 of 3 secret(s): 1 created, 0 updated, 0 skipped, 2 failed." in output
    assert output.count("rate_limited: ") == 2
    assert_no_value(output)
    assert len(stored_values(tenant)) == 1


def test_help_warns_that_arguments_land_in_shell_history(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["push", "--help"])
    assert ended.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "land in your shell history" in text
    assert "--from-env" in text and "--from-file - (standard input)" in text
