"""Review records: who recommended, approved and awarded which candidate (四(三)).

Every November the county office recommends candidates to the city, the city to the province,
and the province awards the title 省推进质量强省建设示范单位. A review record is one file per year,
YAML or CSV, one decision per entry: the county code, the candidate's kind and id, the level
(county, city, province), the decision (推荐, 审定, 授予), the date, who decided (a role) and the
reason. This module reads the file; `qstrong.engine.province` checks it against the verdicts.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import DataError, DataErrors, Diagnostic
from qstrong.core.messages import msg
from qstrong.core.positions import PosDict, PosList
from qstrong.core.source import Span

__all__ = ["DECISIONS", "LEVELS", "Decision", "read_review", "review_template",
           "review_template_csv"]

LEVELS = ("county", "city", "province")
"""The levels that decide, in order: each decides on what the level below put forward."""
DECISIONS = ("recommend", "approve", "award")
"""What a level may decide: recommend (推荐), approve (审定), award (授予)."""

_LEVEL_WORDS = {"county": "county", "city": "city", "province": "province",
                "县": "county", "县级": "county", "市": "city", "市级": "city", "设区市": "city",
                "省": "province", "省级": "province"}
_DECISION_WORDS = {"recommend": "recommend", "approve": "approve", "award": "award",
                   "推荐": "recommend", "审定": "approve", "审核": "approve", "授予": "award"}
_KIND_WORDS = {"district": "district", "industry": "industry", "enterprise": "enterprise",
               "强区": "district", "强业": "industry", "强企": "enterprise"}
_FIELDS = {"county": "县代码", "kind": "类别", "id": "编号", "level": "层级", "decision": "决定",
           "date": "日期", "by": "决定人", "reason": "理由"}


@dataclass(frozen=True)
class Decision:
    """One decision of a review record, with where it was written."""

    year: int
    county: str
    kind: str
    id: str
    level: str
    decision: str
    date: _dt.date | None
    by: str
    reason: str
    source: str
    span: Span | None = None
    row: int | None = None

    def where(self) -> str:
        """``review-2014.yaml:12`` or ``review-2014.csv`` row 5, for messages."""
        if self.span is not None:
            return self.span.location()
        return f"{self.source}:{self.row}" if self.row is not None else self.source


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _decision(raw: dict[str, Any], year: int, source: str, span: Span | None,
              row: int | None, problems: list[Diagnostic]) -> Decision | None:
    place = None if span else f"{source}:{row}" if row else source  # a CSV row has no span

    def bad(key: str, value: str, allowed: tuple[str, ...]) -> None:
        problems.append(Diagnostic(codes.REVIEW_RECORD, msg(
            "review_record.bad_word", field=key, value=value, allowed=", ".join(allowed)), span,
            file=place))

    level = _LEVEL_WORDS.get(_text(raw.get("level")))
    decision = _DECISION_WORDS.get(_text(raw.get("decision")))
    kind = _KIND_WORDS.get(_text(raw.get("kind")))
    missing = [k for k in ("county", "kind", "id", "level", "decision") if not _text(raw.get(k))]
    if missing:
        problems.append(Diagnostic(codes.REVIEW_RECORD,
                                   msg("review_record.missing", fields=missing), span,
                                   file=place))
        return None
    if level is None:
        bad("level", _text(raw.get("level")), LEVELS)
    if decision is None:
        bad("decision", _text(raw.get("decision")), DECISIONS)
    if kind is None:
        bad("kind", _text(raw.get("kind")), ("district", "industry", "enterprise"))
    day = raw.get("date")
    if isinstance(day, str) and day.strip():
        try:
            day = _dt.date.fromisoformat(day.strip())
        except ValueError:
            problems.append(Diagnostic(codes.REVIEW_RECORD, msg("date.not_real", value=day),
                                       span, file=place))
            day = None
    if level is None or decision is None or kind is None:
        return None
    return Decision(year, _text(raw.get("county")), kind, _text(raw.get("id")), level, decision,
                    day if isinstance(day, _dt.date) else None, _text(raw.get("by")),
                    _text(raw.get("reason")), source, span, row)


def read_review(path: str | Path) -> list[Decision]:
    """Every decision of a review record (YAML with ``year`` and ``decisions``, or CSV with a
    年度 column), or `DataErrors` naming the entries that cannot be read."""
    file = Path(path)
    problems: list[Diagnostic] = []
    out: list[Decision] = []
    if file.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
        rows = _table_rows(file)
        if not rows:
            raise DataError(msg("review_record.empty"), file=str(file), code=codes.REVIEW_RECORD)
        keys = [_heading(h) for h in rows[0]]
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            raw = {k: v for k, v in zip(keys, row, strict=False) if k}
            try:
                year = int(_text(raw.get("year")))
            except ValueError:
                problems.append(Diagnostic(codes.REVIEW_RECORD, msg("review_record.year"),
                                           file=f"{file}:{number}"))
                continue
            found = _decision(raw, year, str(file), None, number, problems)
            if found is not None:
                out.append(found)
    else:
        from qstrong.io.yamldoc import load_yaml_file

        doc = load_yaml_file(file)
        if not isinstance(doc, PosDict) or not isinstance(doc.get("decisions"), PosList):
            raise DataError(msg("review_record.shape"), file=str(file), code=codes.REVIEW_RECORD)
        given = doc.get("year")
        if not isinstance(given, int) or isinstance(given, bool):
            raise DataError(msg("review_record.year"), span=doc.span, code=codes.REVIEW_RECORD)
        year = given
        items: PosList = doc["decisions"]
        for index, item in enumerate(items):
            span = items.item_spans[index] if index < len(items.item_spans) else None
            if not isinstance(item, dict):
                problems.append(Diagnostic(codes.REVIEW_RECORD, msg("review_record.shape"), span))
                continue
            found = _decision(dict(item), year, str(file), span, None, problems)
            if found is not None:
                out.append(found)
    if problems:
        raise DataErrors(problems)
    return out


def _table_rows(file: Path) -> list[list[str]]:
    """The rows of a CSV file, or of a workbook's 审核 sheet (else its first sheet), as text."""
    if file.suffix.lower() == ".csv":
        from qstrong.io.csv_folder import decode_csv_bytes

        text, _ = decode_csv_bytes(file.read_bytes(), str(file))
        return list(csv.reader(io.StringIO(text, newline="")))
    from qstrong.io.workbook import read_workbook_sheets

    sheets = read_workbook_sheets(file)
    chosen = next((s for s in sheets if s.name.strip() in ("审核", "review")),
                  sheets[0] if sheets else None)
    if chosen is None:
        return []
    return [["" if v is None else v.isoformat() if isinstance(v, _dt.date) else str(v)
             for v in row] for row in chosen.rows]


def _heading(text: str) -> str:
    """A CSV heading's key: ``县代码 (county)`` → ``county``; the Chinese title alone works."""
    text = text.strip().lstrip("\ufeff")
    if text.endswith(")") and "(" in text:
        return text[text.rindex("(") + 1:-1].strip()
    by_title = {v: k for k, v in _FIELDS.items()} | {"年度": "year"}
    return by_title.get(text, text)


def review_template_csv(year: int) -> str:
    """A review record to fill in as CSV (Excel opens it): the headings and one example row."""
    heads = ["年度 (year)", *(f"{title} ({key})" for key, title in _FIELDS.items())]
    example = [str(year), "330681", "强企", "E01", "县", "推荐", f"{year}-11-20", "县质监局", ""]
    return "\ufeff" + ",".join(heads) + "\r\n" + ",".join(example) + "\r\n"


def review_template(year: int) -> str:
    """A review record to fill in: YAML with a Chinese comment on every key."""
    return f"""\
# 示范单位审核记录（{year} 年度）：县推荐、市审定、省授予，每个决定一项。
# Review record of {year}: one entry per decision (county recommends, city approves,
# province awards). qstrong province 读取以 review 开头的文件，并与评定结论核对。
year: {year}
decisions:
  - county: "330681"        # 县(市、区)行政区划代码
    kind: enterprise        # 类别：district 强区、industry 强业、enterprise 强企
    id: E01                 # 候选对象编号，与该县该年度数据集中的编号一致
    level: county           # 层级：county 县、city 设区市、province 省
    decision: 推荐          # 决定：推荐、审定、授予
    date: {year}-11-20        # 日期
    by: 县质监局            # 决定人或决定机构（职务）
    reason: ""              # 理由；推荐或授予未评定为强的候选对象时必须写明
"""
