"""FlowLayout: widgets on one line while they fit, onto more lines when the window is narrow, never cut off."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from workbench.ui.flow_layout import FlowLayout


def _row(qtbot, *, right: int = 0) -> tuple[QWidget, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    outer = QVBoxLayout(holder)
    flow = FlowLayout()
    buttons = [QPushButton(f"Button number {n}") for n in range(5)]
    flow.add_widgets(*buttons[: len(buttons) - right])
    flow.pack_right()
    flow.add_widgets(*buttons[len(buttons) - right:])
    outer.addLayout(flow)
    outer.addStretch(1)
    return holder, buttons


def test_one_line_when_wide_and_the_right_group_at_the_right_end(qtbot):
    holder, buttons = _row(qtbot, right=2)
    holder.resize(1400, 200)
    holder.show()
    qtbot.waitExposed(holder)
    assert len({b.y() for b in buttons}) == 1
    assert buttons[-1].geometry().right() >= holder.width() - 20  # packed to the right end
    assert buttons[2].geometry().right() + 100 < buttons[3].x()  # a gap between the groups


def test_narrow_wraps_every_button_into_view_and_takes_the_height(qtbot):
    holder, buttons = _row(qtbot)
    holder.resize(330, 300)
    holder.show()
    qtbot.waitExposed(holder)
    assert len({b.y() for b in buttons}) >= 3
    for button in buttons:
        assert holder.rect().contains(button.geometry())
        assert button.width() >= button.sizeHint().width()
    assert holder.minimumSizeHint().width() <= max(b.sizeHint().width() for b in buttons) + 30
    assert holder.layout().heightForWidth(330) >= 3 * buttons[0].sizeHint().height()
