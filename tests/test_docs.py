"""Docs are tested: the README's commands, CLI reference, stages and settings."""
from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import typer.main

from faultline.cli import app
from faultline.pipeline import registered_stages

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh|console)?\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert "faultline" in commands[0] and "examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    reference = README.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"faultline {name}" in reference, f"command {name} is not in the README's CLI reference"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in reference, f"{name} {opt} is not in the README's CLI reference"


def test_every_stage_is_documented() -> None:
    for name in registered_stages():
        assert f"`{name}`" in README, f"stage {name} is not documented in the README"


def test_every_default_setting_is_commented() -> None:
    """Each key (or group of adjacent keys) in defaults.toml has a comment above it."""
    text = resources.files("faultline").joinpath("defaults.toml").read_text("utf-8")
    tomllib.loads(text)  # valid TOML
    commented = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            commented = True
        elif not stripped or stripped.startswith("["):
            commented = False
        elif re.match(r"^[A-Za-z_][\w-]*\s*=", stripped):
            assert commented, f"setting without a comment above it: {stripped}"
