"""Program entry: logging, the crash hook, then a command or the window."""
from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
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


def setup_logging(folder: Path, console: bool = True) -> None:
    """Log to a rotating file in the log folder, and warnings to stderr when ``console`` and there is one.

    Commands speak for themselves on stderr in one sentence, so they log to the file only; a
    windowed build has no stderr at all.
    """
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    # A log that cannot be written (a full disk) must never print a traceback at the user.
    logging.raiseExceptions = False
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        paths.ensure_private_dir(folder)  # the data folder first: mkdir(parents=True) would leave it 0755
        folder = paths.ensure_private_dir(paths.log_dir(folder))
        log_file = folder / "cpf-desktop.log"
        handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        os.chmod(log_file, 0o600)  # it names files and reviews: the user's eyes only
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError:
        pass  # a read-only data folder is reported when the database opens; logging must not stop the start
    if console and sys.stderr is not None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(fmt)
        root.addHandler(stream)


def main(argv: list[str] | None = None) -> int:
    attach_console()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_check:
        from .self_check import run_self_check

        return run_self_check()
    try:
        folder = paths.data_dir(args.data_dir)
    except ValueError as exc:
        parser.error(str(exc))
    setup_logging(folder, console=not args.command)
    log.info("CPF Desktop %s starting (data folder %s)", __version__, folder)
    if args.command:
        try:
            return cli.run(args, folder)
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not a problem
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return cli.EXIT_OK
        except Exception:  # never a traceback in a user's face: the log keeps it for IT
            log.exception("unexpected error in command %s", args.command)
            print(f"error: an unexpected problem stopped '{args.command}'. Nothing more was changed; the details "
                  f"are in {paths.log_dir(folder) / 'cpf-desktop.log'}.", file=sys.stderr)
            return cli.EXIT_FAILED
    if no_display():
        print("CPF Desktop needs a desktop session to open its window (no display was found). On a server, "
              "use one of the commands instead: CPF-Desktop --help", file=sys.stderr)
        return cli.EXIT_FAILED
    from .gui.application import run_gui  # Qt only when the window is wanted

    return run_gui(folder)


def attach_console() -> None:
    """A windowed Windows build has no stdout: borrow the console it was started from, if any.

    Then `CPF-Desktop.exe --self-check` and the commands print where IT staff typed them.
    """
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115 (lives as long as we do)
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115


def no_display() -> bool:
    """True on Linux/BSD without X11 or Wayland, where Qt would abort with a cryptic message."""
    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
