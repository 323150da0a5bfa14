"""One error root (issue 14): every error class of kic derives from KicError, and the CLI shows every
one of them the same way: ``Fout: <message>``, the details below it, and the class's exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from click.testing import CliRunner

import kic
from kic.cli import main
from kic.errors import KicError


def _kic_exception_classes() -> list[type[BaseException]]:
    found = []
    for module_info in pkgutil.walk_packages(kic.__path__, "kic."):
        if module_info.name == "kic.__main__":  # runs the CLI when imported
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_error_class_of_kic_derives_from_the_one_root() -> None:
    classes = _kic_exception_classes()
    assert len(classes) > 30
    outside = sorted(c.__qualname__ for c in classes if not issubclass(c, KicError))
    assert outside == []


def test_the_cli_shows_a_refusal_as_one_dutch_line_with_its_exit_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    result = CliRunner().invoke(main, ["evaluate", "--periode", "2026-Q3", "--database", url])
    assert result.exit_code == 1
    assert result.output.startswith("Fout: De database staat op versie leeg")
    assert "Traceback" not in result.output


def test_details_are_listed_under_the_message(tmp_path: Path) -> None:
    folder = tmp_path / "controles"
    folder.mkdir()
    (folder / "kapot.yaml").write_text(
        "regeling: BBZ\ncontroles:\n- id: BBZ-01\n  versie: x\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["controls", "list", "--controles", str(folder)])
    assert result.exit_code == 1
    first, *details = result.output.splitlines()
    assert first.startswith("Fout: ") and "herstel eerst het normenkader" in first
    assert details and all(line.startswith("  ") for line in details)
    assert any("kapot.yaml" in line for line in details)
