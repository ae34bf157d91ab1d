"""The command line's argument parser: commands, options and argument types (no work here)."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal

from qstrong import __version__
from qstrong.cli.formats import FORMATS
from qstrong.cli.localized import Parser
from qstrong.cli.province_args import add_province_command
from qstrong.core.logic import Status
from qstrong.core.messages import Message, default_lang, msg
from qstrong.core.source import display_width
from qstrong.core.vocab import CJK, suggest

__all__ = ["KIND_NAMES", "STATUS_NAMES", "UsageError", "build_parser", "wrap_cells"]

STATUS_NAMES: dict[str, Status] = {
    "pass": Status.PASS, "fail": Status.FAIL, "unknown": Status.UNKNOWN,
    "not_applicable": Status.NOT_APPLICABLE, "na": Status.NOT_APPLICABLE,
    "达标": Status.PASS, "未达标": Status.FAIL, "无法判定": Status.UNKNOWN,
    "不适用": Status.NOT_APPLICABLE,
}
KIND_NAMES = ("district", "industry", "enterprise", "county")


class UsageError(Exception):
    """A command-line problem found by qstrong itself (exit status 2, message on stderr)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# ---------------------------------------------------------------- argument types


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]


def _status_list(value: str) -> frozenset[Status]:
    out = set()
    for part in _split(value):
        status = STATUS_NAMES.get(part.lower())
        if status is None:
            raise argparse.ArgumentTypeError(msg("usage.unknown_status", word=part))
        out.add(status)
    if not out:
        raise argparse.ArgumentTypeError(msg("usage.no_status"))
    return frozenset(out)


def _kind_list(value: str) -> frozenset[str]:
    parts = _split(value)
    for part in parts:
        if part not in KIND_NAMES:
            close = suggest(part, KIND_NAMES)
            raise argparse.ArgumentTypeError(msg("usage.unknown_kind", word=part,
                                                 kinds=", ".join(KIND_NAMES),
                                                 hint=f"; {close}" if close else ""))
    if not parts:
        raise argparse.ArgumentTypeError(msg("usage.no_kind"))
    return frozenset(parts)


def _id_list(value: str) -> frozenset[str]:
    parts = _split(value)
    if not parts:
        raise argparse.ArgumentTypeError(msg("usage.no_id"))
    return frozenset(parts)


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("usage.not_whole", text=value)) from None
    if not 40 <= width <= 1000:
        raise argparse.ArgumentTypeError(msg("usage.width"))
    return width



def _parse_years(text: str) -> list[int]:
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        try:
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-", 1))
                years.extend(range(lo, hi + 1))
            elif part:
                years.append(int(part))
        except ValueError:
            raise argparse.ArgumentTypeError(msg("usage.years_form", text=text)) from None
    if not years or any(not 1900 <= y <= 2100 for y in years) or len(years) > 50:
        raise argparse.ArgumentTypeError(msg("usage.years_range", text=text))
    return sorted(set(years))


def add_template_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--xlsx FILE``, ``--csv FOLDER`` and ``--years`` to the ``template`` command."""
    parser.add_argument("--xlsx", metavar="FILE", default=None,
                        help="写出 Excel 填报模板（带说明页、下拉列表和数值范围检查）"
                             " / write the fill-in workbook to FILE")
    parser.add_argument("--csv", metavar="FOLDER", default=None,
                        help="写出只有表头的 CSV 文件夹（每张工作表一个文件）"
                             " / write header-only CSV files into FOLDER")
    parser.add_argument("--years", type=_parse_years, default=None, metavar="YEARS",
                        help="按年份填写的指标包含哪些年份，如 2013-2014"
                             "（默认：今年及上一年，即规则对当前评审读取的年份）"
                             " / years that get a column, e.g. 2013-2014")
    parser.add_argument("--review", metavar="FILE", default=None,
                        help="写出示范单位审核记录模板（县推荐、市审定、省授予；年度取 --years"
                             " 的最后一年，默认今年）/ write a review record to fill in "
                             "(its year: the last of --years, default this year)")



def add_docs_options(parser: argparse.ArgumentParser) -> None:
    """Add this command's options (``--criteria``, ``--output``, ``--check``) to a parser."""
    parser.add_argument("--criteria", metavar="DIR", default=None,
                        help="criteria directory (default: the criteria shipped with qstrong)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-o", "--output", metavar="FILE", default=None,
                       help="write the page to FILE instead of standard output")
    group.add_argument("--check", metavar="FILE", default=None,
                       help="exit 1 (and show a short diff) if FILE differs from the page")



# ---------------------------------------------------------------- parser


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap text to ``width`` terminal cells: Chinese may break between any two characters,
    other text at spaces (argparse counts characters, so Chinese help would overflow).

    Examples:
        >>> wrap_cells("只显示这些结论 / show only these", 16)
        ['只显示这些结论 /', 'show only these']
    """
    lines: list[str] = []
    words = re.findall(f"[{CJK}]|[^\\s{CJK}]+|\\s+", text)
    line = ""
    for word in words:
        if word.isspace():
            word = " "
            if not line:
                continue
        if display_width(line + word) > width and line.strip():
            lines.append(line.rstrip())
            line = "" if word == " " else word
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; option help wrapped by display width."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_cells(" ".join(text.split()), width)


_EPILOG = """\
退出状态 (exit status):
  0  命令已运行（不论评定结论）/ the command ran, whatever the verdicts
  1  check、test 发现问题，或 docs --check 发现页面过期
     / check or test found problems, or docs --check found the page stale
  2  输入无效（数据、标准文件、参数）/ invalid input (data, criteria, arguments)

示例 (examples):
  qstrong template -o county.yaml            写出数据集模板
  qstrong evaluate county.yaml               评定并输出文本报告
  qstrong evaluate county.yaml --status fail,unknown --kind enterprise
  qstrong explain county.yaml D1             一个候选对象的完整说明和达标差距
  qstrong schema data -o qstrong-data.schema.json

文档 (docs): docs/cli.md
"""


def _add_output(parser: argparse.ArgumentParser) -> None:
    """``-o FILE`` and ``--force``: what every command that writes a file accepts."""
    parser.add_argument("-o", "--output", metavar="FILE", default=None,
                        help="写入文件而不是标准输出 / write to FILE instead of standard output")
    parser.add_argument("--force", action="store_true",
                        help="覆盖已存在的输出文件 / overwrite FILE if it exists")


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default=default_lang(),
                   help="输出和提示信息的语言（默认 zh，或环境变量 QSTRONG_LANG）/ language of "
                        "output and messages (default: zh, or $QSTRONG_LANG)")


def _add_common(p: argparse.ArgumentParser, *, criteria: bool = True, lang: bool = True,
                color: bool = True) -> None:
    if criteria:
        p.add_argument("--criteria", metavar="DIR", default=None,
                       help="标准文件目录（默认：qstrong 自带的标准）/ criteria directory "
                            "(default: the criteria shipped with qstrong)")
    if lang:
        _add_lang(p)
    if color:
        p.add_argument("--no-color", action="store_true",
                       help="不使用颜色和其他终端控制码 / never use colour or other ANSI codes")
        p.add_argument("--width", type=_width, metavar="N", default=None,
                       help="文本输出宽度（默认：终端宽度；非终端时 80）/ text width "
                            "(default: the terminal's, or 80 when not a terminal)")


def _size(text: str) -> int:
    from qstrong.core.limits import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(exc.args[0]) from None


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(msg("usage.assignment", text=text))
    return name.strip(), value.strip()


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", type=_assignment, action="append", metavar="NAME=VALUE",
                   dest="set_params", default=None,
                   help="假设评审参数取这个值（可重复；覆盖数据集中的 criteria_params），"
                        "如 --set scale_rank_top=5 / what-if: give a criteria parameter "
                        "this value (repeatable; over the dataset's criteria_params)")


def _add_run_options(p: argparse.ArgumentParser, *, color: bool = True) -> None:
    """What every command that evaluates a dataset accepts: criteria, language (and colour
    and width), what-if values, the size limit, and -o/--force."""
    _add_common(p, color=color)
    _add_set(p)
    _add_max_size(p)
    _add_output(p)


def _add_max_size(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-size", type=_size, metavar="SIZE", default=None,
                   help="YAML/JSON 数据集文件的大小上限（默认 512M，如 1G）/ largest YAML/JSON "
                        "dataset file read (default 512M; e.g. 1G)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="qstrong",
        description="质量强县示范创建评定：按标准文件评定强区、强业、强企和县域目标，\n"
                    "并逐条说明依据和差距。\n"
                    "Evaluates quality-strong county candidates against criteria files\n"
                    "and explains every verdict.",
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qstrong {__version__}",
                        help=msg("usage.version_help").render(default_lang()))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = _HelpFormatter

    ev = sub.add_parser(
        "evaluate", formatter_class=raw,
        help="评定数据集，输出每个候选对象和县域目标的结论 / evaluate a dataset",
        description="评定数据集中的每个候选对象和县域目标。文本输出：每个候选对象\n"
                    "一棵条款树（✓ 达标  ✗ 未达标  ? 无法判定  – 不适用，每行给出\n"
                    "差距），各类汇总表，最后是县域结论。\n"
                    "Evaluate every candidate and the county target.",
        epilog="筛选：文本输出中也按结论裁剪条款树；其他格式只挑选\n"
               "候选对象，县域部分保持完整。\n"
               "filters: text also prunes clause trees; other formats\n"
               "select candidates, the county part stays whole.\n\n"
               "examples:\n"
               "  qstrong evaluate county.yaml --status fail,unknown\n"
               "  qstrong evaluate county.yaml --kind district,industry --lang en\n"
               "  qstrong evaluate county.yaml --format json -o result.json",
    )
    ev.add_argument("dataset", help="数据集：.yaml、.yml、.json、.xlsx 文件或 CSV 文件夹"
                    " / dataset file (.yaml, .yml, .json, .xlsx) or CSV folder")
    ev.add_argument("--format", choices=FORMATS, default="text",
                    help="输出格式（默认 text；xlsx 需要 -o）/ output format "
                         "(default: text; xlsx needs -o)")
    _add_run_options(ev)
    ev.add_argument("--status", type=_status_list, action="append", metavar="LIST",
                    help="只显示这些结论：pass,fail,unknown,not_applicable（逗号分隔）"
                         " / show only these verdicts")
    ev.add_argument("--kind", type=_kind_list, action="append", metavar="LIST",
                    help="只显示这些类型：district,industry,enterprise,county"
                         " / show only these kinds")
    ev.add_argument("--entity", type=_id_list, action="append", metavar="ID",
                    help="只显示这些候选对象（可重复或逗号分隔；county 表示县域目标）"
                         " / show only these candidates")
    ev.add_argument("--no-progress", action="store_true",
                    help="不显示进度条 / never show the progress bar")
    ev.add_argument("--verdicts-only", action="store_true",
                    help="只给结论，不写说明（快得多；JSON 中没有说明字段）"
                         " / statuses only, no explanations (much faster; the JSON leaves "
                         "the explanation fields out)")

    ex = sub.add_parser(
        "explain", formatter_class=raw,
        help="一个候选对象的完整说明，以及达标还差什么 / explain one candidate",
        description="给出一个候选对象（或县域目标，ID 写 county）的完整条款树：\n"
                    "方案原文、规则、读取的数据、逐项成员、参数；最后列出要达标\n"
                    "需要改变的最少条款及各差多少，和需要补充的数据。\n"
                    "One candidate's full tree, then the shortest statement of what it\n"
                    "would take to pass.",
        epilog="examples:\n"
               "  qstrong explain county.yaml D1\n"
               "  qstrong explain county.yaml E12 --lang en\n"
               "  qstrong explain county.yaml county\n"
               "  qstrong explain county.yaml I1 --format json",
    )
    ex.add_argument("dataset", help="数据集文件 / dataset file")
    ex.add_argument("id", help="候选对象编号，或 county / candidate id, or 'county'")
    ex.add_argument("--kind", choices=KIND_NAMES, default=None,
                    help="编号在多个类型中重复时指明类型 / the kind, when the id is used by "
                         "several kinds")
    ex.add_argument("--format", choices=("text", "json"), default="text",
                    help="输出格式（默认 text）/ output format (default: text)")
    ex.add_argument("--as-scenario", action="store_true",
                    help="把这个候选对象的数据和当前结论写成场景文件（回归测试）"
                         " / write the candidate's data and current statuses as a scenario "
                         "file (a regression test)")
    _add_run_options(ex)

    sc = sub.add_parser(
        "schema", formatter_class=raw,
        help="输出数据集或标准文件的 JSON Schema / print a JSON Schema",
        description="输出 JSON Schema（draft 2020-12），供编辑器校验和补全数据集\n"
                    "（data）或标准文件（criteria）。在 YAML 文件第一行写\n"
                    "  # yaml-language-server: $schema=./qstrong-data.schema.json\n"
                    "即可让 VS Code（YAML 插件）等编辑器使用它，详见 docs/cli.md。\n"
                    "Print a JSON Schema of dataset or criteria files for editors.",
        epilog="examples:\n"
               "  qstrong schema data -o qstrong-data.schema.json\n"
               "  qstrong schema criteria -o qstrong-criteria.schema.json",
    )
    sc.add_argument("which", choices=("data", "criteria"),
                    help="data：数据集；criteria：标准文件 / which schema")
    _add_output(sc)

    tp = sub.add_parser(
        "template", formatter_class=raw,
        help="写出带中文注释的数据集模板 / write a starter dataset",
        description="写出一个数据集模板：每个字段一行中文注释（含义、单位、可接受的\n"
                    "写法）。指标都先填 null（缺失，评定为无法判定），按实际数据替换。\n"
                    "Write a starter dataset with a Chinese comment on every field.",
        epilog="examples:\n"
               "  qstrong template -o county.yaml\n"
               "  qstrong template --schema ./qstrong-data.schema.json -o county.yaml",
    )
    _add_output(tp)
    tp.add_argument("--schema", metavar="URL", default=None,
                    help="在第一行加上 yaml-language-server 的 $schema 注释 / add a "
                         "yaml-language-server $schema line pointing at URL")
    add_template_options(tp)
    _add_convert_command(sub)
    _add_sweep_command(sub)
    _add_diff_command(sub)
    _add_todo_command(sub)
    add_province_command(sub, _add_run_options)

    dc = sub.add_parser(
        "docs", formatter_class=raw,
        help="生成方案原文与规则对照页 docs/criteria.md / write the reviewers' page",
        description="由标准文件生成评审用的方案原文与规则对照页（Markdown）。\n"
                    "--check 时页面过期则退出状态为 1。\n"
                    "Generate the reviewers' page: each clause's plan text beside its rule.",
        epilog="examples:\n"
               "  qstrong docs -o docs/criteria.md\n"
               "  qstrong docs --check docs/criteria.md",
    )
    add_docs_options(dc)

    ck = sub.add_parser(
        "check", formatter_class=raw, help="检查标准文件并报告全部问题 / check criteria files",
        description="检查标准文件：语法、字段名、类型、条款编号。发现问题时退出状态为 1。\n"
                    "Check criteria files: grammar, names, types, ids.")
    ck.add_argument("criteria", nargs="?", default=None,
                    help="标准文件目录（默认：qstrong 自带的标准）/ criteria directory "
                         "(default: the criteria shipped with qstrong)")
    ck.add_argument("--strict", action="store_true",
                    help="有警告（标题与规则不一致等）时也以状态 1 退出 / exit 1 on warnings too")
    ck.add_argument("--show-code", metavar="CLAUSE", nargs="?", const="", default=None,
                    help="检查通过后显示规则编译成的 Python 代码（给出条款编号只显示该条款）"
                         " / after a clean check, print the Python the rules compile to "
                         "(of one clause when CLAUSE is given)")

    ts = sub.add_parser(
        "test", formatter_class=raw, help="运行场景文件（每个条款的预期结论）/ run scenario files",
        description="运行 YAML 场景文件，报告每一处与预期不符的结论。\n有不符时退出状态为 1。\n"
                    "Run YAML scenario files and report every mismatch.")
    ts.add_argument("paths", nargs="*", default=[],
                    help="场景文件或目录（默认：当前目录的 tests/cases，"
                         "没有则用 qstrong 自带的用例；当前目录有 criteria/ 时用它）"
                         " / scenario files or directories (default: "
                         "./tests/cases, else the packaged cases; ./criteria when present)")
    ts.add_argument("--criteria", metavar="DIR", default=None,
                    help="标准文件目录（默认：qstrong 自带的标准）/ criteria directory "
                         "(default: the criteria shipped with qstrong)")
    ts.add_argument("--coverage", action="store_true",
                    help="列出每个条款在用例中得到过的结论，以及从未未达标、从未无法判定的条款"
                         " / list the statuses each clause reaches, and the clauses never "
                         "seen failing or unknown")
    ts.add_argument("--format", choices=("text", "json", "junit"), default="text",
                    help="输出格式：text、json 或 junit（JUnit XML，供 CI 使用）/ output "
                         "format (junit: JUnit XML for CI systems)")
    _add_output(ts)
    it = sub.add_parser(
        "init", formatter_class=raw,
        help="写出一个工作目录：标准文件副本、示例、场景用例 / write a working folder",
        description="写出一个可以直接修改的工作目录：标准文件（criteria/）、示例数据集（examples/）、\n"
                    "场景用例（tests/cases/）和中文说明（README.md）。\n"
                    "Write a working folder: editable criteria, examples, scenario cases.",
        epilog="examples:\n  qstrong init 我的标准\n  cd 我的标准 && qstrong check criteria && "
               "qstrong test")
    it.add_argument("folder", nargs="?", default="qstrong-work",
                    help="目标目录（默认 qstrong-work）/ the folder (default: qstrong-work)")
    it.add_argument("--force", action="store_true",
                    help="目录不为空时也写入 / write into a non-empty folder")
    for command in sub.choices.values():  # every command speaks the language asked for
        if "--lang" not in command._option_string_actions:
            _add_lang(command)
    return parser


def _bound_value(text: str) -> Decimal:
    """A bound as the rule writes it: ``95``, ``95%``, ``5个百分点``, ``5pp`` (exact)."""
    cleaned = text.strip().removesuffix("%").removesuffix("％").removesuffix("个百分点")
    cleaned = cleaned.removesuffix("pp").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise argparse.ArgumentTypeError(msg("usage.not_number", text=text)) from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(msg("usage.not_finite", text=text))
    return value


def _add_sweep_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add the ``sweep`` command to the CLI's subparsers."""
    sw = sub.add_parser(
        "sweep", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="把一个条款的界限（或一个评审参数）逐步改变，看达标数量如何变化 / sweep a bound",
        description="把条款规则中的界限（如 93.5%）或一个评审参数从 --from 到 --to 按 --step 逐步\n"
                    "改变，列出每个取值下该条款达标的候选对象数、各类强的数量和县域结论。\n"
                    "标准文件不会被修改。\n"
                    "Move a clause's bound (or a parameter) over a range and count, at each "
                    "value, the clause's passes, the strong candidates and the county verdict.",
        epilog="examples:\n"
               "  qstrong sweep county.yaml district/1/food_processing --from 90 --to 96 "
               "--step 0.5\n"
               "  qstrong sweep county.yaml --param scale_rank_top --from 1 --to 20 --step 1\n"
               "  qstrong sweep county.yaml industry/scale --from 1 --to 20 --step 1 "
               "--format json")
    sw.add_argument("dataset", help="数据集 / dataset")
    sw.add_argument("clause", nargs="?", default=None,
                    help="条款编号（与 --param 同用时只用于计数）/ clause id")
    sw.add_argument("--from", dest="start", type=_bound_value, required=True, metavar="A",
                    help="起始值（按界限自己的单位，95 即 95%%）/ first value")
    sw.add_argument("--to", dest="stop", type=_bound_value, required=True, metavar="B",
                    help="结束值（含）/ last value (included)")
    sw.add_argument("--step", type=_bound_value, required=True, metavar="S",
                    help="步长 / step")
    sw.add_argument("--param", metavar="NAME", default=None,
                    help="改变这个评审参数（而不是条款中的界限）/ sweep this parameter")
    sw.add_argument("--format", choices=("text", "json", "html", "xlsx"), default="text",
                    help="输出格式（默认 text；html 含折线图；xlsx 含图表，需要 -o）/ output "
                         "format (default: text; html and xlsx with a chart; xlsx needs -o)")
    _add_run_options(sw, color=False)


def _add_todo_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add the ``todo`` command to the CLI's subparsers."""
    td = sub.add_parser(
        "todo", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="补数清单：还缺哪些数据、填在哪个单元格、补上能改变哪些结论 / what data to fill in",
        description="列出每一处可能改变结论的缺失数据：按候选对象分组，按能改变的结论数排序，\n"
                    "Excel 或 CSV 数据给出工作表、列标题和单元格；不影响任何结论的缺失数据另列。\n"
                    "List every missing value that could change a verdict, by candidate, with "
                    "the sheet, heading and cell to fill in; the others apart.",
        epilog="examples:\n  qstrong todo county.xlsx\n  qstrong todo county.xlsx --format json")
    td.add_argument("dataset", help="数据集 / dataset")
    td.add_argument("--format", choices=("text", "json"), default="text",
                    help="输出格式（默认 text）/ output format (default: text)")
    td.add_argument("--workbook", metavar="FILE.xlsx", default=None,
                    help="另写一个按模板排版的数据工作簿，待补的单元格标黄，填好后可直接再评定"
                         " / also write the dataset as a template workbook with the cells to "
                         "fill in highlighted, to fill in and evaluate again")
    _add_run_options(td, color=False)


def _add_diff_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add the ``diff`` command to the CLI's subparsers."""
    df = sub.add_parser(
        "diff", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="比较两次评定：两年的数据，或两个版本的标准 / compare two evaluations",
        description="比较两次评定，列出结论改变的每个候选对象，以及其下状态改变的每个条款\n"
                    "（两边的数值、要求和差距）。两个数据集用同一套标准比较；一个\n"
                    "数据集可用 --criteria 与 --to-criteria 比较两个版本的标准，\n"
                    "--set 只作用于之后一边。\n"
                    "Compare two evaluations: two datasets under one criteria set, or one "
                    "dataset under two criteria versions (--to-criteria) or what-if values "
                    "(--set, on the after side).",
        epilog="examples:\n"
               "  qstrong diff county-2014.yaml county-2015.yaml\n"
               "  qstrong diff county.yaml --criteria old-criteria --to-criteria criteria\n"
               "  qstrong diff county.yaml --set scale_rank_top=5 --format json")
    df.add_argument("before", help="之前的数据集 / the dataset before")
    df.add_argument("after", nargs="?", default=None,
                    help="之后的数据集（省略时与之前相同）/ the dataset after (default: the "
                         "same)")
    df.add_argument("--to-criteria", metavar="DIR", default=None,
                    help="之后一边用的标准目录（默认与 --criteria 相同）/ criteria of the after "
                         "side (default: as --criteria)")
    df.add_argument("--format", choices=("text", "json", "md", "html", "xlsx"), default="text",
                    help="输出格式（默认 text；xlsx 需要 -o）/ output format (default: text; "
                         "xlsx needs -o)")
    _add_run_options(df, color=False)


def _add_convert_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    """Add the ``convert`` command to the CLI's subparsers."""
    cv = sub.add_parser(
        "convert", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="在 YAML/JSON、Excel 和 CSV 文件夹之间转换数据集 / convert a dataset",
        description="在 YAML、JSON、Excel 工作簿（.xlsx）和 CSV 文件夹之间转换数据集，"
                    "每个数值都原样保留。\n"
                    "Convert a dataset between YAML, JSON, .xlsx and a CSV folder; every "
                    "value is kept exactly.",
        epilog="examples:\n"
               "  qstrong convert county.yaml county.xlsx\n"
               "  qstrong convert county.xlsx county-csv/\n"
               "  qstrong convert county-csv/ county.json")
    cv.add_argument("input", help="数据集：.yaml、.yml、.json、.xlsx 或 CSV 文件夹 / dataset")
    cv.add_argument("output", help="输出：.yaml、.yml、.json、.xlsx 或文件夹名 / output path")
    cv.add_argument("--force", action="store_true",
                    help="覆盖已存在的文件 / overwrite OUT if it exists")
