"""`amika-tui extract` prints exactly what `amika auth extract` prints for the same home."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.homes import claude_json
from tests.discovery.conftest import Extract, Home, fill


def anthropic(value: str) -> list[str]:
    return [f"ANTHROPIC_API_KEY='{value}'", f"CLAUDE_API_KEY='{value}'"]


def openai(value: str) -> list[str]:
    return [f"CODEX_API_KEY='{value}'", f"OPENAI_API_KEY='{value}'"]


def text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in sorted(lines))


CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    # claude_api: path order, field order, sk-ant- prefix, trimming
    "claude_api_field_order_across_files": (
        {
            ".claude.json.api": {"apiKey": "not-anthropic"},
            ".claude.json": {
                "primaryApiKey": "",
                "apiKey": "sk-ant-file2",
                "anthropicApiKey": "sk-ant-file2-alt",
            },
        },
        anthropic("sk-ant-file2"),
    ),
    "claude_api_json_api_file_first": (
        {".claude.json.api": {"customApiKey": "sk-ant-a"}, ".claude.json": {"apiKey": "sk-ant-b"}},
        anthropic("sk-ant-a"),
    ),
    "claude_api_null_field_falls_through": (
        {".claude.json": {"primaryApiKey": None, "apiKey": "sk-ant-live"}},
        anthropic("sk-ant-live"),
    ),
    "claude_api_non_sk_ant_ignored": (
        {".claude.json": {"primaryApiKey": "sk-proj-x", "apiKey": "ANTHROPIC", "x": "sk-ant-no"}},
        [],
    ),
    "claude_api_value_trimmed_before_prefix_check": (
        {".claude.json": {"apiKey": "  sk-ant-padded\n"}},
        anthropic("sk-ant-padded"),
    ),
    # claude_oauth: expiry in both formats
    "oauth_rfc3339_future": (
        {
            ".claude-oauth-credentials.json": '{"claudeAiOauth":{"accessToken":"live",'
            '"expiresAt":"{future_rfc}"}}'
        },
        anthropic("live"),
    ),
    "oauth_rfc3339_with_offset_future": (
        {
            ".claude-oauth-credentials.json": '{"claudeAiOauth":{"accessToken":"live",'
            '"expiresAt":"{future_offset}"}}'
        },
        anthropic("live"),
    ),
    "oauth_rfc3339_past": (
        {
            ".claude-oauth-credentials.json": '{"claudeAiOauth":{"accessToken":"old",'
            '"expiresAt":"{past_rfc}"}}'
        },
        [],
    ),
    "oauth_epoch_ms_future": (
        {
            ".claude/.credentials.json": '{"claudeAiOauth":{"accessToken":"live",'
            '"expiresAt":{future_ms}}}'
        },
        anthropic("live"),
    ),
    "oauth_epoch_ms_past": (
        {
            ".claude/.credentials.json": '{"claudeAiOauth":{"accessToken":"old",'
            '"expiresAt":{past_ms}}}'
        },
        [],
    ),
    "oauth_missing_expiry": (
        {".claude/.credentials.json": {"claudeAiOauth": {"accessToken": "forever"}}},
        anthropic("forever"),
    ),
    "oauth_null_expiry": (
        {".claude/.credentials.json": {"claudeAiOauth": {"accessToken": "t", "expiresAt": None}}},
        anthropic("t"),
    ),
    "oauth_empty_string_expiry": (
        {".claude/.credentials.json": {"claudeAiOauth": {"accessToken": "t", "expiresAt": " "}}},
        anthropic("t"),
    ),
    "oauth_expired_first_file_falls_to_second": (
        {
            ".claude/.credentials.json": '{"claudeAiOauth":{"accessToken":"old",'
            '"expiresAt":{past_ms}}}',
            ".claude-oauth-credentials.json": {"claudeAiOauth": {"accessToken": "second"}},
        },
        anthropic("second"),
    ),
    "oauth_null_token_ignored": (
        {".claude-oauth-credentials.json": {"claudeAiOauth": {"accessToken": None}}},
        [],
    ),
    # codex
    "codex_api_key_beats_oauth": (
        {".codex/auth.json": {"OPENAI_API_KEY": "codex-api", "tokens": {"access_token": "o"}}},
        openai("codex-api"),
    ),
    "codex_null_api_key_falls_back_to_oauth": (
        {".codex/auth.json": {"OPENAI_API_KEY": None, "tokens": {"access_token": "codex-oauth"}}},
        openai("codex-oauth"),
    ),
    "codex_null_tokens_ignored": ({".codex/auth.json": {"tokens": None}}, []),
    # Amika's own files under the (overridden) home
    "amika_xdg_files_and_priorities": (
        {
            ".cache/amika/env-cache.json": {
                "OPENAI_API_KEY": "cache-openai",
                "GROQ_API_KEY": "cache-groq",
            },
            ".local/share/amika/keychain.json": {
                "OPENAI_API_KEY": "keychain-openai",
                "ANTHROPIC_API_KEY": "keychain-anth",
            },
            ".local/state/amika/oauth.json": {"OPENAI_API_KEY": "o", "XAI_API_KEY": "oauth-xai"},
        },
        [
            *anthropic("keychain-anth"),
            *openai("cache-openai"),
            "GROQ_API_KEY='cache-groq'",
            "XAI_API_KEY='oauth-xai'",
        ],
    ),
    "amika_aliases_and_odd_keys": (
        {
            ".cache/amika/env-cache.json": {
                "CLAUDE_API_KEY": "via-claude",
                "codex_api_key": "via-codex",
                " my-tool_API_KEY ": " spaced ",
                "Mistral.AI_API_KEY": "dot-not-allowed",
                "PLAIN_TOKEN": "no-suffix",
                "NUMBER_API_KEY": 42,
                "A__B_API_KEY": "double",
            }
        },
        [
            *anthropic("via-claude"),
            *openai("via-codex"),
            "MY_TOOL_API_KEY='spaced'",
            "A_B_API_KEY='double'",
        ],
    ),
    "amika_anthropic_key_sorts_before_claude_key": (
        {".cache/amika/env-cache.json": {"CLAUDE_API_KEY": "c", "ANTHROPIC_API_KEY": "a"}},
        anthropic("a"),
    ),
    # opencode
    "opencode_entries_and_expiry": (
        {
            ".local/share/opencode/auth.json": (
                '{"anthropic": {"type": "api", "key": "op-anth"},'
                ' "openai": {"type": "oauth", "access": "op-open", "expires": {future_ms}},'
                ' "groq": {"type": "API", "key": "op-groq"},'
                ' "xai": {"type": "oauth", "access": "expired", "expires": {past_ms}},'
                ' "mistral": {"type": "oauth", "access": "no-expiry", "expires": null},'
                ' "nothing": null, "weird": {"type": "wellknown", "key": "k"}}'
            )
        },
        [
            *anthropic("op-anth"),
            *openai("op-open"),
            "GROQ_API_KEY='op-groq'",
            "MISTRAL_API_KEY='no-expiry'",
        ],
    ),
    "opencode_canonicalises_odd_names_twice": (
        {
            ".local/share/opencode/auth.json": {
                "Claude": {"type": "api", "key": "from-claude"},
                "Codex": {"type": "api", "key": "from-codex"},
                "my.provider/x y": {"type": "api", "key": "odd"},
                "--edge--": {"type": "api", "key": "trimmed"},
                "a__b": {"type": "api", "key": "double-underscore"},
            }
        },
        [
            *anthropic("from-claude"),
            *openai("from-codex"),
            "MY_PROVIDER_X_Y_API_KEY='odd'",
            "EDGE_API_KEY='trimmed'",
            "A_B_API_KEY='double-underscore'",
        ],
    ),
    "opencode_first_sorted_name_wins_within_file": (
        {
            ".local/share/opencode/auth.json": {
                "openai": {"type": "api", "key": "second"},
                "codex": {"type": "api", "key": "third"},
                "OpenAI": {"type": "api", "key": "first"},
            }
        },
        openai("first"),
    ),
    # amp
    "amp_field_order": (
        {".amp/config.json": {"token": "amp-token", "anthropic_api_key": "amp-priority"}},
        anthropic("amp-priority"),
    ),
    # priorities across sources
    "priority_resolution": (
        {
            ".amp/config.json": {"token": "amp-token"},
            ".local/share/opencode/auth.json": {
                "anthropic": {"type": "api", "key": "op-anth"},
                "openai": {"type": "api", "key": "op-open"},
            },
            ".codex/auth.json": {"OPENAI_API_KEY": "codex-open"},
            ".claude-oauth-credentials.json": {"claudeAiOauth": {"accessToken": "claude-oauth"}},
            ".claude.json": {"apiKey": "sk-ant-claude-api"},
        },
        [*anthropic("sk-ant-claude-api"), *openai("codex-open")],
    ),
    "oauth_beats_codex_file_for_anthropic_only": (
        {
            ".claude/.credentials.json": {"claudeAiOauth": {"accessToken": "claude-oauth"}},
            ".amp/config.json": {"apiKey": "amp-key"},
            ".cache/amika/env-cache.json": {"OPENAI_API_KEY": "cached"},
        },
        [*anthropic("claude-oauth"), *openai("cached")],
    ),
    "quotes_inside_values": (
        {".claude.json": {"apiKey": 'sk-ant-it\'s "q" $HOME `x`'}},
        [
            "ANTHROPIC_API_KEY='sk-ant-it'\\''s \"q\" $HOME `x`'",
            "CLAUDE_API_KEY='sk-ant-it'\\''s \"q\" $HOME `x`'",
        ],
    ),
}


@pytest.mark.parametrize(("files", "lines"), CASES.values(), ids=CASES.keys())
def test_output_matches_upstream(
    home: Home, extract: Extract, files: dict[str, Any], lines: list[str]
) -> None:
    home.files(files)
    result = extract()
    assert (result.code, result.err) == (0, "")
    assert result.out == text(lines)


@pytest.mark.parametrize(
    "field",
    [
        "anthropicApiKey",
        "anthropic_api_key",
        "apiKey",
        "api_key",
        "accessToken",
        "access_token",
        "token",
        "auth.anthropicApiKey",
        "auth.apiKey",
        "auth.token",
        "anthropic.apiKey",
        "anthropic.token",
    ],
)
def test_every_amp_field_path(home: Home, extract: Extract, field: str) -> None:
    outer, _, inner = field.rpartition(".")
    doc: dict[str, Any] = {inner: "amp-value"}
    if outer:
        doc = {outer: doc}
    home.write(".amp/config.json", doc)
    assert extract().out == text(anthropic("amp-value"))


@pytest.mark.parametrize("field", ["primaryApiKey", "apiKey", "anthropicApiKey", "customApiKey"])
@pytest.mark.parametrize("file", [".claude.json.api", ".claude.json"])
def test_every_claude_api_field_and_file(
    home: Home, extract: Extract, file: str, field: str
) -> None:
    home.write(file, {field: "sk-ant-" + field})
    assert extract().out == text(anthropic("sk-ant-" + field))


def test_export_prefixes_every_line(home: Home, extract: Extract) -> None:
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "sk-o"})
    home.write(".cache/amika/env-cache.json", {"GROQ_API_KEY": "g"})
    assert extract("--export").out == (
        "export CODEX_API_KEY='sk-o'\nexport GROQ_API_KEY='g'\nexport OPENAI_API_KEY='sk-o'\n"
    )


def test_nothing_found_prints_nothing_and_succeeds(extract: Extract) -> None:
    result = extract()
    assert (result.code, result.out, result.err) == (0, "", "")


def test_no_oauth_skips_oauth_sources_and_entries(home: Home, extract: Extract) -> None:
    home.files(
        {
            ".claude/.credentials.json": {"claudeAiOauth": {"accessToken": "claude-oauth"}},
            ".codex/auth.json": {"tokens": {"access_token": "codex-oauth"}},
            ".local/state/amika/oauth.json": {"XAI_API_KEY": "oauth-xai"},
            ".local/share/opencode/auth.json": {
                "groq": {"type": "oauth", "access": "op-oauth"},
                "mistral": {"type": "api", "key": "op-api"},
            },
            ".amp/config.json": {"accessToken": "amp-token"},
        }
    )
    assert extract().out == text(
        [
            *anthropic("claude-oauth"),
            *openai("codex-oauth"),
            "GROQ_API_KEY='op-oauth'",
            "MISTRAL_API_KEY='op-api'",
            "XAI_API_KEY='oauth-xai'",
        ]
    )
    assert extract("--no-oauth").out == text([*anthropic("amp-token"), "MISTRAL_API_KEY='op-api'"])


def test_no_oauth_ignores_broken_oauth_only_fields(home: Home, extract: Extract) -> None:
    # Upstream never reads these with OAuth off, so their bad types are no error.
    home.write(".claude/.credentials.json", "{broken")
    home.write(".codex/auth.json", {"tokens": {"access_token": 7}})
    home.write(".local/share/opencode/auth.json", {"x": {"type": "oauth", "access": 1}})
    result = extract("--no-oauth")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_xdg_variables_override_the_home_layout(
    home: Home, extract: Extract, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(elsewhere / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(elsewhere / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(elsewhere / "state"))
    home.write(".cache/amika/env-cache.json", {"IGNORED_API_KEY": "not-read"})
    for part, key in (("cache", "A"), ("data", "B"), ("state", "C")):
        target = elsewhere / part / "amika"
        target.mkdir(parents=True)
        name = {"cache": "env-cache.json", "data": "keychain.json", "state": "oauth.json"}[part]
        (target / name).write_text(f'{{"{key}_API_KEY": "{part}"}}')
    assert extract().out == "A_API_KEY='cache'\nB_API_KEY='data'\nC_API_KEY='state'\n"


def test_home_directory_defaults_to_HOME(home: Home, extract: Extract) -> None:
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "from-home"})
    assert extract(homedir=False).out == text(openai("from-home"))


def test_missing_HOME_is_upstreams_error(extract: Extract, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOME")
    result = extract(homedir=False)
    assert (result.code, result.out) == (1, "")
    assert result.err == "failed to get home directory: $HOME is not defined\n"


ERRORS: dict[str, tuple[str, str, str]] = {
    "invalid_json": (
        ".claude.json",
        "{not-json}",
        'claude_api discovery failed: failed to parse credentials file "{home}/.claude.json": '
        "invalid character 'n' looking for beginning of object key string",
    ),
    "empty_file": (
        ".codex/auth.json",
        "",
        'codex discovery failed: failed to parse credentials file "{home}/.codex/auth.json": '
        "unexpected end of JSON input",
    ),
    "truncated_literal": (
        ".amp/config.json",
        '{"token": tru',
        'amp discovery failed: failed to parse credentials file "{home}/.amp/config.json": '
        "invalid character ' ' in literal true (expecting 'e')",
    ),
    "json_array": (
        ".claude.json",
        '["sk-ant-x"]',
        'claude_api discovery failed: failed to parse credentials file "{home}/.claude.json": '
        "expected JSON object",
    ),
    "json_null": (
        ".cache/amika/env-cache.json",
        "null",
        "amika_env_cache discovery failed: failed to parse credentials file "
        '"{home}/.cache/amika/env-cache.json": expected JSON object',
    ),
    "number_where_string_belongs": (
        ".claude.json",
        '{"primaryApiKey": 12345, "apiKey": "sk-ant-never-reached"}',
        'claude_api discovery failed: failed to parse credentials file "{home}/.claude.json": '
        'path "primaryApiKey" must be a string',
    ),
    "path_through_non_object": (
        ".claude/.credentials.json",
        '{"claudeAiOauth": "flat"}',
        "claude_oauth discovery failed: failed to parse credentials file "
        '"{home}/.claude/.credentials.json": path "claudeAiOauth.accessToken" expects an '
        'object at "claudeAiOauth"',
    ),
    "amp_path_through_array": (
        ".amp/config.json",
        '{"auth": ["x"]}',
        'amp discovery failed: failed to parse credentials file "{home}/.amp/config.json": '
        'path "auth.anthropicApiKey" expects an object at "auth"',
    ),
    "expiry_not_rfc3339": (
        ".claude-oauth-credentials.json",
        '{"claudeAiOauth": {"accessToken": "x", "expiresAt": "not-rfc3339"}}',
        "claude_oauth discovery failed: failed to parse credentials file "
        '"{home}/.claude-oauth-credentials.json": invalid claudeAiOauth.expiresAt: parsing '
        'time "not-rfc3339" as "2006-01-02T15:04:05Z07:00": cannot parse "not-rfc3339" as '
        '"2006"',
    ),
    "expiry_boolean": (
        ".claude-oauth-credentials.json",
        '{"claudeAiOauth": {"accessToken": "x", "expiresAt": true}}',
        "claude_oauth discovery failed: failed to parse credentials file "
        '"{home}/.claude-oauth-credentials.json": invalid claudeAiOauth.expiresAt: must be '
        "numeric epoch millis",
    ),
    "expiry_fractional_ms": (
        ".claude/.credentials.json",
        '{"claudeAiOauth": {"accessToken": "x", "expiresAt": 1.5}}',
        "claude_oauth discovery failed: failed to parse credentials file "
        '"{home}/.claude/.credentials.json": invalid claudeAiOauth.expiresAt: must be an '
        "integer epoch millis",
    ),
    "opencode_provider_not_object": (
        ".local/share/opencode/auth.json",
        '{"openai": "sk-flat"}',
        "opencode discovery failed: failed to parse credentials file "
        '"{home}/.local/share/opencode/auth.json": provider "openai" must be an object',
    ),
    "opencode_bad_expires": (
        ".local/share/opencode/auth.json",
        '{"openai": {"type": "oauth", "access": "x", "expires": "bad"}}',
        "opencode discovery failed: failed to parse credentials file "
        '"{home}/.local/share/opencode/auth.json": invalid expires for provider "openai": '
        "must be numeric epoch millis",
    ),
    "opencode_type_not_string": (
        ".local/share/opencode/auth.json",
        '{"groq": {"type": 1}}',
        "opencode discovery failed: failed to parse credentials file "
        '"{home}/.local/share/opencode/auth.json": path "type" must be a string',
    ),
    "codex_key_not_string": (
        ".codex/auth.json",
        '{"OPENAI_API_KEY": {"nested": true}}',
        'codex discovery failed: failed to parse credentials file "{home}/.codex/auth.json": '
        'path "OPENAI_API_KEY" must be a string',
    ),
    "nesting_past_gos_limit_of_10000": (
        ".claude.json",
        '{"n": ' + "[" * 10000 + "]" * 10000 + "}",
        'claude_api discovery failed: failed to parse credentials file "{home}/.claude.json": '
        "invalid character '[' exceeded max depth",
    ),
    "number_too_big_for_float64": (
        ".cache/amika/env-cache.json",
        '{"X_API_KEY": "x", "n": 1e999}',
        "amika_env_cache discovery failed: failed to parse credentials file "
        '"{home}/.cache/amika/env-cache.json": json: cannot unmarshal number 1e999 into Go '
        "value of type float64",
    ),
}


@pytest.mark.parametrize(("rel", "content", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_malformed_file_fails_like_upstream(
    home: Home, extract: Extract, rel: str, content: str, message: str
) -> None:
    # Another source holds a good credential: upstream still prints nothing at all.
    if rel.startswith(".codex"):
        home.write(".amp/config.json", {"token": "fine"})
    else:
        home.write(".codex/auth.json", {"OPENAI_API_KEY": "fine"})
    home.write(rel, content)
    result = extract()
    assert (result.code, result.out) == (1, "")
    assert result.err == fill(message, home.path) + "\n"


def test_directory_where_a_file_belongs(home: Home, extract: Extract) -> None:
    (home.path / ".claude.json").mkdir()
    result = extract()
    assert (result.code, result.out) == (1, "")
    assert result.err == fill(
        'claude_api discovery failed: failed to read credentials file "{home}/.claude.json": '
        "read {home}/.claude.json: is a directory\n",
        home.path,
    )


def test_file_where_a_directory_belongs(home: Home, extract: Extract) -> None:
    home.write(".codex", "not a directory")
    result = extract()
    assert result.err == fill(
        'codex discovery failed: failed to read credentials file "{home}/.codex/auth.json": '
        "open {home}/.codex/auth.json: not a directory\n",
        home.path,
    )


def test_first_error_in_scan_order_wins(home: Home, extract: Extract) -> None:
    home.write(".amp/config.json", "[")
    home.write(".codex/auth.json", "[")
    assert extract().err.startswith("codex discovery failed:")


def test_errors_upstream_never_reaches_are_ignored(home: Home, extract: Extract) -> None:
    # .claude.json.api has the key, so upstream never opens .claude.json; an OAuth
    # token after the API key and a bad field after a match are never read either.
    home.write(".claude.json.api", {"primaryApiKey": "sk-ant-first", "apiKey": 5})
    home.write(".claude.json", "{broken")
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "k", "tokens": "not-an-object"})
    result = extract()
    assert (result.code, result.err) == (0, "")
    assert result.out == text([*anthropic("sk-ant-first"), *openai("k")])


def test_keep_going_warns_and_prints_the_rest(home: Home, extract: Extract) -> None:
    home.write(".claude.json", "{not-json}")
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "o"})
    home.write(".local/share/opencode/auth.json", '{"groq": {"type": 1}}')
    result = extract("--keep-going")
    assert result.code == 0
    assert result.out == text(openai("o"))
    assert result.err == fill(
        "warning: claude_api: skipped {home}/.claude.json: invalid JSON at line 1, column 2: "
        "invalid character 'n' looking for beginning of object key string\n"
        "warning: opencode: skipped {home}/.local/share/opencode/auth.json: "
        "`groq.type` is a number, not a string\n",
        home.path,
    )


# Each test below is a home where an earlier amika-tui and `amika auth extract` (built
# from upstream f6c5c5f with Go 1.25) printed different bytes; the expected output is
# the official CLI's, recorded from running it on the same home.


def test_symlink_into_a_dotfiles_repo_outside_home_is_followed(
    home: Home, extract: Extract, tmp_path: Any
) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "claude.json").write_text('{"primaryApiKey": "sk-ant-FAKE-dotfiles"}')
    (home.path / ".claude.json").symlink_to(dotfiles / "claude.json")
    result = extract()
    assert (result.code, result.err) == (0, "")
    assert result.out == text(anthropic("sk-ant-FAKE-dotfiles"))


def test_a_realistic_2_mb_claude_json_is_read(home: Home, extract: Extract) -> None:
    # Claude Code keeps every project's prompt history in it: real ones pass 1 MiB.
    home.write(".claude.json", claude_json(2_000_000, api_key="sk-ant-FAKE-big"))
    assert (home.path / ".claude.json").stat().st_size > 2_000_000
    result = extract()
    assert (result.code, result.err) == (0, "")
    assert result.out == text(anthropic("sk-ant-FAKE-big"))


@pytest.mark.parametrize("depth", [500, 1000, 9999])
def test_deep_nesting_up_to_gos_limit_is_parsed(home: Home, extract: Extract, depth: int) -> None:
    home.write(
        ".claude.json",
        '{"primaryApiKey": "sk-ant-FAKE-deep", "n": ' + "[" * depth + "]" * depth + "}",
    )
    result = extract()
    assert (result.code, result.err, result.out) == (0, "", text(anthropic("sk-ant-FAKE-deep")))


def test_env_cache_names_fold_case_the_go_way(home: Home, extract: Extract) -> None:
    # Go's (?i)[A-Z] takes the Kelvin sign and long s (they fold to k and s), not İ;
    # strings.ToUpper makes dotless ı an I first.
    home.write(
        ".cache/amika/env-cache.json",
        {
            "İSTANBUL_API_KEY": "sk-FAKE-i",
            "\u212aELVIN_API_KEY": "sk-FAKE-k",
            "ſUN_API_KEY": "s",
            "ıX_API_KEY": "d",
        },
    )
    result = extract()
    assert (result.code, result.err) == (0, "")
    assert result.out == "IX_API_KEY='d'\nKELVIN_API_KEY='sk-FAKE-k'\nSUN_API_KEY='s'\n"


def test_socket_where_codex_auth_json_belongs_stops_like_go(
    home: Home, extract: Extract, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    home.write(".claude.json", {"primaryApiKey": "sk-ant-FAKE"})
    (home.path / ".codex").mkdir()
    monkeypatch.chdir(home.path / ".codex")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind("auth.json")
        result = extract()
    assert (result.code, result.out) == (1, "")
    assert result.err == fill(
        'codex discovery failed: failed to read credentials file "{home}/.codex/auth.json": '
        "open {home}/.codex/auth.json: no such device or address\n",
        home.path,
    )


def test_unicode_15_character_in_a_path_is_printed_as_go_prints_it(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from amika_tui.cli import main

    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    # U+1FAE8 SHAKING FACE is Unicode 15.0: Go 1.21+ prints it, Python 3.11 calls it
    # unassigned; U+0378 is unassigned everywhere and stays escaped.
    home = tmp_path / "home-\U0001fae8-\u0378"
    (home / ".codex").mkdir(parents=True)
    (home / ".codex/auth.json").write_text("{")
    code = main(["extract", "--homedir", str(home)])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    quoted = f"{tmp_path}/home-\U0001fae8-\\u0378/.codex/auth.json"
    assert captured.err == (
        f'codex discovery failed: failed to parse credentials file "{quoted}": '
        "unexpected end of JSON input\n"
    )


def test_fifo_is_warned_about_and_the_rest_printed(home: Home, extract: Extract) -> None:
    import os

    # Upstream would block forever opening it; amika-tui says so and goes on.
    os.mkfifo(home.path / ".claude.json")
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "o"})
    result = extract()
    assert (result.code, result.out) == (0, text(openai("o")))
    assert result.err == fill(
        "warning: claude_api: skipped {home}/.claude.json: a named pipe (FIFO): not read, it "
        "could block\n",
        home.path,
    )


def test_command_runs_as_a_process(home: Home) -> None:
    import os
    import subprocess
    import sys

    home.write(".claude.json", {"apiKey": "sk-ant-proc'ess"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home.path)
    ok = subprocess.run(
        [sys.executable, "-m", "amika_tui", "extract", "--export"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert (ok.returncode, ok.stdout, ok.stderr) == (
        0,
        b"export ANTHROPIC_API_KEY='sk-ant-proc'\\''ess'\n"
        b"export CLAUDE_API_KEY='sk-ant-proc'\\''ess'\n",
        b"",
    )
    home.write(".codex/auth.json", "[1,")
    bad = subprocess.run(
        [sys.executable, "-m", "amika_tui", "extract"], capture_output=True, env=env, check=False
    )
    assert (bad.returncode, bad.stdout) == (1, b"")
    assert (
        bad.stderr
        == (
            "codex discovery failed: failed to parse credentials file "
            f'"{home.path}/.codex/auth.json": unexpected end of JSON input\n'
        ).encode()
    )
