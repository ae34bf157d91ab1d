"""The province report as a workbook: 总览 (the target and the years), 县 (each county-year),
名单 (the roster of candidates rated strong, with their reviews), 审核 (every decision, flagged
or not) and 进展 (the changes since each county's previous year). Written in write-only mode,
a row at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qstrong.core.logic import Status
from qstrong.core.vocab import STATUS_WORDS
from qstrong.engine.province import COUNTY_TARGET, ProvinceReport
from qstrong.report.province_words import UI, county_names, kind_word, target_lines

__all__ = ["write_province_xlsx"]

_SHEETS = {
    "zh": {"overview": "总览", "counties": "县", "roster": "名单", "review": "审核",
           "progress": "进展"},
    "en": {"overview": "overview", "counties": "counties", "roster": "roster",
           "review": "review", "progress": "progress"},
}
_HEADS = {
    "zh": {"year": "年度", "demonstration": "累计示范县", "unknown": "无法判定", "city": "设区市",
           "code": "县代码", "name": "名称", "status": "结论", "short": "还差（强区/强业/强企）",
           "source": "数据文件", "kind": "类别", "id": "编号", "level": "层级",
           "decision": "决定", "date": "日期", "by": "决定人", "reason": "理由",
           "flags": "需要核对",
           "from": "上一年度", "to": "本年度", "before": "上一年度结论", "after": "本年度结论",
           "awarded": "授予"},
    "en": {"year": "year", "demonstration": "demonstration counties", "unknown": "unknown",
           "city": "city", "code": "county code", "name": "name", "status": "status",
           "short": "short (d/i/e)", "source": "dataset file", "kind": "kind", "id": "id",
           "level": "level", "decision": "decision", "date": "date", "by": "decided by",
           "reason": "reason", "flags": "to look at", "from": "previous year",
           "to": "year", "before": "previous status", "after": "status", "awarded": "awarded"},
}


def write_province_xlsx(report: ProvinceReport, path: str | Path, lang: str = "zh") -> None:
    """Write the province workbook (five sheets) to ``path``."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    sheets, h, words, ui = _SHEETS[lang], _HEADS[lang], STATUS_WORDS[lang], UI[lang]
    book = Workbook(write_only=True)
    names = county_names(report)

    def sheet(key: str, head: list[str], rows: list[list[Any]]) -> None:
        ws = book.create_sheet(sheets[key])
        ws.append(head)
        for row in rows:
            ws.append(row)

    title, target, standing = target_lines(report, lang)
    overview: list[list[Any]] = [[title], [target], [standing], [],
                                 [h["year"], h["demonstration"], h["unknown"]]]
    overview += [[y, by["pass"], by["unknown"]] for y in report.years
                 for by in [report.demonstration_by(y)]]
    sheet("overview", [title], overview[1:])
    sheet("counties", [h["year"], h["city"], h["code"], h["name"], h["status"], h["short"],
                       h["source"]],
          [[c.year, c.city or "", c.code, c.name, words[c.status],
            "" if c.status is Status.PASS else "/".join(str(c.short()[k])
                                                        for k in COUNTY_TARGET), c.source]
           for c in report.counties])
    awarded = {(c.year, c.code, e.kind, e.id) for c, e in report.awarded()}
    sheet("roster", [h["year"], h["city"], h["code"], h["kind"], h["id"], h["name"],
                     h["status"], h["awarded"], h["flags"]],
          [[c.year, c.city or "", c.code, kind_word(e.kind, lang), e.id, e.name,
            words[e.status], "✓" if (c.year, c.code, e.kind, e.id) in awarded else "",
            ", ".join(report.flags(c, e))] for c, e in report.roster()])
    review_rows = []
    for (year, code, kind, ident), levels in sorted(report.reviews.items()):
        for level, d in levels.items():
            review_rows.append([year, names.get(code, (code, ""))[0], code,
                                kind_word(kind, lang), ident, ui["level"][level],
                                ui["decided"][d.decision], d.date.isoformat() if d.date else "",
                                d.by, d.reason])
    sheet("review", [h["year"], h["name"], h["code"], h["kind"], h["id"], h["level"],
                     h["decision"], h["date"], h["by"], h["reason"]], review_rows)
    sheet("progress", [h["code"], h["name"], h["kind"], h["id"], h["from"], h["before"],
                       h["to"], h["after"]],
          [[p.county, names[p.county][0], kind_word(p.kind, lang), p.id, p.from_year,
            words[p.before] if p.before is not None else ui["absent"], p.to_year,
            words[p.after] if p.after is not None else ui["absent"]]
           for p in report.progress()])
    book.save(str(path))
