"""LibreOffice suite (`make test-documents`): generated .docx and .xlsx files are converted to PDF by
LibreOffice and read back with pdftotext. Missing tools FAIL the suite (never skip): CI must have
`libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils` (Debian packages, installed by .ci/run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.reports.conftest import assessor, city, leader, q1_run  # noqa: F401  (the small city)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed: apt-get install {package} (.ci/run installs it)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    return _tool("soffice", "libreoffice-writer-nogui libreoffice-calc-nogui")


@pytest.fixture(scope="session")
def pdftotext() -> str:
    return _tool("pdftotext", "poppler-utils")


@pytest.fixture
def to_pdf(soffice, pdftotext, tmp_path):
    """Convert a file with LibreOffice; return (text of the PDF, number of pages)."""
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs do not share a lock

    def convert(path: Path) -> tuple[str, int]:
        out = tmp_path / "pdf"
        env = {**os.environ, "HOME": str(tmp_path)}
        proc = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(path)],
            capture_output=True, text=True, timeout=180, env=env,
        )
        pdf = out / (path.stem + ".pdf")
        assert proc.returncode == 0 and pdf.exists(), f"LibreOffice could not open {path.name}: {proc.stderr}"
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        return text, pages

    return convert
