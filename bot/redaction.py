"""Personal data out of log lines: e-mail addresses, order numbers, phone numbers and signed tokens.

The three processes (Rasa, the action server, the backend) call `install()` once their logging is set up; it
wraps the formatter of every handler, so whatever a library logs (a URL, a message text, an exception) is
redacted in the final line. Standard library only: the backend imports it too (one rule set for all logs).
"""

from __future__ import annotations

import logging
import re

_RULES = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}"), "[token]"),  # JWTs (the known-shopper token)
    (re.compile(r"\b(?:SA|sa)[-\s]?\d{6}\b|#\d{6}\b"), "[order]"),
    (re.compile(r"\+\d[\d\s().-]{7,}\d"), "[phone]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats with the handler's own formatter, then redacts the line."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record))


def install(logger_names: tuple = ("", "uvicorn", "uvicorn.access", "uvicorn.error", "rasa", "rasa_sdk", "sanic",
                                   "sanic.root", "sanic.access", "sanic.error")) -> None:
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            formatter = handler.formatter or logging.Formatter()
            if not isinstance(formatter, RedactingFormatter):
                handler.setFormatter(RedactingFormatter(formatter))
