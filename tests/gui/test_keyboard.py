"""A whole review rated with the keyboard alone: key events to whichever widget has the focus."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTreeView

from cpf_desktop.storage import open_store


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, text=None):
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def type_text(qtbot, text):
    qtbot.keyClicks(QApplication.focusWidget(), text)


def test_rate_a_whole_review_with_the_keyboard(window, qtbot, data_dir, framework):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New review
    editor = window.editor
    qtbot.waitUntil(lambda: editor.header.ui.employeeName.hasFocus())
    type_text(qtbot, "Keyboard Person")
    # Ctrl+Enter: the next unrated competency, with the tree focused.
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(QApplication.focusWidget(), QTreeView)
    pattern = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3]
    applicable = [c for c in framework.competencies() if c.cluster_id != "leadership"]
    for i, comp in enumerate(applicable):
        assert editor.tree.currentIndex().data() == comp.name
        press(qtbot, pattern[i % 3])
        if i % 3 == 2:
            press(qtbot, Qt.Key.Key_Plus)  # "+" on Highly Effective
        if i == 0:
            press(qtbot, Qt.Key.Key_Return)  # into the comment ...
            type_text(qtbot, "Typed without a mouse.")
            press(qtbot, Qt.Key.Key_Escape)  # ... and back to the tree
            assert isinstance(QApplication.focusWidget(), QTreeView)
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.tree.currentIndex().data() == "Overall rating and comments"
    press(qtbot, Qt.Key.Key_2)
    press(qtbot, Qt.Key.Key_Plus)
    # A rating changed with arrows and keys: down from the overall does nothing odd; up to the last competency.
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_0)  # clear Professional Growth ...
    press(qtbot, Qt.Key.Key_3)  # ... and rate it again
    window.editor.flush()

    store = open_store(data_dir)
    try:
        review = store.get(editor.review.id)
    finally:
        store.close()
    assert review.employee.name == "Keyboard Person"
    for i, comp in enumerate(applicable[:-1]):
        rating = review.rating(comp.id)
        assert rating.level == ("developing", "effective", "highly_effective")[i % 3], comp.name
        assert rating.plus == (i % 3 == 2), comp.name
    assert review.rating(applicable[-1].id).level == "highly_effective"
    assert review.rating(applicable[0].id).comment == "Typed without a mouse."
    assert review.overall.level == "effective" and review.overall.plus


def test_plus_key_ignored_for_developing_and_keys_do_nothing_on_a_cluster(window, qtbot, data_dir):
    window.new_review()
    editor = window.editor
    editor.select("competency:attitude")
    editor.tree.setFocus()
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_Plus)
    assert editor.review.rating("attitude").level == "developing" and not editor.review.rating("attitude").plus
    editor.select("cluster:work-attributes")
    editor.tree.setFocus()
    press(qtbot, Qt.Key.Key_3)  # a cluster holds several competencies: nothing is rated by guess
    assert editor.review.rating("initiative-self-management").level is None


def test_every_interactive_control_has_an_accessible_name(window):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit

    window.new_review()
    window.editor.select("cluster:communication")
    kinds = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QTreeView)
    controls = [w for kind in kinds for w in window.findChildren(kind)]
    unnamed = [
        w.objectName() or type(w).__name__
        for w in controls
        if w.isVisible() and not w.objectName().startswith("qt_")  # Qt's own parts of a named control
        and not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
    ]
    assert unnamed == []


def test_help_menu_lists_shortcuts_guide_and_about(window, interaction, data_dir, framework):
    window.show_shortcuts()
    assert "Ctrl+Enter" in interaction.last("help")[2] and "next competency that is not rated" in interaction.last("help")[2]
    window.show_rating_guide()
    guide = interaction.last("help")[2]
    assert "Builds capacity of co-workers and peers" in guide and "Highly Effective" in guide
    window.show_about()
    kind, title, text = interaction.last("about")
    assert framework.version in text and str(data_dir) in text


def test_tab_order_follows_the_form(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.new_review()
    qtbot.waitUntil(lambda: window.editor.header.ui.employeeName.hasFocus())
    seen = []
    for _ in range(24):
        widget = QApplication.focusWidget()
        name = widget.accessibleName() or widget.objectName()
        if not seen or seen[-1] != name:  # a date field takes one Tab per part (month, day, year)
            seen.append(name)
        press(qtbot, Qt.Key.Key_Tab)
    assert seen[:14] == [
        "Employee name", "Employee number", "Classification / job title", "Work location", "Rater name",
        "Rater title", "Reviewer name (optional)", "Reviewer title", "Review type", "Period from", "Period to",
        "Supervisory position", "Clusters and competencies", "Ethics & Values: Developing",
    ]
