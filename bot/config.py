"""One configuration object, read from the environment and passed down; no globals.

Secrets (tokens, passwords) are only ever read here, from the environment, and never logged.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from bot.database_url import is_postgres_url


def is_loopback_host(host: str) -> bool:
    """Whether a host name or address is this machine only (never 0.0.0.0 or a LAN address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseModel):
    """Everything the bot can be configured with. Every field has an ``ETHIEKBOT_*`` variable."""

    # Errors never repeat what was given: a setting may hold a password or a token.
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    db_path: Path = Field(default=Path("data/ethiekbot.db"))
    # PostgreSQL for several instances (takes db_path's place); holds a password: never shown.
    database_url: SecretStr | None = None
    knowledge_local: Path | None = None
    host: str = "127.0.0.1"
    port: int = 3978
    retention_days: int = Field(default=365, ge=1)  # logged outcomes
    state_days: int = Field(default=30, ge=1)  # conversation state after the last message
    secret: SecretStr | None = None  # keys the pseudonyms of users; never logged

    # Slack (issue: the advisor as a Slack app). Tokens only from the environment.
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None  # Socket Mode instead of a public URL
    slack_api_url: str | None = None  # Web API base URL override, for tests

    # Microsoft Teams (Bot Framework). Without an app id, authentication is off (local only).
    microsoft_app_id: str | None = None
    microsoft_app_password: SecretStr | None = None
    microsoft_app_type: str = "MultiTenant"  # MultiTenant, SingleTenant, UserAssignedMSI
    microsoft_app_tenant_id: str | None = None
    # Where tokens are checked; overridable for offline tests (a local OpenID/JWKS server).
    microsoft_openid_metadata_url: str | None = None
    microsoft_token_issuer: str | None = None

    # Mount /api/messages without an app id (authentication off): only when asked for with
    # ETHIEKBOT_TEAMS_LOCAL=1, and only on a loopback address.
    teams_local: bool = False
    # The hosts a serviceUrl may name when authentication is on: Bot Framework's channel
    # services. "*." matches any subdomain. ETHIEKBOT_TEAMS_SERVICE_HOSTS (comma-separated).
    teams_service_hosts: tuple[str, ...] = (
        "smba.trafficmanager.net",
        "*.botframework.com",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    )

    # Behind a reverse proxy: the client's address from X-Forwarded-For (ETHIEKBOT_BEHIND_PROXY).
    behind_proxy: bool = False
    # Limits per minute (bot/throttle.py); 0 switches one off.
    limit_turns_per_user: int = Field(default=60, ge=0)
    limit_turns_per_address: int = Field(default=600, ge=0)
    limit_new_per_user: int = Field(default=10, ge=0)
    limit_new_per_address: int = Field(default=60, ge=0)

    # Who is responsible for the processing and how to reach the data protection officer (FG):
    # the privacy statement names them (AVG art. 13(1)(a)-(b)).
    controller: str | None = None
    dpo_contact: str | None = None

    # The advisor's workspace (issue 8).
    public_url: str | None = None  # how people reach the server, for links (default host:port)
    notify_on: tuple[str, ...] = ("hoog", "ai-prohibited", "ai-high-risk", "overdracht", "antwoord")
    slack_advisor_channel: str | None = None  # Slack channel id where advisors are notified
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_advisor_group: str | None = None  # group or app-role value that makes an advisor

    @property
    def base_url(self) -> str:
        """The server's address for links in messages and invitations."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def oidc_enabled(self) -> bool:
        """Sign-in through an OpenID Connect provider is configured."""
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    @property
    def teams_enabled(self) -> bool:
        """Teams is on with an app id, or locally (authentication off) when asked for and the
        server listens on loopback only."""
        return bool(self.microsoft_app_id) or self.teams_local_allowed

    @property
    def teams_local_allowed(self) -> bool:
        """``ETHIEKBOT_TEAMS_LOCAL=1`` without an app id, on a loopback address."""
        return self.teams_local and not self.microsoft_app_id and is_loopback_host(self.host)

    @property
    def slack_enabled(self) -> bool:
        """Slack is on when a bot token and either a signing secret or an app token are set."""
        return self.slack_bot_token is not None and (
            self.slack_signing_secret is not None or self.slack_app_token is not None
        )

    @field_validator("database_url")
    @classmethod
    def _a_postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        # Anything else would quietly become a SQLite file of its own on every instance.
        if value is not None and not is_postgres_url(value.get_secret_value()):
            raise ValueError(
                "ETHIEKBOT_DATABASE_URL moet een URL postgresql://gebruiker:wachtwoord@host/"
                "database zijn / must be a URL postgresql://user:password@host/database"
            )
        return value

    @property
    def on_postgres(self) -> bool:
        """Whether the store runs on PostgreSQL (``ETHIEKBOT_DATABASE_URL``)."""
        return self.database_url is not None

    @property
    def database(self) -> str | Path:
        """What :meth:`bot.storage.Store.open` opens: the PostgreSQL URL, or the SQLite file."""
        return self.database_url.get_secret_value() if self.database_url else self.db_path

    @property
    def database_shown(self) -> str:
        """The database for messages and logs: the URL without its password, or the file."""
        if self.database_url is None:
            return str(self.db_path.resolve())
        parts = urlsplit(self.database_url.get_secret_value())
        host = parts.hostname or ""
        try:
            port = f":{parts.port}" if parts.port else ""
        except ValueError:  # not a number: shown as it is not, never with what follows
            port = ""
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{host}{port}{parts.path}"

    @property
    def secret_bytes(self) -> bytes | None:
        """The pseudonym key as bytes, when one is configured."""
        return self.secret.get_secret_value().encode() if self.secret else None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read ``ETHIEKBOT_DB``, ``ETHIEKBOT_KNOWLEDGE_LOCAL``, ``ETHIEKBOT_HOST``,
        ``ETHIEKBOT_PORT`` (or ``PORT``, as a PaaS sets it), ``ETHIEKBOT_RETENTION_DAYS``,
        ``ETHIEKBOT_DATABASE_URL`` (PostgreSQL), ``ETHIEKBOT_STATE_DAYS``, ``ETHIEKBOT_SECRET``,
        and ``SLACK_BOT_TOKEN``,
        ``SLACK_SIGNING_SECRET``, ``SLACK_APP_TOKEN``, ``SLACK_API_URL``, and ``MICROSOFT_APP_ID``,
        ``MICROSOFT_APP_PASSWORD``, ``MICROSOFT_APP_TYPE``, ``MICROSOFT_APP_TENANT_ID``; for the
        advisor's workspace ``ETHIEKBOT_PUBLIC_URL``, ``ETHIEKBOT_NOTIFY_ON`` (comma-separated
        triggers: hoog, ai-prohibited, ai-high-risk, overdracht; empty: none),
        ``ETHIEKBOT_SLACK_ADVISOR_CHANNEL``, ``ETHIEKBOT_OIDC_ISSUER``,
        ``ETHIEKBOT_OIDC_CLIENT_ID``, ``ETHIEKBOT_OIDC_CLIENT_SECRET``,
        ``ETHIEKBOT_OIDC_ADVISOR_GROUP``; limits per minute ``ETHIEKBOT_LIMIT_TURNS``,
        ``ETHIEKBOT_LIMIT_TURNS_PER_ADDRESS``, ``ETHIEKBOT_LIMIT_NEW_CONVERSATIONS``,
        ``ETHIEKBOT_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS``; ``ETHIEKBOT_TEAMS_LOCAL``,
        ``ETHIEKBOT_TEAMS_SERVICE_HOSTS``."""
        e = os.environ if env is None else env
        values: dict[str, object] = {}
        if e.get("ETHIEKBOT_DB"):
            values["db_path"] = Path(e["ETHIEKBOT_DB"])
        if e.get("ETHIEKBOT_DATABASE_URL"):
            values["database_url"] = e["ETHIEKBOT_DATABASE_URL"]
        if e.get("ETHIEKBOT_KNOWLEDGE_LOCAL"):
            values["knowledge_local"] = Path(e["ETHIEKBOT_KNOWLEDGE_LOCAL"])
        if e.get("ETHIEKBOT_HOST"):
            values["host"] = e["ETHIEKBOT_HOST"]
        port = e.get("ETHIEKBOT_PORT") or e.get("PORT")
        if port:
            values["port"] = int(port)
        if e.get("ETHIEKBOT_RETENTION_DAYS"):
            values["retention_days"] = int(e["ETHIEKBOT_RETENTION_DAYS"])
        if e.get("ETHIEKBOT_STATE_DAYS"):
            values["state_days"] = int(e["ETHIEKBOT_STATE_DAYS"])
        for var, name in (
            ("ETHIEKBOT_LIMIT_TURNS", "limit_turns_per_user"),
            ("ETHIEKBOT_LIMIT_TURNS_PER_ADDRESS", "limit_turns_per_address"),
            ("ETHIEKBOT_LIMIT_NEW_CONVERSATIONS", "limit_new_per_user"),
            ("ETHIEKBOT_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS", "limit_new_per_address"),
        ):
            if e.get(var):
                values[name] = e[var]  # pydantic reads the number, or says what is wrong
        if e.get("ETHIEKBOT_SECRET"):
            values["secret"] = e["ETHIEKBOT_SECRET"]
        if e.get("ETHIEKBOT_TEAMS_LOCAL", "").lower() in ("1", "true", "ja", "yes", "aan", "on"):
            values["teams_local"] = True
        if e.get("ETHIEKBOT_BEHIND_PROXY", "").lower() in ("1", "true", "ja", "yes", "aan", "on"):
            values["behind_proxy"] = True
        if e.get("ETHIEKBOT_TEAMS_SERVICE_HOSTS"):
            values["teams_service_hosts"] = tuple(
                x.strip().lower()
                for x in e["ETHIEKBOT_TEAMS_SERVICE_HOSTS"].split(",")
                if x.strip()
            )
        if "ETHIEKBOT_NOTIFY_ON" in e:
            values["notify_on"] = tuple(
                x.strip() for x in e["ETHIEKBOT_NOTIFY_ON"].split(",") if x.strip()
            )
        for var, name in (
            ("ETHIEKBOT_CONTROLLER", "controller"),
            ("ETHIEKBOT_DPO_CONTACT", "dpo_contact"),
            ("ETHIEKBOT_PUBLIC_URL", "public_url"),
            ("ETHIEKBOT_SLACK_ADVISOR_CHANNEL", "slack_advisor_channel"),
            ("ETHIEKBOT_OIDC_ISSUER", "oidc_issuer"),
            ("ETHIEKBOT_OIDC_CLIENT_ID", "oidc_client_id"),
            ("ETHIEKBOT_OIDC_CLIENT_SECRET", "oidc_client_secret"),
            ("ETHIEKBOT_OIDC_ADVISOR_GROUP", "oidc_advisor_group"),
        ):
            if e.get(var):
                values[name] = e[var]
        for var, name in (
            ("SLACK_BOT_TOKEN", "slack_bot_token"),
            ("SLACK_SIGNING_SECRET", "slack_signing_secret"),
            ("SLACK_APP_TOKEN", "slack_app_token"),
            ("SLACK_API_URL", "slack_api_url"),
            ("MICROSOFT_APP_ID", "microsoft_app_id"),
            ("MICROSOFT_APP_PASSWORD", "microsoft_app_password"),
            ("MICROSOFT_APP_TYPE", "microsoft_app_type"),
            ("MICROSOFT_APP_TENANT_ID", "microsoft_app_tenant_id"),
            ("MICROSOFT_OPENID_METADATA_URL", "microsoft_openid_metadata_url"),
            ("MICROSOFT_TOKEN_ISSUER", "microsoft_token_issuer"),
        ):
            if e.get(var):
                values[name] = e[var]
        return cls.model_validate(values)
