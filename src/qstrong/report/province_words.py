"""The words and rows every province renderer shares (text, Markdown, HTML, workbook): the
county table, the roster counts, the changes and the review lines, in Chinese or English."""

from __future__ import annotations

from typing import Any

from qstrong.core.logic import Status
from qstrong.core.vocab import KINDS, MARKS, STATUS_WORDS
from qstrong.engine.province import COUNTY_TARGET, ProvinceReport

__all__ = [
    "UI",
    "change_lines",
    "county_names",
    "county_rows",
    "kind_word",
    "review_lines",
    "roster_counts",
    "target_lines",
]

UI: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "质量强县示范创建：{counties} 个县（市、区），{first}–{last} 年",
        "target": "省级目标（二(一)）：截止 {year} 年创建 {needed} 个质量强县示范县 — {status}",
        "standing": "  已达到县域目标 {passed} 个，无法判定 {unknown} 个，未达到 {failed} 个{gap}",
        "gap": "；还差 {n} 个",
        "years": "各年度累计示范县（截止该年任一年达到县域目标）：",
        "year_row": "  {year}  {bar} {passed} 个{unknown}",
        "unknown": "（另 {n} 个无法判定）",
        "table": "各县（市、区）各年度县域目标（{marks}）与当年距 2/2/30 的差距：",
        "marks": ("✓ 达标", "✗ 未达标", "? 无法判定"),
        "county": "县（市、区）", "city": "设区市", "short": "当年还差（强区/强业/强企）",
        "met": "已达到",
        "roster": "示范单位候选名单（评定为强的候选对象；无法判定的另计）：",
        "roster_row": "  {year}  强区 {district}  强业 {industry}  强企 {enterprise}{unknown}",
        "roster_unknown": "  （无法判定 {n} 个）",
        "changes": "与上一评审年度相比的变化：",
        "change": "  {county} {kind} {id}：{before_year} 年{before} → {after_year} 年{after}",
        "absent": "未列入",
        "no_changes": "  （没有变化）",
        "more_changes": "  ……另有 {n} 项变化（全部见 --format json 或 xlsx 的“进展”表）",
        "review": "审核记录（县推荐 → 市审定 → 省授予）：",
        "decisions": "  {year} 年：县推荐 {recommend} 个，市审定 {approve} 个，省授予 {award} 个",
        "awarded": "  {year} 年授予示范单位 {n} 个：{names}",
        "flagged": "  需要核对 {n} 项：",
        "flag_row": "    {county} {kind} {id} {name}（{year} 年{status}）：{decided}；{why}",
        "not_strong": "当年未评定为强", "no_reason": "没有写明理由",
        "level_skipped": "上一级决定时缺少下一级的推荐",
        "decided": {"recommend": "推荐", "approve": "审定", "award": "授予"},
        "level": {"county": "县", "city": "市", "province": "省"},
        "no_review": "  （没有审核记录）",
    },
    "en": {
        "title": "Quality-strong county demonstration: {counties} counties, {first}-{last}",
        "target": "Province target (二(一)): {needed} demonstration counties by {year} — {status}",
        "standing": "  {passed} reached the county target, {unknown} unknown, {failed} not{gap}",
        "gap": "; {n} more needed",
        "years": "Demonstration counties by year (the county target met in any year so far):",
        "year_row": "  {year}  {bar} {passed}{unknown}",
        "unknown": " (and {n} unknown)",
        "table": "Each county's target per year ({marks}) and what it lacked of 2/2/30:",
        "marks": ("✓ pass", "✗ fail", "? unknown"),
        "county": "county", "city": "city", "short": "short that year (d/i/e)",
        "met": "met",
        "roster": "Roster of candidates rated strong (unknown ones apart):",
        "roster_row": "  {year}  districts {district}  industries {industry}  "
                      "enterprises {enterprise}{unknown}",
        "roster_unknown": "  ({n} unknown)",
        "changes": "Changes since each county's previous assessment:",
        "change": "  {county} {kind} {id}: {before} in {before_year} → {after} in {after_year}",
        "absent": "not listed",
        "no_changes": "  (none)",
        "more_changes": "  ... and {n} more (all of them in --format json, or the xlsx "
                        "progress sheet)",
        "review": "Review record (county recommends, city approves, province awards):",
        "decisions": "  {year}: {recommend} recommended, {approve} approved, {award} awarded",
        "awarded": "  {year}: {n} awarded: {names}",
        "flagged": "  {n} to look at:",
        "flag_row": "    {county} {kind} {id} {name} ({status} in {year}): {decided}; {why}",
        "not_strong": "not rated strong that year", "no_reason": "no reason written",
        "level_skipped": "a level decided without the level below",
        "decided": {"recommend": "recommended", "approve": "approved", "award": "awarded"},
        "level": {"county": "county", "city": "city", "province": "province"},
        "no_review": "  (no review record)",
    },
}
_KIND_ZH = {"district": "强区", "industry": "强业", "enterprise": "强企"}



def kind_word(kind: str, lang: str) -> str:
    """强区/强业/强企, or district/industry/enterprise."""
    return _KIND_ZH[kind] if lang == "zh" else kind


def county_names(report: ProvinceReport) -> dict[str, tuple[str, str]]:
    """County code → (name, city), as the latest year says."""
    return {c.code: (c.name, c.city or "") for c in report.counties}


def target_lines(report: ProvinceReport, lang: str) -> list[str]:
    """The title, the target's verdict and the standing of the counties."""
    ui, words = UI[lang], STATUS_WORDS[lang]
    years = report.years
    standing = list(report.county_status.values())
    passed = standing.count(Status.PASS)
    return [
        ui["title"].format(counties=len(county_names(report)), first=years[0] if years else "",
                           last=years[-1] if years else ""),
        ui["target"].format(year=report.target_year, needed=report.needed,
                            status=f"{MARKS[report.status]} {words[report.status]}"),
        ui["standing"].format(passed=passed, unknown=standing.count(Status.UNKNOWN),
                              failed=standing.count(Status.FAIL),
                              gap=ui["gap"].format(n=report.needed - passed)
                              if passed < report.needed else "").strip(),
    ]


def county_rows(report: ProvinceReport, lang: str) -> list[list[str]]:
    """The county table: a heading row, then per county its name and code, city, a mark per
    year and what it lacked of 2/2/30 in the years it fell short."""
    ui = UI[lang]
    years = report.years
    rows = [[ui["county"], ui["city"], *map(str, years), ui["short"]]]
    cells = {(c.code, c.year): c for c in report.counties}
    for code, (name, city) in sorted(county_names(report).items(),
                                     key=lambda kv: (kv[1][1], kv[0])):
        shorts = []
        for year in years:
            c = cells.get((code, year))
            if c is not None and c.status is not Status.PASS:
                gap = c.short()
                shorts.append(f"{year}: " + "/".join(str(gap[k]) for k in COUNTY_TARGET))
        rows.append([f"{name} ({code})", city,
                     *(MARKS[cells[(code, y)].status] if (code, y) in cells else "·"
                       for y in years),
                     "; ".join(shorts) or ui["met"]])
    return rows


def roster_counts(report: ProvinceReport) -> list[tuple[int, dict[str, int], int]]:
    """Per year: strong candidates of each kind, and how many are unknown."""
    out = []
    for year in report.years:
        strong = {k: 0 for k in KINDS}
        unknown = 0
        for c, e in report.roster():
            if c.year == year:
                if e.status is Status.PASS:
                    strong[e.kind] += 1
                elif e.status is Status.UNKNOWN:
                    unknown += 1
        out.append((year, strong, unknown))
    return out


def change_lines(report: ProvinceReport, lang: str) -> list[str]:
    """One line per change of a candidate since its county's previous year."""
    ui, words = UI[lang], STATUS_WORDS[lang]
    names = county_names(report)
    return [ui["change"].format(
        county=names[p.county][0], kind=kind_word(p.kind, lang), id=p.id,
        before_year=p.from_year, after_year=p.to_year,
        before=words[p.before] if p.before is not None else ui["absent"],
        after=words[p.after] if p.after is not None else ui["absent"]).strip()
        for p in report.progress()]


def review_lines(report: ProvinceReport, lang: str) -> list[str]:
    """The awards per year and the decisions to look at (indented as in the text report)."""
    ui, words = UI[lang], STATUS_WORDS[lang]
    if not report.reviews:
        return [ui["no_review"]]
    names = county_names(report)
    out = []
    for year in report.years:
        that_year = [d for key, levels in report.reviews.items() if key[0] == year
                     for d in levels.values()]
        if that_year:
            out.append(ui["decisions"].format(year=year, **{
                kind: sum(1 for d in that_year if d.decision == kind)
                for kind in ("recommend", "approve", "award")}))
        given = [f"{names[c.code][0]} {kind_word(e.kind, lang)} {e.id} {e.name}"
                 for c, e in report.awarded() if c.year == year]
        if given:
            out.append(ui["awarded"].format(year=year, n=len(given),
                                            names=("；" if lang == "zh" else "; ").join(given)))
    flagged = [(c, e, report.flags(c, e)) for c, e in report.roster() if report.flags(c, e)]
    if flagged:
        out.append(ui["flagged"].format(n=len(flagged)))
    for c, e, flags in flagged:
        review = report.reviews[(c.year, c.code, e.kind, e.id)]
        decided = ("、" if lang == "zh" else ", ").join(
            f"{ui['level'][level]}{'' if lang == 'zh' else ' '}{ui['decided'][d.decision]}"
            for level, d in review.items())
        out.append(ui["flag_row"].format(
            county=names[c.code][0], kind=kind_word(e.kind, lang), id=e.id, name=e.name,
            year=c.year, status=words[e.status], decided=decided,
            why=("；" if lang == "zh" else "; ").join(ui[f] for f in flags)))
    return out
