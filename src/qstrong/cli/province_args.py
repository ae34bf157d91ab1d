"""The ``province`` command's arguments: the bundle, the format, the processes, the review
records."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from qstrong.core.messages import msg

__all__ = ["add_province_command"]


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("usage.not_whole", text=text)) from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(msg("usage.jobs"))
    return jobs


def add_province_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_run_options: Callable[..., None],
) -> None:
    """Add the ``province`` command to the CLI's subparsers (with the options every command
    that evaluates takes, `add_run_options`)."""
    pv = sub.add_parser(
        "province", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="全省视图：多个县、多个年度一起评定，省级目标和各县进展 / the province's view",
        description="评定一个省的全部县（市、区）和年度：每个数据集是一个县一个年度（评审基准日所在年）。\n"
                    "给出省级目标（截止年度前达到县域目标的县数）、各年度累计示范县、各县各年度的结论和\n"
                    "差距、示范单位候选名单，以及与上一年度相比的变化。\n"
                    "Evaluate every county and year of a province bundle: the province target, "
                    "the years toward it, each county's verdicts, the roster and the changes.",
        epilog="examples:\n  qstrong province examples/province\n"
               "  qstrong province 各县数据/ --format json -o 全省.json -j 4")
    pv.add_argument("paths", nargs="+", metavar="PATH",
                    help="数据集文件、CSV 文件夹，或存放它们的文件夹（逐层查找）/ dataset files, "
                         "CSV folders, or folders holding them (searched)")
    pv.add_argument("--format", choices=("text", "json", "md", "html", "xlsx", "parquet"),
                    default="text",
                    help="输出格式（默认 text；xlsx、parquet 需要 -o）/ output format "
                         "(xlsx and parquet need -o)")
    pv.add_argument("-j", "--jobs", type=_jobs, metavar="N", default=None,
                    help="同时评定的进程数（默认：可用的 CPU 核数；1 表示不并行）/ processes "
                         "(default: the usable cores; 1: none)")
    pv.add_argument("--review", metavar="FILE", action="append", default=[],
                    help="示范单位审核记录（YAML 或 CSV，可重复；数据文件夹中以 review 开头的文件"
                         "自动读取）/ a review record (repeatable; review* files in the "
                         "folders are read anyway)")
    pv.add_argument("--no-progress", action="store_true",
                    help="不显示进度条 / no progress bar")
    add_run_options(pv, color=False)
