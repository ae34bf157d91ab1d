"""``qstrong init``: a working folder for an officer who has only the installed package — an
editable copy of the criteria, the examples, the scenario cases and a README in Chinese."""

from __future__ import annotations

import shutil
from pathlib import Path

from qstrong.core import codes
from qstrong.core.errors import QStrongError
from qstrong.core.resources import packaged

__all__ = ["README", "init_folder"]

README = """\
# qstrong 工作目录

这个文件夹由 `qstrong init` 生成，可以随意修改：

| 位置 | 内容 |
|---|---|
| `criteria/` | 评审标准文件（可编辑的副本）。改完先运行 `qstrong check criteria` |
| `examples/county.yaml` | 示例数据集（全部达标） |
| `examples/county-mixed.yaml` | 同一县含未达标和缺数据的版本 |
| `examples/county.xlsx` | 示例数据集的工作簿形式 |
| `tests/cases/` | 场景用例：每个条款在界限上、略高、略低、缺数据时应得的结论 |

常用命令（在本文件夹中运行）：

```sh
qstrong check criteria         # 检查标准文件
qstrong test                   # 用 criteria/ 运行 tests/cases/ 中的全部用例
qstrong evaluate examples/county-mixed.yaml --criteria criteria
qstrong explain examples/county-mixed.yaml D2 --criteria criteria
qstrong docs --criteria criteria -o 对照页.md                 # 方案原文与规则对照页
```

修改标准后，先 `qstrong check criteria`，再 `qstrong test`：用例的预期结论若因修改而变化，
请确认变化符合方案，再相应修改用例。规则写法见 qstrong 文档中的《规则编写指南》。
"""


def init_folder(target: str | Path, force: bool = False) -> Path:
    """Write the working folder; refuses a non-empty folder unless ``force``.

    Raises:
        QStrongError: the folder exists and is not empty.
    """
    root = Path(target)
    if root.exists() and any(root.iterdir()) and not force:
        raise QStrongError(f"{root} is not empty; choose another folder or use --force",
                           code=codes.OUTPUT_EXISTS)
    root.mkdir(parents=True, exist_ok=True)
    from qstrong.engine.ruleset import packaged_criteria_dir

    criteria = root / "criteria"
    criteria.mkdir(exist_ok=True)
    for f in sorted(packaged_criteria_dir().glob("*.yaml")):
        shutil.copyfile(f, criteria / f.name)
    examples = root / "examples"
    examples.mkdir(exist_ok=True)
    for name in ("county.yaml", "county-mixed.yaml", "county.xlsx"):
        shutil.copyfile(packaged(f"examples/{name}"), examples / name)
    cases = root / "tests" / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    for f in sorted(packaged("tests/cases").glob("*.yaml")):
        shutil.copyfile(f, cases / f.name)
    (root / "README.md").write_text(README, encoding="utf-8", newline="\n")
    return root
