"""Every diagnostic code qstrong gives, as named constants in one table.

A code is stable: scripts and CI may match on it. Raise sites use the constants, never a
string literal; `docs/errors.md` lists every code with an example and what to do (a test
keeps the page and this table equal).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BOUND_WORD",
    "CODES",
    "CRITERIA_DIRECTORY",
    "CRITERIA_FILE",
    "CRITERIA_INCOMPLETE",
    "DATA_FILE",
    "DATA_VALUE",
    "DOCUMENT_SYNTAX",
    "DUPLICATE_INCIDENT",
    "DUPLICATE_KEY",
    "FRACTION_COLUMN",
    "INPUT",
    "OUTPUT_EXISTS",
    "OUTPUT_TOO_LARGE",
    "PARAM_OVERRIDE",
    "PERCENT_BELOW_ONE",
    "PROVINCE_BUNDLE",
    "REVIEW_RECORD",
    "RULE_SYNTAX",
    "RULE_TYPE",
    "SCENARIO",
    "SHEET_ENCODING",
    "SHEET_LAYOUT",
    "TITLE_NUMBER",
    "UNKNOWN_NAME",
    "CodeInfo",
]


@dataclass(frozen=True)
class CodeInfo:
    """What a code means, in the words of `docs/errors.md`."""

    code: str
    name: str
    meaning: str


INPUT = "E000"
DOCUMENT_SYNTAX = "E001"
DUPLICATE_KEY = "E002"
OUTPUT_EXISTS = "E003"
OUTPUT_TOO_LARGE = "E004"
CRITERIA_DIRECTORY = "E100"
CRITERIA_FILE = "E101"
RULE_SYNTAX = "E102"
UNKNOWN_NAME = "E103"
RULE_TYPE = "E104"
CRITERIA_INCOMPLETE = "E105"
DATA_FILE = "E200"
DATA_VALUE = "E201"
PARAM_OVERRIDE = "E202"
SHEET_LAYOUT = "E210"
SHEET_ENCODING = "E211"
SCENARIO = "E220"
PROVINCE_BUNDLE = "E230"
REVIEW_RECORD = "E231"
TITLE_NUMBER = "W101"
BOUND_WORD = "W102"
PERCENT_BELOW_ONE = "W103"
DUPLICATE_INCIDENT = "W301"
FRACTION_COLUMN = "W302"

CODES: dict[str, CodeInfo] = {info.code: info for info in (
    CodeInfo(INPUT, "INPUT", "an input problem with no more specific code"),
    CodeInfo(DOCUMENT_SYNTAX, "DOCUMENT_SYNTAX",
             "a YAML or JSON file cannot be read: syntax, size, nesting, encoding"),
    CodeInfo(DUPLICATE_KEY, "DUPLICATE_KEY", "a key is written twice in one mapping"),
    CodeInfo(OUTPUT_EXISTS, "OUTPUT_EXISTS", "the output file exists and --force was not given"),
    CodeInfo(OUTPUT_TOO_LARGE, "OUTPUT_TOO_LARGE",
             "the output would exceed what its format can hold (Excel's rows per sheet)"),
    CodeInfo(CRITERIA_DIRECTORY, "CRITERIA_DIRECTORY",
             "the criteria directory is missing, empty or holds too many files"),
    CodeInfo(CRITERIA_FILE, "CRITERIA_FILE",
             "a criteria file's shape is wrong: unknown, missing or duplicate keys and ids"),
    CodeInfo(RULE_SYNTAX, "RULE_SYNTAX", "a rule does not follow the rule language's grammar"),
    CodeInfo(UNKNOWN_NAME, "UNKNOWN_NAME", "a rule names a field or parameter that does not exist"),
    CodeInfo(RULE_TYPE, "RULE_TYPE",
             "a rule compares or combines values of kinds that do not fit together"),
    CodeInfo(CRITERIA_INCOMPLETE, "CRITERIA_INCOMPLETE",
             "a kind's criteria file or a required top-level clause is missing"),
    CodeInfo(DATA_FILE, "DATA_FILE",
             "a dataset file cannot be read: missing, unsupported type, not a mapping"),
    CodeInfo(DATA_VALUE, "DATA_VALUE",
             "a dataset value does not follow the data dictionary (field, cell or reference)"),
    CodeInfo(PARAM_OVERRIDE, "PARAM_OVERRIDE",
             "assessment.criteria_params names an unknown parameter or gives a bad value"),
    CodeInfo(SHEET_LAYOUT, "SHEET_LAYOUT",
             "a workbook or CSV folder does not follow the template's sheets and headings"),
    CodeInfo(SHEET_ENCODING, "SHEET_ENCODING", "a CSV file is neither UTF-8 nor GBK text"),
    CodeInfo(SCENARIO, "SCENARIO",
             "a scenario file is invalid: its shape, a patch, a status word, an unknown id"),
    CodeInfo(PROVINCE_BUNDLE, "PROVINCE_BUNDLE",
             "a province bundle is inconsistent: a county twice in one year, or counties "
             "of one year with different province benchmarks"),
    CodeInfo(REVIEW_RECORD, "REVIEW_RECORD",
             "a review record is invalid: its shape, a level or decision word, or a "
             "decision for a candidate the bundle does not have"),
    CodeInfo(TITLE_NUMBER, "TITLE_NUMBER",
             "warning: a clause's title quotes a number its rule does not use"),
    CodeInfo(BOUND_WORD, "BOUND_WORD",
             "warning: a clause's title says 以上/超过 but its rule compares the other way"),
    CodeInfo(PERCENT_BELOW_ONE, "PERCENT_BELOW_ONE",
             "warning: a percent parameter's default is below 1 (0.2 is 0.2 %, not 20 %)"),
    CodeInfo(DUPLICATE_INCIDENT, "DUPLICATE_INCIDENT",
             "warning: the same incident (date, type, description) is listed twice"),
    CodeInfo(FRACTION_COLUMN, "FRACTION_COLUMN",
             "warning: every quality loss rate lies at or below 1 while the province's is "
             "above: perhaps fractions (0.025) typed for percentages (2.5)"),
)}
"""Every code, in order."""
