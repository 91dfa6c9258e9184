"""The second factor's setup page shows the TOTP secret as a QR code (an inline SVG drawn by segno: no
image host, no script) and as text for typing into an authenticator app."""

from __future__ import annotations

import base64

import segno


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def secret_text(device) -> str:
    """The base32 secret in groups of four, as authenticator apps ask for it."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
