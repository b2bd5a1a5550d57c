"""The advisor workspace's fixed terms: roles, statuses and risk levels.

Apart from the storage so that the command line can offer them as choices without importing
the storage (part of its cold start)."""

from __future__ import annotations

from typing import Literal

Role = Literal["adviseur", "beheerder"]
ROLES: tuple[Role, ...] = ("adviseur", "beheerder")
STATUSES = ("nieuw", "in-behandeling", "doorverwezen", "afgerond")
RISKS = ("laag", "midden", "hoog")
