"""The client's TLS context: certificates checked for https; none loaded for plain http."""

from __future__ import annotations

import ssl

import httpx

from amika_tui.api.client import _context_for


def test_a_plain_http_client_trusts_no_certificate_and_https_checks_them() -> None:
    # --local speaks plain http to loopback: loading the CAs (tens of ms) is skipped, and
    # a TLS connection with that context could not succeed (it trusts none).
    plain = _context_for(httpx.URL("http://127.0.0.1:8787"))
    secure = _context_for(httpx.URL("https://app.amika.dev"))
    assert plain.verify_mode is ssl.CERT_REQUIRED and plain.check_hostname
    assert plain.cert_store_stats()["x509_ca"] == 0
    assert secure.verify_mode is ssl.CERT_REQUIRED and secure.cert_store_stats()["x509_ca"] > 0
