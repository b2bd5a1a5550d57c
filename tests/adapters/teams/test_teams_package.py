"""``ethiekbot teams-package``: the zip a Teams admin sideloads, built by the real command."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

APP_ID = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
URL = "https://ethiek.provincie.example"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MICROSOFT_") and k != "ETHIEKBOT_PUBLIC_URL"
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "teams-package", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _rgba(png: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and pixels of an 8-bit RGBA, non-interlaced PNG (what we ship)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        crc = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])[0]
        assert zlib.crc32(kind + data) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 6, 0), "expected 8-bit RGBA, not interlaced"
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    pixels: list[tuple[int, ...]] = []
    for y in range(height):
        row = raw[y * stride : (y + 1) * stride]
        assert row[0] == 0, "filtered rows are not decoded by this test"
        pixels += [tuple(row[1 + 4 * x : 5 + 4 * x]) for x in range(width)]
    return width, height, pixels


def test_teams_package_builds_a_valid_zip(tmp_path: Path) -> None:
    done = _run(tmp_path, "--app-id", APP_ID, "--out", "tmp/x.zip", "--url", URL + "/")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "tmp" / "x.zip"
    assert out.is_file()
    assert "x.zip" in done.stdout

    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        raw = zf.read("manifest.json").decode("utf-8")
        color, outline = zf.read("color.png"), zf.read("outline.png")

    assert "{{" not in raw, "a placeholder was left in the manifest"
    manifest: dict[str, Any] = json.loads(raw)
    assert manifest["manifestVersion"] == "1.16"
    assert manifest["$schema"].endswith("/v1.16/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID
    assert [b["botId"] for b in manifest["bots"]] == [APP_ID]
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])
    for key in ("name", "websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][key], key
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][key].startswith("https://"), key
    # The app's details in Teams link the privacy statement the server itself generates.
    assert manifest["developer"]["privacyUrl"] == URL + "/privacy"
    titles = {c["title"] for cl in manifest["bots"][0]["commandLists"] for c in cl["commands"]}
    assert {"privacy", "mijn gegevens", "wis mijn gegevens"} <= titles
    # Teams' length limits (manifest schema 1.16).
    assert 0 < len(manifest["name"]["short"]) <= 30
    assert len(manifest["name"]["full"]) <= 100
    assert 0 < len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    for bot in manifest["bots"]:
        assert set(bot["scopes"]) <= {"personal", "team", "groupChat"}
        for commands in bot.get("commandLists", []):
            assert len(commands["commands"]) <= 10
            for c in commands["commands"]:
                assert len(c["title"]) <= 32 and len(c["description"]) <= 128, c

    width, height, pixels = _rgba(color)
    assert (width, height) == (192, 192)
    assert all(p[3] == 255 for p in pixels), "the colour icon must be opaque"
    width, height, pixels = _rgba(outline)
    assert (width, height) == (32, 32)
    # The outline icon is white on transparent, nothing else.
    assert all(p[3] == 0 or p == (255, 255, 255, 255) for p in pixels)
    assert any(p[3] == 255 for p in pixels) and any(p[3] == 0 for p in pixels)


@pytest.mark.parametrize(
    "app_id",
    ["not-a-guid", "6f1c2b3a4d5e4f608a7b9c0d1e2f3a4b", f"{APP_ID}x", f" {APP_ID}", "{{APP}}"],
)
def test_a_bad_app_id_exits_2_with_a_clear_message(tmp_path: Path, app_id: str) -> None:
    done = _run(tmp_path, "--app-id", app_id, "--out", "tmp/x.zip", "--url", URL)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "GUID" in done.stderr and "MICROSOFT_APP_ID" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "tmp" / "x.zip").exists()


def test_no_app_id_exits_2_and_says_how_to_give_one(tmp_path: Path) -> None:
    done = _run(tmp_path, "--out", "tmp/x.zip")
    assert done.returncode == 2
    assert "--app-id" in done.stderr and "MICROSOFT_APP_ID" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("url", [None, "http://ethiek.provincie.example", "ethiek.nl", "https://"])
def test_without_an_https_address_exits_2_and_says_why(tmp_path: Path, url: str | None) -> None:
    args = ["--app-id", APP_ID, "--out", "tmp/x.zip"] + (["--url", url] if url else [])
    done = _run(tmp_path, *args)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "https" in done.stderr and "ETHIEKBOT_PUBLIC_URL" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "tmp" / "x.zip").exists()
