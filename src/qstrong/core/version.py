"""The version of qstrong (one place; pyproject.toml says the same, a test checks it)."""

VERSION = "0.1.0"
