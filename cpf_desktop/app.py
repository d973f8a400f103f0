"""Program entry: logging, the crash hook, then a command or the window."""
from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from pathlib import Path

from . import __version__, cli, paths

log = logging.getLogger("cpf_desktop")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="CPF-Desktop",
        description="Rate classified staff against the LAUSD Classified Performance Framework. "
        "Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=cli.version_text())
    parser.add_argument(
        "--self-check", action="store_true",
        help="check this installation (framework, database, PDF) in a temporary folder and exit; "
        "never touches your data",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder for the database, settings and logs (default: ${paths.DATA_DIR_ENV}, "
        "else the per-user data folder)",
    )
    cli.add_commands(parser)
    return parser


def setup_logging(folder: Path) -> None:
    """Log to a rotating file in the log folder, and to stderr when there is one (windowed builds have none)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        paths.ensure_private_dir(folder)  # the data folder first: mkdir(parents=True) would leave it 0755
        folder = paths.ensure_private_dir(paths.log_dir(folder))
        handler = logging.handlers.RotatingFileHandler(
            folder / "cpf-desktop.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError:
        pass  # a read-only data folder is reported when the database opens; logging must not stop the start
    if sys.stderr is not None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(fmt)
        root.addHandler(stream)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_check:
        from .self_check import run_self_check

        return run_self_check()
    folder = paths.data_dir(args.data_dir)
    setup_logging(folder)
    log.info("CPF Desktop %s starting (data folder %s)", __version__, folder)
    if args.command:
        return cli.run(args, folder)
    from .gui.application import run_gui  # Qt only when the window is wanted

    return run_gui(folder)
