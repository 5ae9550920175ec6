"""Docs are tested: every setting and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

from mogao.cli import main
from mogao.conf import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_setting_has_help() -> None:
    assert all(s.help.endswith(".") and len(s.help) > 10 for s in SETTINGS)


def test_every_cli_command_is_documented() -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")
    )
    missing = [name for name in main.commands if f"mogao {name}" not in docs]
    assert not missing, f"commands missing from README.md/docs: {missing}"
    for name, command in main.commands.items():
        for sub in getattr(command, "commands", {}):
            assert sub in docs, f"`mogao {name} {sub}` is not documented"
