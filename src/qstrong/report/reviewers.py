"""Generate the reviewers' page ``docs/criteria.md``: each clause's plan text beside its rule.

The page is for the people who check that the criteria files say what the plan says:
for each candidate kind, in the plan's order, each clause's id, section, title, the
plan's own words (a blockquote), the rule as written, its condition, and the
parameters the files chose where the plan gives no number. It is generated, never
edited by hand::

    qstrong docs -o docs/criteria.md
    qstrong docs --check docs/criteria.md   # exit 1 when stale

The output depends only on the criteria files (no paths, dates or machine names), so
the same criteria always give the same bytes.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from qstrong.core.exact import format_number
from qstrong.core.vocab import ALL_KINDS, KIND_WORDS, PARAM_TYPE_ZH, PARAM_UNITS
from qstrong.data.indicators import (
    BRAND_LEVEL_LABELS,
    DISTRICT_INCIDENT_LABELS,
    ENTERPRISE_INCIDENT_LABELS,
    INDUSTRY_INCIDENT_LABELS,
    LED_STANDARD_LEVEL_LABELS,
    STANDARD_KIND_LABELS,
)
from qstrong.data.models import DISTRICT_KIND_LABELS, INDUSTRY_FOCUS_LABELS
from qstrong.engine.ruleset import Criteria
from qstrong.lang.criteria_file import ClauseDef, CriteriaFile, ParamDef

__all__ = [
    "BOUND_WORDS",
    "KIND_NAMES",
    "render_criteria_page",
]

REGENERATE = "qstrong docs -o docs/criteria.md"
"""The command that regenerates the page, as the page and the stale-page messages say it."""

KIND_NAMES: dict[str, str] = {**KIND_WORDS["zh"], "county": "质量强县（县域目标）"}
"""Chinese names of the four criteria kinds, in the plan's order."""

BOUND_WORDS: tuple[tuple[str, str, str], ...] = (
    ("以上（达到……以上）", "包括本数", "`>=`：“稳定在93.5%以上” → `value >= 93.5%`"),
    ("以下、以内", "包括本数", "`<=`"),
    ("超过", "不包括本数", "`>`：“超过60%” → `agri_standardization_rate > 60%`"),
    ("低于、不满", "不包括本数",
     "`<`：“低于全省平均水平” → `quality_loss_rate < province_benchmarks.quality_loss_rate`"),
    ("高于", "不包括本数",
     "`>`：“高于全省平均水平” → `value > province_benchmarks.spot_check_pass_rate[year]`"),
    ("达到100%、100%", "包括本数",
     "`>= 100%`（比率不超过100%，即等于100%）：“均达到100%” → "
     "`special_equipment.inspection_rate >= 100%`"),
    ("提高N个百分点以上", "包括本数",
     "两率之差，单位为百分点：`standard_adoption_rate.current - "
     "standard_adoption_rate.baseline >= 5个百分点`"),
)
"""(plan word, whether the number itself counts, how the rules write it)."""

_COMBINE_ZH = {"all": "全部子条款达标（all）", "any": "任一子条款达标即可（any）"}

CODE_TABLES: tuple[tuple[str, dict[str, str]], ...] = (
    ("强区 `kind`", DISTRICT_KIND_LABELS),
    ("强区事件 `incidents.type`", DISTRICT_INCIDENT_LABELS),
    ("强业事件 `incidents.type`", INDUSTRY_INCIDENT_LABELS),
    ("强企事件 `incidents.type`", ENTERPRISE_INCIDENT_LABELS),
    ("强区标准 `standards.kind`", STANDARD_KIND_LABELS),
    ("强业标准 `led_standards.level`", LED_STANDARD_LEVEL_LABELS),
    ("品牌 `brands.level`", BRAND_LEVEL_LABELS),
    ("强业建设重点 `focus`（只列出，不判定）", INDUSTRY_FOCUS_LABELS),
)
"""Every coded value a rule can name, with its Chinese label."""

PLAN_TITLE = "地区创质量强县计划的实施方案"
"""The plan's own heading, as the source page gives it."""

GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("`members`", "强业", "规上企业：数据集中 `industry` 为本产业编号、`above_designated_size` 为 "
     "true 的企业。某企业是否规上未填时，比例和计数按“计入”与“不计入”两种可能各算一遍，"
     "两种结论相同则照常判定，不同则“无法判定”，并列出需要补填的“规模以上企业”。"),
    ("`enterprises`", "强业", "产业内企业：`industry` 为本产业编号的全部企业（含规下企业），"
     "用于“涉及市场准入的企业100%持证生产”。"),
    ("`enterprises`", "县域目标", "强企候选：数据集中 `candidate` 不为 false 的企业，"
     "即开展质量强企建设的企业（二(二)(三)）。只为计算产业比例而列出的规上企业写 "
     "`candidate: false`，不评定、不计入30家。"),
    ("`districts`、`industries`", "县域目标", "全部强区候选、强业候选。"),
    ("`strong`", "县域目标", "评定为强：该候选对象的全部顶层条款达标（“不适用”计为达标）；"
     "结论为“无法判定”的候选对象按“可能是、也可能不是”计数。"),
    ("`incidents`", "强区、强业、强企", "事件清单（日期、类型），类型见下表。"),
    ("`standards`", "强区", "块状产业联盟标准、行业技术标准、行业质量诚信标准的清单。"),
    ("`led_standards`", "强业", "本产业为主制订的标准（仅参与起草的不算）。"),
    ("`brands`", "强业、强企", "名牌、著名商标等品牌（名称、级别、销售产值）。"),
    ("`province_benchmarks`", "全部", "全省平均水平等参照值"
     "（按年份的抽查合格率、质量损失率、单位能耗）。"),
    ("`assessment.date`", "全部", "评审基准日，时间窗口以它为终点。"),
)
"""(name in rules, where it is used, what it means), for the reviewers' glossary."""

READINGS: tuple[str, ...] = (
    "时间窗口 `within N years`：从评审基准日往前 N 年的那一天，到评审基准日，两端的日子都算在内。"
    "例如基准日 2014-11-01、2 年：2012-11-01 至 2014-11-01；2012-10-31 的事件不计。",
    "按年份填报的数值（如监督抽查合格率）：`within N years` 取评审基准日所在年及之前共 N 年，"
    "如基准日在 2014 年、2 年：2013 年和 2014 年。",
    "“近两年内……高于全省平均水平”：两年中的每一年都高于当年的全省平均水平，缺一年的数据即无法判定。",
    "“稳定在……以上”：参数 `stable_years`（默认 2 年）中的每一年都达到界限。",
    "`all(...)` 对一个空的清单（如数据集中没有某产业的任何企业）为“无法判定（没有数据）”，"
    "不视为“全部符合”；规则写 `empty = pass` 才表示空清单算达标（现行标准中没有这样的条款）。"
    "`none(...)` 对空清单为达标（没有发生事故），`count(...)` 为 0。",
)
"""How the rules read the plan's time and quantity words, in Chinese."""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped, HTML shown as text."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|") or "—"


def _inline_code(text: str) -> str:
    """Text as inline code, with a fence longer than any run of backticks inside it."""
    text = " ".join(text.split())
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _code_block(text: str) -> list[str]:
    """A fenced code block holding ``text`` exactly."""
    fence = "```"
    while fence in text:
        fence += "`"
    return [f"{fence}text", *text.splitlines(), fence]


def _plain(text: str) -> str:
    """Criteria text shown as written: HTML in it (``<script>``) is escaped, never run."""
    return html.escape(text, quote=False)


def _blockquote(text: str) -> list[str]:
    """The plan's words as a blockquote, line for line; HTML in them is shown, not run."""
    lines = html.escape(text, quote=False).splitlines() or [""]
    return [f"> {line}".rstrip() for line in lines]


def _anchor(clause_id: str) -> str:
    """A stable HTML anchor name for a clause id (``district/1`` → ``district-1``)."""
    return "clause-" + "".join(ch if ch.isalnum() else "-" for ch in clause_id)


def format_param_value(ptype: str, value: Decimal) -> str:
    """A parameter value with its unit: ``20%``, ``5个百分点``, ``2 年``, ``10``.

    Examples:
        >>> format_param_value("percent", Decimal("20"))
        '20%'
        >>> format_param_value("years", Decimal("2"))
        '2 年'
    """
    return f"{format_number(value)}{PARAM_UNITS.get(ptype, '')}"


def _params_table(params: Iterable[ParamDef]) -> list[str]:
    rows = [
        "| 参数 | 含义 | 类型 | 默认值 | 说明 |",
        "|---|---|---|---|---|",
    ]
    for p in params:
        rows.append(
            f"| `${p.name}` | {_cell(p.title_zh)} | {PARAM_TYPE_ZH.get(p.type, p.type)} "
            f"| {format_param_value(p.type, p.default)} | {_cell(p.note)} |"
        )
    return rows


def _clause_lines(clause: ClauseDef, level: int) -> list[str]:
    """One clause and, below it, its sub-clauses (one heading level deeper, at most 6)."""
    heading = "#" * min(level, 6)
    out: list[str] = []
    if level == 3:
        out += [f'<a id="{_anchor(clause.id)}"></a>', ""]
    out.append(f"{heading} `{clause.id}` {_plain(clause.title_zh)}")
    out.append("")
    meta = [f"- 方案条目：{clause.section}"]
    if clause.title_en:
        meta.append(f"- 英文标题：{clause.title_en}")
    out += meta
    out.append("")
    out.append("方案原文：")
    out.append("")
    out += _blockquote(clause.text)
    out.append("")
    if clause.correction:
        out.append(f"原文更正：{_plain(' '.join(clause.correction.split()))}")
        out.append("")
    if clause.applies_text is not None:
        out.append(f"适用条件（`applies_if`，不成立时本条“不适用”）：{_inline_code(clause.applies_text)}")
        out.append("")
    if clause.rule_text is not None:
        out.append("规则：")
        out.append("")
        out += _code_block(clause.rule_text)
        out.append("")
    elif clause.combine is not None:
        out.append(f"判定：{_COMBINE_ZH.get(clause.combine, clause.combine)}，"
                   f"共 {len(clause.children)} 项子条款：")
        out.append("")
    if clause.context_text:
        shown = "、".join(_inline_code(t) for t in clause.context_text)
        out.append(f"一并列出（不参与判定）：{shown}")
        out.append("")
    if clause.note:
        out.append(f"说明：{_plain(' '.join(clause.note.split()))}")
        out.append("")
    for child in clause.children:
        out += _clause_lines(child, level + 1)
    return out


def _file_section(f: CriteriaFile) -> list[str]:
    out = [
        f"## {KIND_NAMES.get(f.kind, f.kind)}：{_plain(f.title_zh)}（{f.section}）",
        "",
        f"- 标准文件：`criteria/{Path(f.path).name}`（版本 {f.version or '—'}）",
    ]
    if f.title_en:
        out.append(f"- 英文标题：{f.title_en}")
    out.append("")
    if f.params:
        out += ["### 参数（方案未给出具体数值之处）", ""]
        out += _params_table(f.params.values())
        out += ["", "可在数据集的 `assessment.criteria_params` 中逐项覆盖默认值。", ""]
    for clause in f.clauses:
        out += _clause_lines(clause, 3)
    return out


def _index_table(files: Sequence[CriteriaFile]) -> list[str]:
    rows = ["| 条款编号 | 标题 | 方案条目 | 类别 | 子条款数 |", "|---|---|---|---|---|"]
    for f in files:
        for clause in f.clauses:
            below = sum(1 for _ in clause.walk()) - 1
            rows.append(
                f"| [`{clause.id}`](#{_anchor(clause.id)}) | {_cell(clause.title_zh)} "
                f"| {clause.section} | {KIND_NAMES.get(f.kind, f.kind)} | {below} |"
            )
    return rows


def _codes_table() -> list[str]:
    rows = ["| 字段 | 代码 | 中文 |", "|---|---|---|"]
    for field_name, labels in CODE_TABLES:
        rows += [f"| {field_name} | `{code}` | {label} |" for code, label in labels.items()]
    return rows


def _ordered_files(criteria: Criteria) -> list[CriteriaFile]:
    known = [criteria.files[k] for k in ALL_KINDS if k in criteria.files]
    extra = [criteria.files[k] for k in sorted(criteria.files) if k not in ALL_KINDS]
    return known + extra


def render_criteria_page(criteria: Criteria) -> str:
    """The transcription page for a loaded criteria set, as Markdown (Chinese).

    Args:
        criteria: a checked `Criteria` (from `qstrong.load_criteria`).

    Returns:
        The whole page, ending with one newline; the same criteria give the same text.
    """
    files = _ordered_files(criteria)
    clause_count = sum(1 for f in files for c in f.clauses for _ in c.walk())
    out = [
        f"# 《{PLAN_TITLE}》评定标准：方案原文与规则对照",
        "",
        "<!-- 本页由 qstrong docs 自动生成，请勿手工编辑。 -->",
        "",
        "本页供评审人员逐条核对：qstrong 的标准文件（`criteria/*.yaml`）是否忠实转录了"
        f"《{PLAN_TITLE}》（正文自称为质量强县示范创建活动的实施方案）“三、建设标准”及“二（一）建设目标”。"
        "每一条款列出其编号、方案条目、标题、方案原文（引文）、按方案写成的规则表达式，"
        "以及适用条件（如有）；方案未给出具体数值之处（如“稳定在”“大幅下降”“居全省前列”），"
        "标准文件以命名参数给出默认值及理由，见各部分的参数表。",
        "",
        "本页由标准文件自动生成，请勿手工编辑：修改 `criteria/*.yaml` 后重新生成：",
        "",
        "```sh",
        REGENERATE,
        "# 或：qstrong docs",
        "# 检查本页是否为最新：qstrong docs --check docs/criteria.md",
        "```",
        "",
        "规则的写法见 [规则编写指南](rules-guide.md)；字段名及其含义见数据字典。",
        "",
        f"- 标准版本：{criteria.version}",
        f"- 标准文件校验和（sha256）：`{criteria.sha256}`",
        f"- 条款总数：{clause_count}（含子条款），参数：{len(criteria.params)} 个",
        "",
        "## 界限用语",
        "",
        "按《民法典》第一千二百五十九条的通常用法，方案中的界限用语这样写成规则：",
        "",
        "| 方案用语 | 本数 | 规则写法 |",
        "|---|---|---|",
        *(f"| {word} | {inclusive} | {how} |" for word, inclusive, how in BOUND_WORDS),
        "",
        "缺少数据时，规则既不判“达标”也不判“未达标”，而是“无法判定”（unknown）；"
        "适用条件不成立的条款为“不适用”，计为达标。",
        "",
        "## 名词",
        "",
        "规则中用到的清单和派生字段（其余字段名及含义见数据字典）：",
        "",
        "| 名称 | 用于 | 含义 |",
        "|---|---|---|",
        *(f"| {name} | {where} | {what} |" for name, where, what in GLOSSARY),
        "",
        "## 时间和数量的读法",
        "",
        *(f"- {line}" for line in READINGS),
        "",
        "## 取值代码",
        "",
        "规则中引号里的英文代码与中文的对应：",
        "",
        *_codes_table(),
        "",
        "## 条款索引",
        "",
        *_index_table(files),
        "",
    ]
    for f in files:
        out += _file_section(f)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def short_diff(old: str, new: str, name: str, limit: int = 40) -> list[str]:
    lines = list(difflib.unified_diff(
        old.splitlines(), new.splitlines(), fromfile=name, tofile="generated", lineterm="", n=1,
    ))
    if len(lines) > limit:
        rest = len(lines) - limit
        lines = [*lines[:limit], f"... ({rest} more diff lines)"]
    return lines
