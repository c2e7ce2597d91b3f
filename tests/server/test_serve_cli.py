"""`amika-tui serve` as a real process: serves requests, stops cleanly, mints keys."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.server.conftest import API, assert_envelope


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "amika_tui", "serve", *args]


@contextmanager
def _serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    process = subprocess.Popen(
        _command("--port", "0", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 120  # only catches a hang
        url = ""
        while not url:
            line = process.stdout.readline()
            assert line or process.poll() is None, "serve exited early"
            assert time.monotonic() < deadline, "serve did not announce its URL"
            lines.append(line)
            if "listening on " in line:
                url = line.split("listening on ", 1)[1].strip()
        yield process, url, lines
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)


def test_serve_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with _serving("--data-dir", str(data_dir), "--access-log") as (process, url, lines):
        key_file = data_dir / "dev-api-key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text().strip()
        headers = {"Authorization": f"Bearer {key}"}
        canary = "serve-log-canary-value"
        created = httpx.post(
            url + API + "/secrets", json={"name": "X", "value": canary}, headers=headers
        )
        assert created.status_code == 201
        listed = httpx.get(url + API + "/secrets", headers=headers)
        assert [s["name"] for s in listed.json()] == ["X"]
        banner = "".join(lines)
        while "AMIKA_API_KEY" not in banner:
            line = process.stdout.readline()  # type: ignore[union-attr]
            assert line, f"serve ended its output before the whole banner: {banner!r}"
            banner += line
        assert f"AMIKA_API_URL={url}" in banner
        assert str(key_file) in banner
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    everything_printed = banner + out + err
    assert "POST /api/v0beta1/secrets" in everything_printed  # --access-log logs requests...
    assert key not in everything_printed  # ...without the key
    assert canary not in everything_printed  # ...or the value


# Runs `serve` with a stdout that, the moment the banner is written, connects to the URL it
# announces: what a script that starts `serve` and connects at once would do.
_CONNECT_ON_BANNER = """
import socket, sys
from amika_tui.cli import main

class ConnectOnBanner:
    def __init__(self, real):
        self.real = real
    def write(self, text):
        marker = "listening on http://127.0.0.1:"
        if marker in text:
            port = int(text.split(marker, 1)[1].split()[0])
            try:
                socket.create_connection(("127.0.0.1", port), timeout=60).close()
                self.real.write("banner-check: accepted\\n")
            except OSError as exc:
                self.real.write(f"banner-check: {exc}\\n")
        return self.real.write(text)
    def __getattr__(self, name):
        return getattr(self.real, name)

sys.stdout = ConnectOnBanner(sys.stdout)
sys.exit(main(["serve", "--port", "0", "--data-dir", sys.argv[1]]))
"""


def test_serve_announces_its_url_only_once_it_accepts_connections(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _CONNECT_ON_BANNER, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("banner-check: "), f"no banner: {line!r}"
        assert line == "banner-check: accepted\n"
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)


def test_the_access_log_is_off_by_default(tmp_path: Path) -> None:
    with _serving("--data-dir", str(tmp_path)) as (process, url, _lines):
        key = (tmp_path / "dev-api-key").read_text().strip()
        listed = httpx.get(url + API + "/secrets", headers={"Authorization": f"Bearer {key}"})
        assert listed.status_code == 200
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
    assert "/api/v0beta1/secrets" not in out + err
    assert "amika-tui reference server stopped" in out


def test_serve_stops_cleanly_on_sigint(tmp_path: Path) -> None:
    with _serving("--data-dir", str(tmp_path)) as (process, _url, _lines):
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
        assert process.returncode == 0


def test_fault_flags_apply(tmp_path: Path) -> None:
    flags = ("--fail-rate", "1", "--fail-retry-after", "30")
    with _serving("--data-dir", str(tmp_path), *flags) as (process, url, _lines):
        key = (tmp_path / "dev-api-key").read_text().strip()
        response = httpx.get(url + API + "/secrets", headers={"Authorization": f"Bearer {key}"})
        assert_envelope(response, 503, "service_unavailable")
        assert response.headers["retry-after"] == "30"
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def test_drop_after_commit_and_no_jwt_exchange_flags_apply(tmp_path: Path) -> None:
    flags = ("--drop-after-commit-rate", "1", "--no-jwt-exchange")
    with _serving("--data-dir", str(tmp_path), *flags) as (process, url, _lines):
        key = (tmp_path / "dev-api-key").read_text().strip()
        headers = {"Authorization": f"Bearer {key}"}
        try:
            httpx.post(url + API + "/secrets", json={"name": "D", "value": "v"}, headers=headers)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            pass  # the connection was dropped after the write
        else:
            raise AssertionError("the server answered instead of dropping the connection")
        listed = httpx.get(url + API + "/secrets", headers=headers)
        assert [s["name"] for s in listed.json()] == ["D"]
        exchange = httpx.post(url + API + "/auth/jwt", json={}, headers=headers)
        assert_envelope(exchange, 404, "not_found")
        paths = httpx.get(url + "/api/openapi.json").json()["paths"]
        assert API + "/auth/jwt" not in paths
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def test_keys_create_prints_a_working_key(tmp_path: Path) -> None:
    with _serving("--data-dir", str(tmp_path)) as (process, url, _lines):
        made = subprocess.run(
            _command(
                "keys",
                "create",
                "--email",
                "ci@example.com",
                "--org",
                "ci",
                "--data-dir",
                str(tmp_path),
            ),
            capture_output=True,
            text=True,
            check=True,
        )
        key = made.stdout.strip()
        assert key and "\n" not in key
        headers = {"Authorization": f"Bearer {key}"}
        response = httpx.post(
            url + API + "/secrets",
            json={"name": "CI", "value": "v", "scope": "org"},
            headers=headers,
        )
        assert response.status_code == 201
        dev_key = (tmp_path / "dev-api-key").read_text().strip()
        dev_view = httpx.get(url + API + "/secrets", headers={"Authorization": f"Bearer {dev_key}"})
        assert dev_view.json() == []  # another org
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def test_non_loopback_host_warns(tmp_path: Path) -> None:
    with _serving("--data-dir", str(tmp_path), "--host", "0.0.0.0") as (process, _url, _lines):
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    assert "not loopback" in err


def test_default_data_dir_follows_xdg(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")}
    made = subprocess.run(
        _command("keys", "create", "--email", "a@example.com", "--org", "o"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert made.stdout.startswith("amk_")
    assert (tmp_path / "xdg" / "amika-tui" / "server" / "amika.sqlite3").exists()


def test_keys_create_refuses_moving_a_user_to_another_org(tmp_path: Path) -> None:
    args = ("keys", "create", "--email", "a@example.com", "--data-dir", str(tmp_path))
    subprocess.run(_command(*args, "--org", "one"), capture_output=True, check=True)
    moved = subprocess.run(_command(*args, "--org", "two"), capture_output=True, text=True)
    assert moved.returncode == 1
    assert "another org" in moved.stderr
    assert moved.stdout == ""


def test_public_url_is_the_audience_tokens_may_name(tmp_path: Path) -> None:
    public = "https://amika.example"
    with _serving("--data-dir", str(tmp_path), "--public-url", public + "/") as (
        process,
        url,
        _lines,
    ):
        key = (tmp_path / "dev-api-key").read_text().strip()

        def token(audience: str) -> str:
            answer = httpx.post(
                url + API + "/auth/jwt",
                json={"audience": audience, "permissions": ["secrets:read"]},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert answer.status_code == 200, answer.text
            return str(answer.json()["token"])

        def listing(token: str) -> httpx.Response:
            return httpx.get(url + API + "/secrets", headers={"Authorization": f"Bearer {token}"})

        assert listing(token(public)).status_code == 200
        refused = listing(token(url))  # the bind address is no audience once a public URL is set
        assert_envelope(refused, 401, "invalid_audience")
        assert public in refused.json()["message"]
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)


def test_a_bad_public_url_is_refused(tmp_path: Path) -> None:
    made = subprocess.run(
        _command("--data-dir", str(tmp_path), "--public-url", "amika.example"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 2
    assert "--public-url: must be an http(s) URL" in made.stderr
