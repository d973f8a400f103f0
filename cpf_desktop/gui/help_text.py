"""The words of the Help menu: the rating guide, the keyboard shortcuts and the About box."""
from __future__ import annotations

from html import escape
from pathlib import Path

from .. import APP_NAME, __version__
from ..framework import Framework
from .rating_keys import SHORTCUTS


def rating_guide_html(framework: Framework) -> str:
    rows = "".join(
        f"<tr><td><b>{escape(level.label)}</b></td><td>{escape(level.meaning)}</td></tr>"
        for level in framework.rating_levels
    )
    plus = framework.plus
    leadership = ", ".join(escape(c.name) for c in framework.clusters if c.supervisors_only)
    return (
        f"<h3>{escape(framework.title)}</h3>"
        f"<p>Rate each competency on what the employee showed during the review period.</p>"
        f"<table cellpadding='4'>{rows}"
        f"<tr><td><b>{escape(plus.label)}</b></td><td>{escape(plus.meaning)}</td></tr></table>"
        "<p><b>The “+”</b> marks an employee who also builds the capacity of co-workers and peers — "
        "teaching, coaching, sharing what works. It can be added to Effective or Highly Effective only; "
        "lowering the rating to Developing removes it.</p>"
        f"<p><b>{leadership}</b> applies to supervisors and managers only: tick “Supervisory position” "
        "in the header to rate it. Otherwise it is shown as N/A and never counts as unrated.</p>"
        "<p><b>Not rated</b> clears a rating. A draft may be incomplete; <b>Finalize</b> checks that "
        "every competency that applies and the overall rating are rated, then locks the review.</p>"
    )


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>" for keys, what in SHORTCUTS)
    return f"<p>Rate a whole review without the mouse:</p><table cellpadding='4'>{rows}</table>"


def about_html(framework: Framework, data_folder: Path) -> str:
    return (
        f"<h3>{APP_NAME} {escape(__version__)}</h3>"
        f"<p>{escape(framework.title)} — {escape(framework.source)}<br>"
        f"Framework version: {escape(framework.version)}</p>"
        f"<p>Your reviews are kept in:<br><code>{escape(str(data_folder))}</code><br>"
        "readable by you only, with automatic backups in its <code>backups</code> folder.</p>"
        "<p>Fonts: DejaVu (Bitstream Vera licence).</p>"
    )
