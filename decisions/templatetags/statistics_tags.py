"""The statistics tables, rendered in Python: a league table of 300 organisations is
2,500 cells, which Django's template loops render many times slower than this."""

from __future__ import annotations

from html import escape  # the standard library's: Django's is lazy, and many times slower here

from django import template
from django.utils.safestring import SafeString, mark_safe

from decisions.statistics.report import Cell, Heading, Table

register = template.Library()


def heading_html(heading: Heading) -> str:
    attributes = ' scope="col"'
    if heading.number:
        attributes += ' class="number"'
    if heading.sorted:
        attributes += f' aria-sort="{heading.sorted}"'
    text = escape(heading.text)
    if heading.sort_href:
        state = (
            f" (sorted {heading.sorted}; select to reverse)"
            if heading.sorted
            else " (select to sort)"
        )
        text = (
            f'<a href="{escape(heading.sort_href)}">{text}'
            f'<span class="visually-hidden">{state}</span></a>'
        )
    return f"<th{attributes}>{text}</th>"


def cell_html(cell: Cell) -> str:
    text = escape(cell.text)
    if cell.href:
        text = f'<a href="{escape(cell.href)}">{text}</a>'
    if cell.header:
        return f'<th scope="row">{text}</th>'
    return f'<td class="number">{text}</td>' if cell.number else f"<td>{text}</td>"


@register.simple_tag
def stat_table(table: Table) -> SafeString:
    """The table, with a caption for screen readers; a row saying so when it is empty."""
    headings = "".join(heading_html(heading) for heading in table.headings)
    rows = "\n".join(
        "<tr>" + "".join(cell_html(cell) for cell in row) + "</tr>" for row in table.rows
    ) or (f'<tr><td colspan="{len(table.headings)}">None among the decisions matched.</td></tr>')
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<table class="stats-table" id="{escape(table.name)}-table">'
        f'<caption class="visually-hidden">{escape(table.title)}</caption>'
        f"<thead><tr>{headings}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
    )
