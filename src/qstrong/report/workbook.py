"""An evaluation `Report` as an Excel workbook (.xlsx, via openpyxl).

`write_results_xlsx` writes 总览 (county verdict and counts), one sheet per kind (a row
per candidate, status and summary per top-level clause), 明细 (every explanation node) and
待补数据 (the clerk's to-do list), status cells coloured (`STATUS_FILLS`), in Chinese or
English. Every sheet is set
up to print: A4 landscape, fitted to the page width, headings (and on the kind sheets the
id and name columns) repeated on every page, page numbers in the footer.

Its styles are those of the dataset workbooks (`qstrong.io.workbook_style`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from qstrong.core import codes
from qstrong.core.errors import QStrongError
from qstrong.core.logic import Status
from qstrong.core.messages import msg, words
from qstrong.core.source import display_width
from qstrong.core.vocab import KIND_OR_COUNTY_WORDS, STATUS_WORDS
from qstrong.io.tabular import column_letter
from qstrong.io.workbook_style import (
    HEADER_FILL,
    HEADER_FONT,
    STATUS_FILLS,
    WRAP,
    InOrderSheet,
    put,
)

if TYPE_CHECKING:
    from qstrong.engine.clause import ClauseResult
    from qstrong.engine.results import EntityResult, Report

__all__ = ["write_results_xlsx"]


_RESULT_SHEETS = {
    "zh": {"summary": "总览", "district": "强区", "industry": "强业", "enterprise": "强企",
           "detail": "明细", "todo": "待补数据"},
    "en": {"summary": "Summary", "district": "Districts", "industry": "Industries",
           "enterprise": "Enterprises", "detail": "Details", "todo": "To fill in"},
}
_TODO_HEADINGS = {
    "zh": ["类别", "编号", "名称", "结论", "单元格", "列标题", "数据", "字段路径", "条款",
           "补上后可能改变的结论"],
    "en": ["Kind", "Id", "Name", "Status", "Cell", "Heading", "Value", "Field path",
           "Clauses", "Could settle"],
}
_TODO_NONE = {"zh": "（不影响任何结论）", "en": "(cannot change any verdict)"}
_WORDS = {
    "zh": {"county": "县(市、区)", "code": "行政区划代码", "date": "评审基准日",
           "verdict": "县域结论", "criteria": "标准版本", "kind": "类别", "total": "候选数",
           "strong": "达标名单", "id": "编号", "name": "名称", "status": "结论",
           "clause": "条款", "title": "标题", "summary": "说明", "margin": "差距",
           "missing": "缺少的数据", "depth": "层级", "clauses": "县域目标条款",
           "note": "说明/差距"},
    "en": {"county": "County", "code": "Code", "date": "Assessment date",
           "verdict": "County verdict", "criteria": "Criteria version", "kind": "Kind",
           "total": "Candidates", "strong": "Strong", "id": "Id", "name": "Name",
           "status": "Status", "clause": "Clause", "title": "Title", "summary": "Summary",
           "margin": "Margin", "missing": "Missing data", "depth": "Depth",
           "clauses": "County target clauses", "note": "summary / margin"},
}
_FILLS = {status: PatternFill("solid", fgColor=colour) for status, colour in STATUS_FILLS.items()}


def _status_cell(ws: Any, row: int, col: int, status: Status, lang: str) -> None:
    put(ws, row, col, STATUS_WORDS[lang][status]).fill = _FILLS[status]


def _header(ws: Any, row: int, values: Sequence[str]) -> None:
    for index, text in enumerate(values, start=1):
        cell = put(ws, row, index, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _title(node: ClauseResult, lang: str) -> str:
    return node.title_zh if lang == "zh" else (node.title_en or node.title_zh)


def _summary(node: ClauseResult, lang: str) -> str:
    return node.summary_zh if lang == "zh" else (node.summary_en or node.summary_zh)


def _margins(node: ClauseResult, lang: str) -> str:
    texts = [(c.margin.text_zh if lang == "zh" else c.margin.text_en)
             for c in node.checks if c.margin is not None]
    return "；".join(t for t in texts if t)


def _clause_note(node: ClauseResult, lang: str) -> str:
    """What a kind sheet shows beside a clause's status: its summary, or, when it did not
    pass, the summaries (value, requirement, margin) of the items that did not pass."""
    if node.status in (Status.PASS, Status.NOT_APPLICABLE):
        return _summary(node, lang)
    leaves = [n for n in node.walk()[1:] if not n.children and n.status is node.status]
    leaves = leaves or [n for n in node.walk()[1:] if not n.children
                        and n.status in (Status.FAIL, Status.UNKNOWN)]
    return "；".join(_summary(n, lang) for n in leaves) or _summary(node, lang)


def _print_setup(ws: Any, *, title_rows: str | None = None,
                 title_columns: str | None = None) -> None:
    """Print one sheet as a reviewer reads it: as wide as the page, headings on each page.

    Without this a results workbook printed column by column across A4 portrait pages
    (148 of them for a county of 34 candidates).
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0          # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns
    ws.oddFooter.center.text = "&A  &P / &N"


def _write_summary(ws: Any, report: Report, lang: str) -> None:
    w = _WORDS[lang]
    for letter, width in zip("ABCDEF", (20, 24, 12, 12, 12, 60), strict=True):
        ws.column_dimensions[letter].width = width
    _print_setup(ws)
    county = report.county
    rows: list[tuple[str, Any]] = [
        (w["county"], county.name),
        (w["code"], county.code),
        (w["date"], report.dataset.assessment.date.isoformat()),
        (w["criteria"], f"{report.criteria.version} ({report.criteria.sha256[:12]})"),
    ]
    for index, (label, value) in enumerate(rows, start=1):
        put(ws, index, 1, label).font = HEADER_FONT
        put(ws, index, 2, value)
    row = len(rows) + 1
    put(ws, row, 1, w["verdict"]).font = HEADER_FONT
    _status_cell(ws, row, 2, county.status, lang)
    row += 2
    statuses = [s for s in Status if s is not Status.NOT_APPLICABLE]
    _header(ws, row, [w["kind"], w["total"], *(STATUS_WORDS[lang][s] for s in statuses),
                      w["strong"]])
    for status_index, status in enumerate(statuses, start=3):
        ws.cell(row=row, column=status_index).fill = _FILLS[status]
    for kind in ("district", "industry", "enterprise"):
        row += 1
        counts = county.counts.get(kind, {})
        put(ws, row, 1, KIND_OR_COUNTY_WORDS[lang][kind])
        put(ws, row, 2, sum(counts.values()))
        for index, status in enumerate(statuses, start=3):
            put(ws, row, index, counts.get(status.value, 0))
        put(ws, row, len(statuses) + 3, "、".join(county.strong.get(kind, [])) if lang == "zh"
                else ", ".join(county.strong.get(kind, []))).alignment = WRAP
    row += 2
    put(ws, row, 1, w["clauses"]).font = HEADER_FONT
    row += 1
    last = len(statuses) + 3      # the summaries span the count columns up to this one
    _header(ws, row, [w["clause"], w["title"], w["status"], w["summary"]])
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=last)
    for node in county.clauses:
        for child in node.walk():
            row += 1
            put(ws, row, 1, child.id)
            put(ws, row, 2, _title(child, lang))
            _status_cell(ws, row, 3, child.status, lang)
            put(ws, row, 4, _summary(child, lang)).alignment = WRAP
            ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=last)
            lines = display_width(_summary(child, lang)) // 80 + 1
            ws.row_dimensions[row].height = 15 * lines


def _write_kind(ws: Any, entities: Sequence[EntityResult], lang: str) -> None:
    w = _WORDS[lang]
    clause_ids: list[str] = []
    titles: dict[str, str] = {}
    for entity in entities:
        for clause in entity.clauses:
            if clause.id not in titles:
                clause_ids.append(clause.id)
                titles[clause.id] = _title(clause, lang)
    headers = [w["id"], w["name"], w["status"]]
    for clause_id in clause_ids:
        headers += [f"{clause_id} {titles[clause_id]}", f"{clause_id} {w['note']}"]
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 28
    for index in range(len(clause_ids)):
        ws.column_dimensions[column_letter(4 + 2 * index)].width = 14
        ws.column_dimensions[column_letter(5 + 2 * index)].width = 36
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "D2"
    _print_setup(ws, title_rows="1:1", title_columns="A:C")
    _header(ws, 1, headers)
    for row, entity in enumerate(entities, start=2):
        put(ws, row, 1, entity.id)
        put(ws, row, 2, entity.name)
        _status_cell(ws, row, 3, entity.status, lang)
        by_id = {c.id: c for c in entity.clauses}
        for index, clause_id in enumerate(clause_ids):
            node = by_id.get(clause_id)
            if node is None:
                continue
            _status_cell(ws, row, 4 + 2 * index, node.status, lang)
            put(ws, row, 5 + 2 * index, _clause_note(node, lang))


def _start_list(ws: Any, widths: Sequence[int]) -> None:
    """A sheet that is one long list (明细, 待补数据): its column widths, the first columns
    and the heading frozen, printed with the heading on each page (set before its rows)."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(index)].width = width
    ws.freeze_panes = "D2"
    _print_setup(ws, title_rows="1:1")


def _finish_list(ws: Any, columns: int, last_row: int) -> None:
    """A filter on a list's heading, over the rows written."""
    ws.auto_filter.ref = f"A1:{column_letter(columns)}{max(last_row, 1)}"


def _write_detail(ws: Any, report: Report, lang: str,
                  tick: Callable[[], None] | None = None) -> None:
    w = _WORDS[lang]
    widths = (14, 10, 24, 32, 6, 36, 12, 60, 24, 36)
    _start_list(ws, widths)
    _header(ws, 1, [w["kind"], w["id"], w["name"], w["clause"], w["depth"], w["title"],
                    w["status"], w["summary"], w["margin"], w["missing"]])
    row = 1
    groups: list[tuple[str, str, str, list[ClauseResult]]] = [
        (e.kind, e.id, e.name, e.clauses) for e in report.entities]
    groups.append(("county", report.county.code, report.county.name, report.county.clauses))
    for kind, entity_id, name, clauses in groups:
        if tick is not None:
            tick()
        for top in clauses:
            stack: list[tuple[ClauseResult, int]] = [(top, 0)]
            while stack:
                node, depth = stack.pop()
                row += 1
                values = (KIND_OR_COUNTY_WORDS[lang][kind], entity_id, name, node.id, depth,
                          "  " * depth + _title(node, lang))
                for index, value in enumerate(values, start=1):
                    ws.value(row, index, value)
                _status_cell(ws, row, 7, node.status, lang)
                ws.value(row, 8, _summary(node, lang))
                ws.value(row, 9, _margins(node, lang) or None)
                ws.value(row, 10, "、".join(node.missing) or None)
                stack.extend((child, depth + 1) for child in reversed(node.children))
    _finish_list(ws, len(widths), row)


EXCEL_MAX_ROWS = 1_048_576
"""Rows an Excel worksheet holds (2**20), the heading row included."""


def _check_rows(report: Report, detail_sheet: str) -> None:
    """Refuse, before anything is written, a report whose detail sheet (one row per clause
    node) would not fit in a worksheet: the statuses tell how many nodes each candidate
    has without building its explanation."""
    rows = 1 + sum(len(e.statuses()) for e in report.entities) + sum(
        len(c.walk()) for c in report.county.clauses)
    if rows > EXCEL_MAX_ROWS:
        raise QStrongError(
            msg("output.too_many_rows", rows=f"{rows:,}", sheet=detail_sheet,
                most=f"{EXCEL_MAX_ROWS:,}"),
            code=codes.OUTPUT_TOO_LARGE, hint=words("output.too_many_rows_hint"))


def _write_todo(ws: Any, report: Report, lang: str, cells: Any) -> None:
    """The clerk's to-do list (`qstrong.report.todo`): one row per missing value, those that
    could change a verdict first, with the cell to fill in when the input was a spreadsheet."""
    from qstrong.report.todo import todo_list

    todo = todo_list(report, cells)
    widths = (14, 10, 24, 12, 12, 36, 30, 30, 30, 24)
    _start_list(ws, widths)
    _header(ws, 1, _TODO_HEADINGS[lang])
    row = 1
    county = "县域目标" if lang == "zh" else "county"
    for groups, apart in ((todo.todo, False), (todo.apart, True)):
        for group in groups:
            for value in group.values:
                row += 1
                label = value.label_zh if lang == "zh" else (value.label_en or value.label_zh)
                settles = _TODO_NONE[lang] if apart else "、".join(
                    county if s == "county" else s for s in value.settles)
                for index, text in enumerate(
                        (KIND_OR_COUNTY_WORDS[lang][group.kind], group.id, group.name),
                        start=1):
                    ws.value(row, index, text)
                _status_cell(ws, row, 4, group.status, lang)
                cells_of_row: tuple[str | None, ...] = (value.cell, value.heading, label,
                                                        value.path, ", ".join(value.clauses),
                                                        settles)
                for index, cell_text in enumerate(cells_of_row, start=5):
                    ws.value(row, index, cell_text)
    _finish_list(ws, len(widths), row)


def write_results_xlsx(report: Report, path: str | Path, lang: str = "zh",
                       progress: Callable[[int, int], None] | None = None) -> None:
    """Write an evaluation report as a workbook (总览, one sheet per kind, 明细).

    Args:
        report: the evaluation report.
        path: the .xlsx file to write.
        lang: ``zh`` or ``en``: sheet names, headers, status words, titles and summaries.
        progress: called as ``progress(done, total)`` as the candidates' rows are written
            (the detail sheet, the longest part), then once more when the file is saved.
    """
    if lang not in _RESULT_SHEETS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    names = _RESULT_SHEETS[lang]
    _check_rows(report, names["detail"])
    wb = Workbook(write_only=True)   # rows are sent as they are made, none kept

    def sheet(key: str) -> InOrderSheet:
        return InOrderSheet(wb.create_sheet(names[key]))

    summary = sheet("summary")
    _write_summary(summary, report, lang)
    summary.close()
    for kind in ("district", "industry", "enterprise"):
        kind_sheet = sheet(kind)
        _write_kind(kind_sheet, [e for e in report.entities if e.kind == kind], lang)
        kind_sheet.close()
    total = len(report.entities) + 2  # every candidate, the county, then saving
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    detail = sheet("detail")
    _write_detail(detail, report, lang, tick)
    detail.close()
    todo = sheet("todo")
    _write_todo(todo, report, lang, report.source_cells)
    todo.close()
    wb.save(Path(path))
    tick()
