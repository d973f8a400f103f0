"""The review editor: header, cluster tree, the selected competency (or cluster), overall section.

Every change is saved at once: a click immediately, typing after a short pause or on leaving the
field, and anything pending before the editor shows another review or closes. The editor keeps the
review in memory as the source of truth, so a failed save loses nothing: the text stays on screen
and the next change (or ``flush``) saves it again.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QSplitter,
    QTreeView, QVBoxLayout, QWidget,
)

from ..review import (
    TEXT_SECTIONS, FinalizeRefused, Rating, Review, ReviewLocked, RuleError, applicable_competencies,
    dropped_at_finalize, is_applicable, level_label, plus_allowed,
)
from ..history import previous_review
from ..storage import DataFileLost, StorageError
from .cards import CommentEdit, RatingCard, TextSection, competency_card
from .cluster_tree import KEY_ROLE, OVERALL_KEY, ClusterTreeModel, cluster_key, competency_key
from .context import AppContext
from .header_form import HeaderForm
from .rating_keys import CommentKeys, TreeKeys

log = logging.getLogger(__name__)
HEADER_PAUSE_MS = 600


class ReviewEditor(QWidget):
    """Edits one review. ``back_requested`` asks the main window to show the list again."""

    back_requested = Signal()
    saved = Signal()
    reloaded = Signal()  # the review was shown again as stored (it changed elsewhere): menus follow

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.framework = ctx.framework
        self.review: Review | None = None
        self._previous: Review | None = None  # the employee's last finalized review, shown for reference
        self._dirty = False  # in-memory changes not yet on disk
        self.save_problem = ""  # why the last save failed (a sentence for the user)
        self._cards: dict[str, RatingCard] = {}
        self._sections: dict[str, TextSection] = {}
        self._current_key = ""

        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(HEADER_PAUSE_MS)
        self._header_timer.timeout.connect(self.flush)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top_bar())
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #e8f0e0; border: 1px solid #9b9; padding: 6px;")
        self.banner.hide()
        layout.addWidget(self.banner)

        box = QGroupBox("Employee and review")
        box_layout = QVBoxLayout(box)
        self.header = HeaderForm()
        self.header.edited.connect(self._on_header_edited)
        for edit in self.header._line_edits():
            edit.editingFinished.connect(self.flush)
        box_layout.addWidget(self.header)
        layout.addWidget(box)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree_model = ClusterTreeModel(self.framework)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Clusters and competencies")
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.expandAll()
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.setToolTip("Arrow keys move; 1 2 3 rate; 0 clears; + adds “+”; Enter writes the comment")
        self._tree_keys = TreeKeys(self)
        self.tree.installEventFilter(self._tree_keys)
        self._comment_keys = CommentKeys(self)
        self.splitter.addWidget(self.tree)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.legend = QLabel(self._legend_html())
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("background: #f3f5f9; border: 1px solid #ccd; padding: 6px;")
        right_layout.addWidget(self.legend)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the tree to the ratings
        right_layout.addWidget(self.scroll, 1)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        # Wide enough for the longest competency and rating at any font size or scaling.
        metrics = self.tree.fontMetrics()
        self.tree.setMinimumWidth(metrics.horizontalAdvance("Initiative & Self-Management") +
                                  metrics.horizontalAdvance("Highly Effective +") + 70)
        layout.addWidget(self.splitter, 1)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.next_unrated)

    # -- building ------------------------------------------------------------------------------

    def _build_top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.back_button = QPushButton("← All reviews")
        self.back_button.clicked.connect(self.back_requested)
        bar.addWidget(self.back_button)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.title, 1)
        self.save_state = QLabel()
        self.save_state.setStyleSheet("color: #555;")
        bar.addWidget(self.save_state)
        self.finalize_button = QPushButton("Finalize…")
        self.finalize_button.setToolTip("Check the review is complete, then lock it for signatures")
        self.export_button = QPushButton("Export PDF…")
        self.print_button = QPushButton("Print…")
        for button in (self.finalize_button, self.export_button, self.print_button):
            bar.addWidget(button)
        return bar

    def _legend_html(self) -> str:
        from html import escape

        parts = [f"<b>{escape(l.label)}</b>: {escape(l.meaning)}" for l in self.framework.rating_levels]
        plus = self.framework.plus
        parts.append(f"<b>{escape(plus.label)}</b>: {escape(plus.meaning)}")
        return "Rating scale — " + " &nbsp;·&nbsp; ".join(parts)

    # -- showing a review ----------------------------------------------------------------------

    def open_review(self, review_id: int) -> None:
        """Show a stored review (anything pending for the previous one is saved first)."""
        self.flush()
        self.review = self.ctx.store.get(review_id)
        self._previous = previous_review(self.ctx.store.reviews_of_employee(self.review.employee), self.review)
        self._dirty = False
        self.header.show_review(self.review)
        self._refresh_state()
        self.select(cluster_key(self.framework.clusters[0].id))

    def select(self, key: str) -> None:
        """Select a tree item by key ("cluster:…", "competency:…" or "overall")."""
        index = self.tree_model.index_for(key)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(index)
        self._show_detail(key)

    def card(self, key: str) -> RatingCard:
        """Return the visible card for a competency id or "overall" (for tests and navigation)."""
        return self._cards[key]

    def section(self, key: str) -> TextSection:
        return self._sections[key]

    def _on_tree_current(self, current, _previous) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else None
        if key and key != self._current_key:
            self._show_detail(key)

    def _show_detail(self, key: str) -> None:
        if key == self._current_key and self._cards:
            return
        self._commit_open_editors()
        self._current_key = key
        self._cards, self._sections = {}, {}
        page = QWidget()
        layout = QVBoxLayout(page)
        review = self.review
        if key == OVERALL_KEY:
            self._add_card(layout, RatingCard(self.framework, OVERALL_KEY, "Overall rating"))
            for section_key, title in TEXT_SECTIONS.items():
                section = TextSection(section_key, title)
                section.edit.set_text(getattr(review, section_key) if review else "")
                section.edit.setReadOnly(bool(review and review.is_locked))
                section.committed.connect(self._on_section_committed)
                self._sections[section_key] = section
                layout.addWidget(section)
        else:
            kind, ident = key.split(":", 1)
            cluster = self.framework.cluster(ident) if kind == "cluster" else self.framework.cluster_of(ident)
            title = QLabel(f"{cluster.name} cluster")
            title.setStyleSheet("font-size: 15pt; font-weight: 700;")
            layout.addWidget(title)
            definition = QLabel(cluster.definition)
            definition.setWordWrap(True)
            definition.setStyleSheet("font-style: italic; color: #333;")
            layout.addWidget(definition)
            if review is not None and not is_applicable(cluster, review):
                note = QLabel(
                    f"Not applicable: the {cluster.name} cluster is rated for supervisors and managers only. "
                    "Tick “Supervisory position” in the header if this employee supervises staff."
                )
                note.setWordWrap(True)
                note.setStyleSheet("padding: 8px; background: #fff6dd; border: 1px solid #db7;")
                layout.addWidget(note)
            else:
                comps = cluster.competencies if kind == "cluster" else (self.framework.competency(ident),)
                for comp in comps:
                    self._add_card(layout, competency_card(self.framework, comp))
        layout.addStretch(1)
        for edit in page.findChildren(CommentEdit):
            edit.too_long.connect(self._text_too_long)
        self.scroll.setWidget(page)

    def _text_too_long(self, sentence: str) -> None:
        self.ctx.interaction.warn(self, "Text too long", sentence)

    def _add_card(self, layout: QVBoxLayout, card: RatingCard) -> None:
        review = self.review
        if review is not None:
            card.show_rating(review.overall if card.key == OVERALL_KEY else review.rating(card.key))
            card.set_read_only(review.is_locked)
        previous = self._previous
        if previous is not None:
            before = previous.overall if card.key == OVERALL_KEY else previous.rating(card.key)
            when = f"{previous.period_end.year - 1}–{str(previous.period_end.year)[-2:]}"
            text = level_label(self.framework, before) if before.is_rated else "not rated"
            card.show_previous(f"Last review ({when}): {text}", before.comment)
        card.rating_changed.connect(self._on_rating_changed)
        card.comment_changed.connect(self._on_comment_changed)
        card.comment.installEventFilter(self._comment_keys)
        self._cards[card.key] = card
        layout.addWidget(card)

    # -- changes -------------------------------------------------------------------------------

    def _on_rating_changed(self, key: str, level: str | None, plus: bool) -> None:
        review = self.review
        if review is None or review.is_locked:
            return
        card = self._cards[key]
        comment = card.comment.toPlainText()
        card.comment._timer.stop()  # the comment is saved with the rating right now
        rating = self.current_rating(key).with_comment(comment).with_level(level)
        rating = rating.with_plus(plus and plus_allowed(rating.level))
        if key == OVERALL_KEY:
            review.overall = rating
            self._dirty = True
            self.flush()
        else:
            review.set_rating(key, rating)
            if self._dirty:  # other changes are waiting (e.g. a header field): save them all together
                self.flush()
            else:
                self._save(lambda: self.ctx.store.save_rating(review.id, key, rating))
        card.show_rating(review.overall if key == OVERALL_KEY else review.rating(key))
        self.tree_model.refresh(review, None if key == OVERALL_KEY else key)  # a click repaints its own cluster

    def _on_comment_changed(self, key: str, text: str) -> None:
        review = self.review
        if review is None or review.is_locked:
            return
        if key == OVERALL_KEY:
            if text == review.overall.comment:
                return
            review.overall = review.overall.with_comment(text)
        else:
            if text == review.rating(key).comment:
                return
            review.set_rating(key, review.rating(key).with_comment(text))
        self._dirty = True
        self.flush()

    def _on_section_committed(self, key: str, text: str) -> None:
        review = self.review
        if review is None or review.is_locked or getattr(review, key) == text:
            return
        setattr(review, key, text)
        self._dirty = True
        self.flush()

    def _on_header_edited(self) -> None:
        review = self.review
        if review is None or review.is_locked:
            return
        was_supervisory = review.supervisory
        self.header.apply_to(review)
        self._dirty = True
        self._update_title()
        if review.supervisory != was_supervisory:
            self.flush()
            self.tree_model.refresh(review)
            key, self._current_key = self._current_key, ""
            self._show_detail(key)  # Leadership becomes (not) applicable
        else:
            self._header_timer.start()

    def _commit_open_editors(self) -> None:
        for card in self._cards.values():
            if card.comment.pending():
                card.comment.commit()
        for section in self._sections.values():
            if section.edit.pending():
                section.edit.commit()

    def _reload(self, review_id: int) -> None:
        if self.review is None or self.review.id != review_id:
            return  # the user has moved on meanwhile
        try:
            self.open_review(review_id)
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Review not shown", str(exc))
            return
        self.reloaded.emit()

    def discard_unsaved(self) -> None:
        """Forget changes that could not be saved (the user chose to leave them)."""
        self._header_timer.stop()
        self._dirty = False

    def flush(self, quiet: bool = False) -> bool:
        """Save everything not yet on disk; True when nothing is left unsaved.

        ``quiet``: a failure is not shown but kept in ``save_problem``, for a caller that asks the user
        what to do about it in one message.
        """
        self._header_timer.stop()
        self._commit_open_editors()
        if self.review is None or self.review.is_locked or not self._dirty:
            return True
        review = self.review
        return self._save(lambda: self.ctx.store.save(review), quiet)

    def _save(self, write, quiet: bool = False) -> bool:
        try:
            stamp = write()
        except ReviewLocked as exc:  # finalized or voided elsewhere meanwhile: this change can never be saved
            self._dirty = False
            log.warning("save refused, review locked elsewhere: %s", exc)
            voided = "voided" in str(exc)
            self.ctx.interaction.warn(
                self, "Not saved",
                f"{exc}\n\nIt was {'voided' if voided else 'finalized'} elsewhere (another window or the command "
                "line) while it was open here, so this change cannot be saved. The review is shown again as it "
                "now stands" + ("." if voided else "; to change it, amend it (Review ▸ Amend…)."),
            )
            review_id = self.review.id
            try:  # the stored, locked review at once (finalize and the menus look at it) …
                self.review = self.ctx.store.get(review_id)
            except StorageError:
                pass
            # … its controls rebuilt after this event: the one that made the change may be among them.
            QTimer.singleShot(0, lambda: self._reload(review_id))
            return True  # nothing is left that could ever be saved: leaving the review must not ask again

        except (StorageError, RuleError) as exc:
            self._dirty = True
            self.save_problem = str(exc)
            log.warning("save failed: %s", exc)
            self.save_state.setText("Not saved — see message")
            self.save_state.setStyleSheet("color: #a00; font-weight: 600;")
            if quiet:
                return False
            self.ctx.interaction.warn(
                self, "Not saved",
                str(exc) if isinstance(exc, DataFileLost)  # no later save can reach that file: it says what to do
                else f"{exc}\n\nWhat you typed is still in the window and will be saved with your next change.",
            )
            return False
        self._dirty = False
        self.review.updated_at = stamp
        self.save_state.setStyleSheet("color: #555;")
        self.save_state.setText(f"Draft saved {stamp:%H:%M:%S}")
        self.saved.emit()
        return True

    # -- state ---------------------------------------------------------------------------------

    def _update_title(self) -> None:
        review = self.review
        name = review.employee.name or "New review (no employee name yet)"
        state = "Void" if review.is_void else ("Final" if review.is_final else "Draft")
        if review.version > 1:
            state += f" (version {review.version})"
        self.title.setText(f"{name}  —  {state}")

    def _refresh_state(self) -> None:
        review = self.review
        locked = review.is_locked
        self._update_title()
        self.header.set_read_only(locked)
        self.finalize_button.setEnabled(not locked)
        self.tree_model.refresh(review)
        notes = []
        if review.is_void:
            notes.append(f"Voided: {review.void_reason}. This review stays on record, read-only; it is not valid.")
        if review.is_final:
            when = review.finalized_at.strftime("%B %d, %Y at %H:%M") if review.finalized_at else ""
            notes.append(
                f"Finalized {when}. This review is locked and can no longer be changed. "
                "Export or print it for signatures; to correct it, use Review ▸ Amend."
            )
        if review.supersedes_id:
            notes.append(f"Version {review.version}: amends review {review.supersedes_id}, which stays as it was signed.")
        self.banner.setText("\n".join(notes))
        self.banner.setVisible(bool(notes))
        if locked:
            self.save_state.setText("Locked")
        else:
            stamp = review.updated_at
            self.save_state.setText(f"Draft saved {stamp:%H:%M:%S}" if stamp else "Draft")
        key, self._current_key = self._current_key, ""
        if key:
            self._show_detail(key)

    # -- finalize ------------------------------------------------------------------------------

    def finalize(self) -> bool:
        """Finalize after confirmation; if anything is missing, list it all and go to the first."""
        from ..review import finalize_problems

        if self.review is None or self.review.is_locked or not self.flush() or self.review.is_locked:
            return False  # (the last: it was finalized or voided elsewhere, and flush has said so)
        problems = finalize_problems(self.framework, self.review)
        if problems:
            self.ctx.interaction.warn(
                self, "Not ready to finalize",
                "This review cannot be finalized yet. Still missing:\n\n"
                + "\n".join(f"• {p.message}" for p in problems)
                + "\n\nYou will be taken to the first item.",
            )
            self.go_to(problems[0].field)
            return False
        dropped = dropped_at_finalize(self.framework, self.review)
        left_out = (
            f"\n\nNot part of it: the ratings and comments of {', '.join(dropped)}, because “Supervisory "
            "position” is not ticked. If this employee supervises staff, cancel and tick it first."
        ) if dropped else ""
        if not self.ctx.interaction.confirm(
            self, "Finalize review",
            f"Finalize the review of {self.review.employee.name}?\n\n"
            "A finalized review is locked: no rating or comment can be changed afterwards." + left_out,
            "Finalize and lock",
        ):
            return False
        try:
            self.review = self.ctx.store.finalize(self.framework, self.review.id)
        except FinalizeRefused as exc:  # changed on disk since the check: say what, change nothing
            self.ctx.interaction.warn(self, "Not ready to finalize", str(exc))
            return False
        except StorageError as exc:
            self.ctx.interaction.warn(self, "Not finalized", str(exc))
            return False
        self._refresh_state()
        self.saved.emit()
        return True

    def go_to(self, field: str) -> None:
        """Take the user to a problem's field: a header widget, a competency or the overall rating."""
        if self.header.focus_field(field):
            return
        if field.startswith("competency:"):
            self.select(competency_key(field.split(":", 1)[1]))
            self._cards[field.split(":", 1)[1]].selector.setFocus()
        elif field == OVERALL_KEY:
            self.select(OVERALL_KEY)
            self._cards[OVERALL_KEY].selector.setFocus()

    # -- keyboard ------------------------------------------------------------------------------

    def _rating_key(self) -> str | None:
        """The card key ("<competency id>" or "overall") the tree's current item stands for."""
        key = self.tree.currentIndex().data(KEY_ROLE)
        if key == OVERALL_KEY:
            return OVERALL_KEY
        if key and key.startswith("competency:"):
            card_key = key.split(":", 1)[1]
            return card_key if card_key in self._cards else None  # N/A competencies have no card
        return None

    def rate_current(self, level: str | None) -> bool:
        """Rate the selected competency as a click on its button would; True when a key was used."""
        key = self._rating_key()
        if key is None or self.review is None or self.review.is_locked:
            return False
        self._cards[key].selector.button(level).click()
        return True

    def toggle_plus_current(self) -> bool:
        key = self._rating_key()
        if key is None:
            return False
        plus = self._cards[key].selector.plus
        if plus.isEnabled():
            plus.click()
        return True

    def focus_comment(self) -> bool:
        key = self._rating_key()
        if key is None:
            return False
        self._cards[key].comment.setFocus()
        return True

    def next_unrated(self) -> None:
        """Select the next applicable competency (then the overall rating) that is not rated yet."""
        if self.review is None:
            return
        self._commit_open_editors()
        order = [c.id for c in applicable_competencies(self.framework, self.review)] + [OVERALL_KEY]
        current = self._rating_key()
        start = order.index(current) + 1 if current in order else 0
        for key in order[start:] + order[:start]:
            if not self.current_rating(key).is_rated:
                self.select(OVERALL_KEY if key == OVERALL_KEY else competency_key(key))
                self.tree.setFocus()
                return
        self.ctx.interaction.inform(self, "All rated", "Every competency and the overall rating are rated.")

    def current_rating(self, key: str) -> Rating:
        return self.review.overall if key == OVERALL_KEY else self.review.rating(key)
