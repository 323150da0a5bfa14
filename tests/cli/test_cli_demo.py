"""The demo's closing commands call kic the way the person did, so that they work as printed."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from kic.cli.demo import _program


def _script(folder: Path) -> Path:
    script = folder / "bin" / "kic"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_after_make_demo_the_command_is_the_venv_script(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    _script(tmp_path / ".venv")
    monkeypatch.setattr(sys, "argv", [".venv/bin/kic", "demo"])
    monkeypatch.setenv("PATH", "/nonexistent")
    assert _program() == ".venv/bin/kic"


def test_a_kic_on_the_path_is_just_kic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = _script(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script), "demo"])
    monkeypatch.setenv("PATH", str(script.parent))
    assert _program() == "kic"


def test_python_dash_m_kic_stays_python_dash_m_kic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/somewhere/kic/__main__.py", "demo"])
    assert shlex.split(_program()) == [sys.executable, "-m", "kic"]
