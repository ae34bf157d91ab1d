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
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from qstrong.core.exact import format_number
from qstrong.core.vocab import ALL_KINDS, KIND_WORDS, PARAM_TYPE_ZH, PARAM_UNITS
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


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|") or "—"


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


def _blockquote(text: str) -> list[str]:
    """The plan's words as a blockquote, line for line (no Markdown escaping)."""
    lines = text.splitlines() or [""]
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
    out.append(f"{heading} `{clause.id}` {clause.title_zh}")
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
    if clause.note:
        out.append(f"说明：{' '.join(clause.note.split())}")
        out.append("")
    for child in clause.children:
        out += _clause_lines(child, level + 1)
    return out


def _file_section(f: CriteriaFile) -> list[str]:
    out = [
        f"## {KIND_NAMES.get(f.kind, f.kind)}：{f.title_zh}（{f.section}）",
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
        "# 质量强县示范创建评定标准：方案原文与规则对照",
        "",
        "<!-- 本页由 qstrong docs 自动生成，请勿手工编辑。 -->",
        "",
        "本页供评审人员逐条核对：qstrong 的标准文件（`criteria/*.yaml`）是否忠实转录了"
        "《质量强县示范创建活动实施方案》“三、建设标准”及“二（一）建设目标”。"
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
