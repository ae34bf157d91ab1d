"""Read a dataset from any supported form and convert between forms, keeping values exact.

Forms, chosen by the path: ``.yaml``/``.yml`` and ``.json`` documents (`qstrong.data.validate`),
``.xlsx`` workbooks (`qstrong.io.workbook`) and folders of CSV files (`qstrong.io.csv_folder`).
`load_any` reads any of them into a validated `Dataset`; `convert` writes it back out in
another form. Every value survives a round trip exactly (rates as exact fractions, amounts
as exact decimals); comments and the original spelling of a value (``"187/200"`` versus
``93.5``) do not, since conversion goes through the validated dataset.

The command-line pieces (``qstrong template --xlsx FILE``, ``qstrong convert IN OUT``) are
`add_template_options`/`run_template` and `add_convert_command`/`run_convert`, for
``qstrong.cli.main`` to wire in.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from qstrong.core.errors import DataError
from qstrong.data.models import Dataset

__all__ = [
    "DOCUMENT_SUFFIXES",
    "TABULAR_SUFFIXES",
    "convert",
    "dataset_to_yaml",
    "is_tabular",
    "load_any",
    "write_any",
]

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")
TABULAR_SUFFIXES = (".xlsx", ".xlsm")
_REFUSED = {
    ".xls": "旧版 Excel 97-2003 (.xls) 文件读不了；请在 Excel 中另存为 .xlsx",
    ".ods": "OpenDocument (.ods) 文件读不了；请在 LibreOffice 中另存为 .xlsx",
    ".csv": "CSV 数据是一个文件夹（每张工作表一个 .csv 文件，如 评审.csv、强企.csv）；"
            "请给出文件夹的路径",
}


def is_tabular(path: str | Path) -> bool:
    """Whether a path is read by this module's spreadsheet readers (an .xlsx or a folder).

    `qstrong.data.validate.load_dataset` calls `load_any` for such paths.
    """
    p = Path(path)
    return p.is_dir() or p.suffix.lower() in (*TABULAR_SUFFIXES, *_REFUSED)


def load_any(path: str | Path) -> Dataset:
    """Read and validate a dataset from a YAML/JSON file, an .xlsx workbook or a CSV folder.

    Raises:
        DataError: unsupported or unreadable file.
        DataErrors: the data does not follow the data dictionary; for spreadsheets every
            diagnostic names its cell (``强企!H12``), header and candidate.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir():
        from qstrong.io.csv_folder import load_csv_dataset

        return load_csv_dataset(p)
    if suffix in TABULAR_SUFFIXES:
        from qstrong.io.workbook import load_workbook_dataset

        return load_workbook_dataset(p)
    if suffix in _REFUSED:
        raise DataError(f"unsupported file type '{p.suffix}': {_REFUSED[suffix]}", path=str(p))
    if suffix in DOCUMENT_SUFFIXES:
        from qstrong.data.validate import load_dataset

        return load_dataset(p)
    if not p.exists():
        raise DataError("no such file or folder", path=str(p))
    raise DataError(
        f"unsupported file type '{p.suffix}'; use .yaml, .yml, .json, .xlsx or a folder of "
        ".csv files", path=str(p))


# ---------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Safe YAML with exact numbers: a Decimal is written as its plain decimal text."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def dataset_to_yaml(dataset: Dataset) -> str:
    """YAML text of a dataset that `load_dataset` reads back to an equal dataset.

    Missing values are left out (absent and ``null`` mean the same); rates are written as
    exact decimals (or counts ``"p/t"`` when their decimals never end), amounts as exact
    decimals, dates as ISO dates.
    """
    data = dataset.model_dump(mode="python", exclude_none=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    return "# qstrong dataset (converted)\n" + text


def _output_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in TABULAR_SUFFIXES:
        return "xlsx"
    if path.is_dir() or suffix == "" or str(path).endswith(("/", "\\")):
        return "csv"
    if suffix == ".csv":
        raise DataError(_REFUSED[".csv"], path=str(path))
    raise DataError(
        f"cannot write '{path.suffix}' files; use .yaml, .yml, .json, .xlsx or a folder name",
        path=str(path))


def write_any(dataset: Dataset, path: str | Path) -> None:
    """Write a dataset in the form its path asks for (see `convert`)."""
    out = Path(path)
    kind = _output_kind(out)
    if kind == "yaml":
        out.write_text(dataset_to_yaml(dataset), encoding="utf-8")
    elif kind == "json":
        from qstrong.data.validate import dataset_to_json

        out.write_text(dataset_to_json(dataset) + "\n", encoding="utf-8")
    elif kind == "xlsx":
        from qstrong.io.workbook import write_dataset_xlsx

        write_dataset_xlsx(dataset, out)
    else:
        from qstrong.io.csv_folder import write_dataset_csv

        write_dataset_csv(dataset, out)


def convert(in_path: str | Path, out_path: str | Path) -> Dataset:
    """Convert a dataset between YAML, JSON, .xlsx and a CSV folder.

    Args:
        in_path: ``.yaml``, ``.yml``, ``.json``, ``.xlsx`` or a folder of CSV files.
        out_path: the same kinds; a path without suffix (or an existing folder) is a CSV
            folder, created if needed.

    Returns:
        The dataset read (and written).

    Raises:
        DataError: unsupported path; DataErrors: the input is not valid.
    """
    dataset = load_any(in_path)
    write_any(dataset, out_path)
    return dataset
