"""Where a rendered report leaves the A4 page or cuts its text: WeasyPrint's layout tree, walked.

``problems(html)`` renders the HTML as WeasyPrint does for the PDF and returns one line per defect:
a box whose border box reaches beyond the content area of its page (the part between the page
margins), a piece of text wider than the block it stands in (it runs into the next cell, or is cut
where that block clips), and a box that clips its overflowing content (``overflow`` other than
visible, which is also what ``text-overflow: ellipsis`` needs). Shared by the layout tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

EPSILON = 0.5  # CSS px (1/96 inch): rounding in the layout, invisible on paper


def problems(html: str) -> list[str]:
    from weasyprint import HTML

    found: list[str] = []
    for number, page in enumerate(HTML(string=html).render().pages, start=1):
        found += page_problems(number, page._page_box)
    return found


def page_problems(number: int, page_box: Any) -> list[str]:
    from weasyprint.formatting_structure import boxes

    left = page_box.content_box_x()
    right = left + page_box.width
    found = []
    for box, parents in _walk(page_box, ()):
        if box is page_box or any(isinstance(b, boxes.MarginBox) for b in (box, *parents)):
            continue  # the running header and the page numbers stand in the margin on purpose
        x, width = box.border_box_x(), box.border_width()
        if x + width > right + EPSILON or x < left - EPSILON:
            found.append(
                f"pagina {number}: {_name(box)} steekt {_beyond(x, width, left, right):.1f} px buiten de pagina"
            )
        if isinstance(box, boxes.TextBox):
            block = next(p for p in reversed(parents) if isinstance(p, boxes.BlockContainerBox))
            end = block.content_box_x() + block.width
            if box.position_x + box.width > end + EPSILON:
                found.append(
                    f"pagina {number}: tekst {box.text[:40]!r} steekt {box.position_x + box.width - end:.1f} px "
                    f"buiten {_name(block)}"
                )
        if box.style["overflow"] != "visible" and _overflows(box):
            found.append(
                f"pagina {number}: {_name(box)} knipt zijn inhoud af (overflow {box.style['overflow']})"
            )
    return found


def _overflows(box: Any) -> bool:
    end = box.padding_box_x() + box.padding_width()
    return any(b.border_box_x() + b.border_width() > end + EPSILON for b, _ in _walk(box, ()) if b is not box)


def _walk(box: Any, parents: tuple[Any, ...]) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    yield box, parents
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, (*parents, box))


def _beyond(x: float, width: float, left: float, right: float) -> float:
    return max(x + width - right, left - x)


def _name(box: Any) -> str:
    classes = box.element.get("class") if box.element is not None else None
    ident = box.element.get("id") if box.element is not None else None
    return f"<{box.element_tag}{f' id={ident}' if ident else ''}{f' class={classes}' if classes else ''}>"


def texts(box: Any) -> Iterator[str]:
    """Every piece of text in a box, in order."""
    if getattr(box, "text", None):
        yield box.text
    for child in getattr(box, "children", None) or ():
        yield from texts(child)
