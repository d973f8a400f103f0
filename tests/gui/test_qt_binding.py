"""Guards against a Qt binding that mishandles references: a long session must not kill the process.

PySide6 6.12.0 returned None from every void method (setText, setForeground ...) without taking a
reference. After a few thousand calls Python deallocated None and aborted: an evening of rating
ended in a crash. This test fails on such a binding before any supervisor meets it.
"""
import sys

from PySide6.QtGui import QBrush, QStandardItem
from PySide6.QtWidgets import QLabel


def test_void_methods_keep_none_alive(qapp):
    item, label, brush = QStandardItem("x"), QLabel(), QBrush()
    before = sys.getrefcount(None)
    for _ in range(300):
        item.setText("a")
        item.setForeground(brush)
        label.setText("b")
    assert sys.getrefcount(None) - before > -100, "the Qt binding drops references to None (see requirements.txt)"


def test_a_long_rating_session_runs_to_the_end(window, qtbot):
    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    selector = editor.card("attitude").selector
    levels = ("developing", "effective", "highly_effective")
    for i in range(1500):  # each click repaints the tree: ~100 binding calls
        selector.button(levels[i % 3]).click()
    assert editor.review.rating("attitude").level == levels[1499 % 3]
