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
QUIET = ("slack_sdk", "slack_bolt", "botbuilder", "botframework", "msal")
# Libraries whose warnings name the URL they retry (a conversation's id is in it): errors only;
# our own code logs a failed delivery, by class.
SILENT = ("urllib3", "msrest")


def where(exc: BaseException) -> str:
    """``file.py:line`` where the exception was raised, and the innermost frame of our own
    code on the way when that is elsewhere (``payload_utils.py:45 via slack.py:500``)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != "<frozen>"]
    if not frames:
        return "?"
    raised = frames[-1]
    at = f"{os.path.basename(raised.filename)}:{raised.lineno}"
    ours = [
        f for f in frames if "/site-packages/" not in f.filename and "/lib/python" not in f.filename
    ]
    if ours and ours[-1] is not raised:
        at += f" via {os.path.basename(ours[-1].filename)}:{ours[-1].lineno}"
    return at


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


class ClientFaults(logging.Filter):
    """aiohttp logs a garbled request (bad method, header or chunk) at ERROR: it is the
    client's fault, not the server's, so it is logged at INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError) and record.levelno > logging.INFO:
            record.levelno = logging.INFO
            record.levelname = "INFO"
        return True


def quiet_libraries() -> None:
    """The levels of the libraries' loggers as the server runs them (see QUIET, SILENT)."""
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in SILENT:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure_logging(level: int = logging.INFO) -> None:
    """Replace whatever configured the root logger before (a library may have, on import)
    with one stderr handler using :class:`OneLineFormatter`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    quiet_libraries()
    server = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, ClientFaults) for f in server.filters):
        server.addFilter(ClientFaults())
    # aiohttp's access log names every path, including report ids; ours says enough.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
