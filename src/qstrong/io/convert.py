"""Convert a dataset between forms, keeping values exact.

Forms, chosen by the path: ``.yaml``/``.yml`` and ``.json`` documents (`qstrong.io.documents`),
``.xlsx`` workbooks (`qstrong.io.workbook`) and folders of CSV files (`qstrong.io.csv_folder`).
`qstrong.io.load.load_any` reads any of them into a validated `Dataset`; `convert` writes it
back out in another form. Every value survives a round trip exactly (rates as exact
fractions, amounts as exact decimals); comments and the original spelling of a value
(``"187/200"`` versus ``93.5``) do not, since conversion goes through the validated dataset.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from qstrong.core.errors import DataError
from qstrong.core.messages import msg
from qstrong.data.models import Dataset
from qstrong.io.documents import dataset_to_json
from qstrong.io.load import REFUSED, TABULAR_SUFFIXES, load_any

__all__ = ["convert", "dataset_to_yaml", "exact_yaml", "write_any"]

# ---------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Safe YAML with exact numbers: a Decimal is written as its plain decimal text."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def exact_yaml(data: Any) -> str:
    """Safe YAML of plain data, a Decimal written as its exact decimal text."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    return text


def dataset_to_yaml(dataset: Dataset) -> str:
    """YAML text of a dataset that `load_dataset` reads back to an equal dataset.

    Missing values are left out (absent and ``null`` mean the same); rates are written as
    exact decimals (or counts ``"p/t"`` when their decimals never end), amounts as exact
    decimals, dates as ISO dates.
    """
    data = dataset.model_dump(mode="python", exclude_none=True)
    return "# qstrong dataset (converted)\n" + exact_yaml(data)


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
        raise DataError(REFUSED[".csv"], file=str(path))
    raise DataError(msg("file.cannot_write", suffix=path.suffix), file=str(path))


def write_any(dataset: Dataset, path: str | Path) -> None:
    """Write a dataset in the form its path asks for (see `convert`)."""
    out = Path(path)
    kind = _output_kind(out)
    if kind == "yaml":
        out.write_text(dataset_to_yaml(dataset), encoding="utf-8")
    elif kind == "json":
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
