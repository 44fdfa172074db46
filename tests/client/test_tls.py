"""The client's TLS settings: the CA bundle is loaded once per process (it costs ~20 ms of CPU per
client otherwise), and `SSL_CERT_FILE` still chooses what is trusted, as it does for httpx."""

from __future__ import annotations

import ssl

import certifi

from signoz_dac.signoz.client import SigNozClient


def tls_context(client: SigNozClient) -> ssl.SSLContext:
    return client._http._transport._pool._ssl_context  # noqa: SLF001  (httpx keeps it there)


def one_certificate(tmp_path) -> str:
    """A CA file holding only the first certificate of certifi's bundle."""
    pem = certifi.contents()
    end = pem.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
    path = tmp_path / "ca.pem"
    path.write_text(pem[pem.index("-----BEGIN CERTIFICATE-----"):end] + "\n")
    return str(path)


def test_clients_share_one_context_that_verifies(monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with SigNozClient("https://signoz.example") as a, SigNozClient("https://other.example", "key") as b:
        assert tls_context(a) is tls_context(b)
        assert tls_context(a).verify_mode == ssl.CERT_REQUIRED and tls_context(a).check_hostname
        assert len(tls_context(a).get_ca_certs()) > 100  # certifi's bundle


def test_ssl_cert_file_chooses_what_is_trusted(monkeypatch, tmp_path):
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with SigNozClient("https://signoz.example") as default:
        monkeypatch.setenv("SSL_CERT_FILE", one_certificate(tmp_path))
        with SigNozClient("https://signoz.example") as custom:
            assert len(tls_context(custom).get_ca_certs()) == 1
            assert tls_context(default) is not tls_context(custom)
        monkeypatch.delenv("SSL_CERT_FILE")
        with SigNozClient("https://signoz.example") as again:
            assert tls_context(again) is tls_context(default)
