"""Logging as the server does it: one line per event on stderr, and never a traceback.

A traceback carries exception messages, and those may quote what someone typed (a parser
quoting its input, a validation error quoting the value). So every error is logged as one line
naming the exception's class and the innermost frame of our code, whichever library logs it
(aiohttp's request parser, bolt, botbuilder).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries whose debug and info lines may carry message bodies: warnings and up only.
QUIET = ("slack_sdk", "slack_bolt", "botbuilder", "botframework", "msrest", "msal", "urllib3")


def where(exc: BaseException) -> str:
    """``file.py:line`` of the innermost frame of our own code (else of any code)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{os.path.basename(frame.filename)}:{frame.lineno}"


class OneLineFormatter(logging.Formatter):
    """A formatter that turns an attached exception into ``[Class at file:line]``."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info or record.stack_info:
            copy = logging.makeLogRecord(record.__dict__)
            exc = record.exc_info[1] if record.exc_info else None
            message = copy.getMessage()
            suffix = ""
            if exc is not None:
                # A library may have put the exception's text into its message ("error: …").
                text = str(exc)
                if text and text in message:
                    message = message.replace(text, type(exc).__name__)
                suffix = f" [{type(exc).__name__} at {where(exc)}]"
            copy.msg = message + suffix
            copy.args = None
            copy.exc_info = None
            copy.exc_text = None
            copy.stack_info = None
            return super().format(copy)
        return super().format(record)


def configure_logging(level: int = logging.INFO) -> None:
    """Replace whatever configured the root logger before (a library may have, on import)
    with one stderr handler using :class:`OneLineFormatter`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    # aiohttp's access log names every path, including report ids; ours says enough.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
