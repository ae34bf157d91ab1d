"""The clerk's to-do list (补数清单): every missing value that could change a verdict, by the
candidate whose row holds it, ordered by how many verdicts it could settle, with the cell
and heading to type it into; the values that cannot change any verdict listed apart.

A value "could change a verdict" when it leaves an unknown clause unknown in a candidate
whose verdict is unknown (`Report.missing`); the county's verdict waits on every such
candidate, so each of their values also counts the county. A missing value in a candidate
that fails anyway, or in a clause that fails whatever it is, cannot change a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qstrong.core.logic import Status
from qstrong.core.vocab import KIND_OR_COUNTY_WORDS, STATUS_WORDS
from qstrong.engine.results import Report
from qstrong.io.where import CellMap, cell_of, owner_of

__all__ = ["TODO_FILL", "TodoGroup", "TodoList", "TodoValue", "county_leads_text",
           "render_todo_text", "todo_list", "write_todo_workbook"]


@dataclass
class TodoValue:
    """One value to fill in."""

    path: str
    label_zh: str
    label_en: str
    cell: str | None
    heading: str | None
    clauses: list[str] = field(default_factory=list)
    settles: list[str] = field(default_factory=list)
    """The verdicts it could settle: candidate ids, ``county``."""

    def to_dict(self) -> dict[str, Any]:
        return {"cell": self.cell, "heading": self.heading, "label": self.label_zh,
                "label_en": self.label_en, "path": self.path, "clauses": list(self.clauses),
                "settles": list(self.settles)}


@dataclass
class TodoGroup:
    """The values of one candidate's row (or of the dataset-wide sheets: kind ``county``)."""

    kind: str
    id: str
    name: str
    status: Status
    values: list[TodoValue] = field(default_factory=list)

    @property
    def settles(self) -> list[str]:
        seen: dict[str, None] = {}
        for v in self.values:
            seen.update(dict.fromkeys(v.settles))
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name,
                "status": self.status.value, "settles": self.settles,
                "values": [v.to_dict() for v in self.values]}


@dataclass
class TodoList:
    """What to fill in, and what would not change anything."""

    county: dict[str, str]
    todo: list[TodoGroup]
    apart: list[TodoGroup]

    def to_dict(self) -> dict[str, Any]:
        return {"county": dict(self.county), "todo": [g.to_dict() for g in self.todo],
                "apart": [g.to_dict() for g in self.apart]}


def _in_row(path: str, owner: tuple[str, str], kind: str, entity_id: str) -> str:
    """The path within its owner's row: a member's field (``members[E05].advanced_qm``) is
    ``advanced_qm`` of the member's own row."""
    if owner != (kind, entity_id) and "]." in path:
        return path.split("].", 1)[1]
    return path


def todo_list(report: Report, cells: CellMap | None = None) -> TodoList:
    """The to-do list of a report; ``cells`` (from `load_dataset_cells`, by default the
    report's `source_cells`) adds each value's cell and heading for spreadsheet input."""
    dataset = report.dataset
    cells = cells if cells is not None else report.source_cells
    names = {(e.kind, e.id): (e.name, e.status) for e in report.entities}
    county_unknown = report.status is Status.UNKNOWN
    waiting = set()  # candidates whose unknown verdict the county waits on
    groups: dict[tuple[str, str], TodoGroup] = {}
    values: dict[tuple[tuple[str, str], str], TodoValue] = {}

    def value_of(kind: str, entity_id: str, path: str, clause: str, label: tuple[str, str],
                 target: dict[tuple[str, str], TodoGroup]) -> TodoValue:
        owner = owner_of(dataset, kind, entity_id, path)
        if owner not in target:
            name, status = names.get(owner, (dataset.county.name, report.status))
            target[owner] = TodoGroup(owner[0], owner[1] or dataset.county.code, name, status)
        local = _in_row(path, owner, kind, entity_id)
        key = (owner, local)
        found = values.get(key)
        if found is None:
            ref = None if cells is None else cell_of(cells, dataset, kind, entity_id, path)
            found = TodoValue(local, label[0], label[1], ref.ref() if ref else None,
                              ref.header if ref else None)
            values[key] = found
            target[owner].values.append(found)
        if clause not in found.clauses:
            found.clauses.append(clause)
        return found

    for item in report.missing():
        if item.kind == "county":
            if item.path.endswith(".strong"):
                waiting.add(item.path.split("[", 1)[1].split("]", 1)[0])
                continue
            value = value_of("county", "", item.path, item.clause_id,
                             (item.label_zh, item.label_en), groups)
            value.settles = ["county"]
            continue
        if names.get((item.kind, item.entity_id), ("", None))[1] is not Status.UNKNOWN:
            continue  # it fails anyway: listed apart below
        value = value_of(item.kind, item.entity_id, item.path, item.clause_id,
                         (item.label_zh, item.label_en), groups)
        if item.entity_id not in value.settles:
            value.settles.append(item.entity_id)
    for group in groups.values():
        for value in group.values:
            owner_waited = group.id in waiting or any(s in waiting for s in value.settles)
            if county_unknown and owner_waited and "county" not in value.settles:
                value.settles.append("county")
    apart: dict[tuple[str, str], TodoGroup] = {}
    listed = set(values)
    for entity in report.entities:
        for node in entity.nodes():
            if node.children or not node.missing:
                continue
            for path in node.missing:
                owner = owner_of(dataset, entity.kind, entity.id, path)
                local = _in_row(path, owner, entity.kind, entity.id)
                if (owner, local) in listed or path.endswith(".strong"):
                    continue
                value_of(entity.kind, entity.id, path, node.id,
                         (node.missing_label(path), node.missing_label(path, "en")), apart)
    order = {(e.kind, e.id): i for i, e in enumerate(report.entities)}
    todo = sorted(groups.values(), key=lambda g: (-len(g.settles), -len(g.values),
                                                  order.get((g.kind, g.id), -1)))
    for group in todo:
        group.values.sort(key=lambda v: -len(v.settles))
    return TodoList({"code": dataset.county.code, "name": dataset.county.name,
                     "status": report.status.value}, todo, list(apart.values()))


_WORDS = {
    "zh": {"title": "补数清单：{name}（{code}）· 县域结论 {status}",
           "todo": "补上这些数据可能改变结论（{values} 处，{groups} 个候选对象）：",
           "none": "没有会改变结论的缺失数据。",
           "group": "{kind} {id} {name}（{status}；补齐后可能改变 {n} 个结论：{which}）",
           "apart": "不影响任何结论的缺失数据（{values} 处）：", "county": "县域目标"},
    "en": {"title": "Data to fill in: {name} ({code}) · county {status}",
           "todo": "Filling these in could change verdicts ({values} values, {groups} "
                   "candidates):",
           "none": "No missing value could change a verdict.",
           "group": "{kind} {id} {name} ({status}; could settle {n} verdict(s): {which})",
           "apart": "Missing values that cannot change any verdict ({values}):",
           "county": "county target"},
}


def _value_line(value: TodoValue, lang: str) -> str:
    """The cell and its heading first (the clerk's terms); without a cell, the readers' name;
    then the field path and the clauses, for integrators."""
    if value.cell:
        where = (f"{value.cell}「{value.heading}」" if lang == "zh"
                 else f"{value.cell} “{value.heading}”")
    else:
        where = value.label_zh if lang == "zh" else (value.label_en or value.label_zh)
    return f"  {where}  [{value.path}; {', '.join(value.clauses)}]"


def county_leads_text(todo: TodoList, lang: str = "zh") -> str:
    """What the county's unknown verdict waits on, down to the candidates' own missing data
    (``explain DATASET county``): the to-do groups whose values could settle the county."""
    groups = [g for g in todo.todo if "county" in g.settles]
    if not groups:
        return ""
    head = ("县域目标的结论取决于下列候选对象，补上它们缺的数据：" if lang == "zh" else
            "The county's verdict waits on these candidates; fill in what they lack:")
    lines = [head]
    for group in groups:
        status = STATUS_WORDS[lang][group.status]
        lines.append(f"{KIND_OR_COUNTY_WORDS[lang][group.kind]} {group.id} {group.name}"
                     + (f"（{status}）" if lang == "zh" else f" ({status})"))
        lines += [_value_line(v, lang) for v in group.values]
    return "\n".join(lines) + "\n"


def render_todo_text(todo: TodoList, lang: str = "zh") -> str:
    """The to-do list as plain text, Chinese first (English with ``lang="en"``)."""
    w = _WORDS[lang]
    status = STATUS_WORDS[lang][Status(todo.county["status"])]
    lines = [w["title"].format(name=todo.county["name"], code=todo.county["code"],
                               status=status), ""]
    count = sum(len(g.values) for g in todo.todo)
    lines.append(w["todo"].format(values=count, groups=len(todo.todo)) if todo.todo
                 else w["none"])
    for group in todo.todo:
        which = "、".join(w["county"] if s == "county" else s for s in group.settles)
        lines += ["", w["group"].format(kind=KIND_OR_COUNTY_WORDS[lang][group.kind],
                                        id=group.id, name=group.name,
                                        status=STATUS_WORDS[lang][group.status],
                                        n=len(group.settles), which=which)]
        lines += [_value_line(v, lang) for v in group.values]
    if todo.apart:
        lines += ["", w["apart"].format(values=sum(len(g.values) for g in todo.apart))]
        for group in todo.apart:
            lines.append(f"{KIND_OR_COUNTY_WORDS[lang][group.kind]} {group.id} {group.name}")
            lines += [_value_line(v, lang) for v in group.values]
    return "\n".join(lines) + "\n"


TODO_FILL = "FFEB9C"
"""The fill of a cell still to be filled in (Excel's yellow "neutral" colour)."""


def write_todo_workbook(report: Report, todo: TodoList, path: str) -> int:
    """The dataset as a workbook in the template's layout, with the cells still to fill in
    highlighted and their notes saying which verdicts they could settle; the clerk fills
    them in and feeds the workbook back to ``qstrong evaluate``. Returns how many cells
    were highlighted (a value the sheets have no column for cannot be).
    """
    from openpyxl import load_workbook  # type: ignore[import-untyped]
    from openpyxl.comments import Comment  # type: ignore[import-untyped]
    from openpyxl.styles import PatternFill  # type: ignore[import-untyped]

    from qstrong.io.where import load_dataset_cells
    from qstrong.io.workbook import write_dataset_xlsx

    write_dataset_xlsx(report.dataset, path)
    dataset, cells = load_dataset_cells(path)
    assert cells is not None
    wb = load_workbook(path)
    fill = PatternFill("solid", fgColor=TODO_FILL)
    marked = 0
    for group in todo.todo:
        for value in group.values:
            kind, entity_id = group.kind, group.id
            ref = cell_of(cells, dataset, kind, entity_id, value.path)
            if ref is None:
                continue
            cell = wb[ref.sheet].cell(row=ref.row, column=ref.col)
            cell.fill = fill
            which = "、".join("县域目标" if s == "county" else s for s in value.settles)
            cell.comment = Comment(f"待补：补上后可能改变 {which} 的结论"
                                   f"（{', '.join(value.clauses)}）", "qstrong")
            marked += 1
    wb.save(path)
    return marked
