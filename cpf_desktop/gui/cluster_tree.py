"""The tree of clusters and competencies, with each cluster's progress and each rating."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from ..framework import Framework
from ..review import Review, cluster_progress, level_label

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
OVERALL_KEY = "overall"
_GREY = QBrush(QColor("#888888"))


def cluster_key(cluster_id: str) -> str:
    return f"cluster:{cluster_id}"


def competency_key(competency_id: str) -> str:
    return f"competency:{competency_id}"


class ClusterTreeModel(QStandardItemModel):
    """Two columns: the cluster or competency, and its progress or rating.

    Keys (``KEY_ROLE``) are "cluster:<id>", "competency:<id>" and "overall", the same names
    ``finalize_problems`` uses, so a missing item can be selected directly.
    """

    def __init__(self, framework: Framework):
        super().__init__(0, 2)
        self.framework = framework
        self.setHorizontalHeaderLabels(["Competency", "Rating"])
        self._items: dict[str, tuple[QStandardItem, QStandardItem]] = {}
        for cluster in framework.clusters:
            row = self._row(cluster_key(cluster.id), cluster.name)
            font = row[0].font()
            font.setBold(True)
            row[0].setFont(font)
            for comp in cluster.competencies:
                row[0].appendRow(self._row(competency_key(comp.id), comp.name))
            self.appendRow(row)
        overall = self._row(OVERALL_KEY, "Overall rating and comments")
        font = overall[0].font()
        font.setBold(True)
        overall[0].setFont(font)
        self.appendRow(overall)

    def _row(self, key: str, text: str) -> list[QStandardItem]:
        name, value = QStandardItem(text), QStandardItem("")
        for item in (name, value):
            item.setEditable(False)
            item.setData(key, KEY_ROLE)
        name.setData(text, Qt.ItemDataRole.AccessibleTextRole)
        self._items[key] = (name, value)
        return [name, value]

    def index_for(self, key: str):
        return self._items[key][0].index()

    def value_text(self, key: str) -> str:
        return self._items[key][1].text()

    def refresh(self, review: Review, competency_id: str | None = None) -> None:
        """Repaint progress and ratings from the review (only one competency's cluster when given)."""
        clusters = self.framework.clusters
        if competency_id is not None:
            clusters = (self.framework.cluster_of(competency_id),)
        for cluster in clusters:
            progress = cluster_progress(cluster, review)
            name, value = self._items[cluster_key(cluster.id)]
            if progress is None:
                value.setText("N/A")
                value.setToolTip("Not applicable: this cluster is rated for supervisors and managers only.")
            else:
                value.setText(f"{progress[0]} / {progress[1]} rated")
                value.setToolTip("")
            for comp in cluster.competencies:
                comp_name, comp_value = self._items[competency_key(comp.id)]
                if progress is None:
                    comp_value.setText("N/A")
                    brush = _GREY
                else:
                    rating = review.rating(comp.id)
                    comp_value.setText(level_label(self.framework, rating) if rating.is_rated else "—")
                    brush = QBrush()
                comp_name.setForeground(brush)
                comp_value.setForeground(brush)
            name.setForeground(_GREY if progress is None else QBrush())
        self._items[OVERALL_KEY][1].setText(
            level_label(self.framework, review.overall) if review.overall.is_rated else "—"
        )
