"""Identifiers in a dataset: the unified social credit code (GB 32100-2015, with its check
character) and the six-digit county (administrative division) code."""

from __future__ import annotations

import re
from operator import mul
from typing import Annotated

from pydantic import PlainValidator, WithJsonSchema

from qstrong.core.messages import msg
from qstrong.data.parsing import describe_value, value_error

__all__ = ["CREDIT_CODE_CHARSET", "CountyCode", "CreditCode", "credit_code_check_char",
           "parse_county_code", "parse_credit_code"]

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_INDEX = {ch: i for i, ch in enumerate(CREDIT_CODE_CHARSET)}


def credit_code_check_char(first17: str) -> str:
    """The GB 32100-2015 check character of a unified social credit code's first 17 characters.

    Args:
        first17: the 17 characters before the check character.

    Returns:
        One character of `CREDIT_CODE_CHARSET`.

    Raises:
        ValueError: ``first17`` is not 17 characters of the code's character set.

    Examples:
        >>> credit_code_check_char("91440300708461136")
        'T'
    """
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")  # a caller's bug
    try:  # each character's value times its weight, summed (in C: a province has many)
        total = sum(map(mul, map(_CREDIT_INDEX.__getitem__, first17), _CREDIT_WEIGHTS))
    except KeyError as missing:
        raise ValueError(f"{missing.args[0]!r} is not allowed in a credit code") from None
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def parse_credit_code(value: object) -> str:
    """Check a unified social credit code: 18 characters with a valid check character.

    Examples:
        >>> parse_credit_code("91440300708461136T")
        '91440300708461136T'
    """

    if not isinstance(value, str):
        raise value_error(msg("credit_code.not_text", value=describe_value(value)))
    if len(value) != 18:
        raise value_error(msg("credit_code.length", value=repr(value), length=len(value)))
    bad = [ch for ch in value if ch not in CREDIT_CODE_CHARSET]
    if bad:
        raise value_error(msg("credit_code.character", value=repr(value), bad=repr(bad[0])))
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise value_error(msg("credit_code.check", value=repr(value), expected=repr(expected),
                              got=repr(value[17])))
    return value


CreditCode = Annotated[
    str,
    PlainValidator(parse_credit_code),
    WithJsonSchema({"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$"}),
]


def parse_county_code(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{6}", value):
        raise value_error(msg("county.code", value=describe_value(value)))
    return value


CountyCode = Annotated[
    str,
    PlainValidator(parse_county_code),
    WithJsonSchema({"type": "string", "pattern": r"^\d{6}$"}),
]
