from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_xinfangju.txt"
SAMPLE = ROOT / "inputs" / "广州市荔湾区信访局.xlsx"


@pytest.fixture
def seed() -> Path:
    return SEED


@pytest.fixture
def sample() -> Path:
    return SAMPLE


# report runs shared by test_report_xlsx.py and test_report_html.py: one run of several departments
# (with a formula-like, a <script> and a path-like name) and one of the bundled sample, per module
@pytest.fixture(scope="module")
def several(tmp_path_factory):
    from report_runs import hostile_department, run_tables, several_departments

    return run_tables(tmp_path_factory.mktemp("several"), *several_departments(), hostile_department())


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    from report_runs import run_tables

    return run_tables(tmp_path_factory.mktemp("sample"), copy=[SAMPLE])


@pytest.fixture(params=["several", "sample_run"])
def any_run(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def browser():
    from browser import BROWSER_ARGS, chromium

    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium installed (Debian: apt-get install -y chromium); the browser test needs one")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield instance
        instance.close()


# a TLS server's certificate, for the [email] cafile setting (tests/test_settings.py) and the SMTP tests
@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with `cryptography`."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, False, False, False), True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"
