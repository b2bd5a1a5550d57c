"""``ethiekbot teams-package``: the app package (zip) for sideloading the bot into Teams.

The package holds ``manifest.json`` (from ``teams/manifest.json`` with the bot's app id filled
in) and the two icons Teams requires: ``color.png`` (192×192) and ``outline.png`` (32×32,
white on transparent).
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

TEAMS_DIR = Path(__file__).resolve().parents[1] / "teams"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?$")
ICON_SIZES = {"color.png": (192, 192), "outline.png": (32, 32)}


class PackageError(Exception):
    """The package cannot be built; the message says why."""


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise PackageError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def build(app_id: str, out: Path, public_url: str, teams_dir: Path = TEAMS_DIR) -> Path:
    """Write the zip to ``out`` and return its path. ``public_url`` is the server's https
    address: Teams links its privacy statement (``/privacy``) from the app's details."""
    if not _GUID.match(app_id):
        raise PackageError(f"MICROSOFT_APP_ID must be the bot's app id (a GUID), not {app_id!r}")
    public_url = public_url.strip().rstrip("/")
    if not _HTTPS.match(public_url):
        raise PackageError(
            "geef het https-adres van de server (--url of ETHIEKBOT_PUBLIC_URL); Teams toont "
            "er de privacyverklaring van / give the server's https address (--url or "
            f"ETHIEKBOT_PUBLIC_URL), not {public_url!r}"
        )
    try:
        template = (teams_dir / "manifest.json").read_text(encoding="utf-8")
    except OSError as exc:
        raise PackageError(f"cannot read {teams_dir / 'manifest.json'}: {exc.strerror}") from None
    manifest = json.loads(
        template.replace("{{MICROSOFT_APP_ID}}", app_id).replace("{{PUBLIC_URL}}", public_url)
    )
    icons: dict[str, bytes] = {}
    for name, size in ICON_SIZES.items():
        data = (teams_dir / name).read_bytes()
        if png_size(data) != size:
            raise PackageError(f"{name} must be {size[0]}×{size[1]} pixels")
        icons[name] = data
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for name, data in icons.items():
            zf.writestr(name, data)
    return out


def _png(width: int, height: int, pixel: object) -> bytes:
    """A small RGBA PNG from a function (x, y) -> (r, g, b, a); used to make the icons."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width))  # type: ignore[operator]
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def make_icons(teams_dir: Path = TEAMS_DIR) -> None:
    """Draw the two icons: three steps (the drietrap) on the house colour."""

    def steps(x: int, y: int, size: int) -> bool:
        # Three rising steps in the lower-left to upper-right of the square.
        u, v = x / size, y / size
        for i in range(3):
            left, top = 0.2 + 0.2 * i, 0.6 - 0.2 * i
            if left <= u < left + 0.2 and top <= v < 0.8:
                return True
        return False

    def color(x: int, y: int) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if steps(x, y, 192) else (21, 94, 75, 255)

    def outline(x: int, y: int) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if steps(x, y, 32) else (0, 0, 0, 0)

    (teams_dir / "color.png").write_bytes(_png(192, 192, color))
    (teams_dir / "outline.png").write_bytes(_png(32, 32, outline))
