"""Who may use the advisor's workspace: advisors, one-time invite links, sessions.

Credentials are never stored: an invite token and a session id are kept as SHA-256 hashes, so a
copy of the database cannot be used to sign in. The raw value exists only in the link printed
once and in the advisor's cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.base import HasConnection, iso, locked, transaction, utc
from bot.workspace_terms import ROLES as ROLES
from bot.workspace_terms import Role as Role

# A session of someone who signed in (OIDC) but is not an advisor: they get 403, never data.
NO_ROLE = "geen"

INVITE_TTL = timedelta(hours=24)
SESSION_IDLE = timedelta(hours=8)
SESSION_MAX = timedelta(hours=12)  # however active: a stolen cookie does not live for ever
OIDC_PENDING_TTL = timedelta(minutes=15)
# Writing last_seen on every request would make each page view a write; a minute is precise
# enough for an eight-hour idle timeout.
_TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The stored form of a credential."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class AdvisorAccount:
    """An advisor as the workspace knows them."""

    email: str
    role: Role
    name: str | None
    slack_id: str | None
    teams_id: str | None
    created_at: str


@dataclass(frozen=True)
class AdvisorSession:
    """A signed-in person: who, with which role (``geen`` for a non-advisor), and the CSRF token
    every state-changing request must carry."""

    email: str
    role: str
    csrf: str

    @property
    def is_advisor(self) -> bool:
        return self.role in ROLES


def _account(row: dict[str, object]) -> AdvisorAccount:
    role = str(row["role"])
    return AdvisorAccount(
        email=str(row["email"]),
        role="beheerder" if role == "beheerder" else "adviseur",
        name=str(row["name"]) if row.get("name") else None,
        slack_id=str(row["slack_id"]) if row.get("slack_id") else None,
        teams_id=str(row["teams_id"]) if row.get("teams_id") else None,
        created_at=str(row["created_at"]),
    )


class AdvisorStore:
    """Advisors, invites and sessions (a part of :class:`bot.storage.Store`)."""

    @locked
    def add_advisor(
        self: HasConnection,
        email: str,
        role: Role = "adviseur",
        by: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Make ``email`` an advisor with ``role`` (or change the role of an existing one)."""
        self.db.execute(
            "insert into advisors (email, role, created_at, created_by) values (?, ?, ?, ?) "
            "on conflict (email) do update set role = excluded.role",
            [email.lower(), role, iso(utc(now)), by],
        )

    @locked
    def remove_advisor(self: HasConnection, email: str) -> bool:
        """Remove an advisor; their sessions and open invites end at once."""
        email = email.lower()
        with transaction(self.db):
            cur = self.db.execute("delete from advisors where email = ?", [email])
            self.db.execute("delete from advisor_sessions where email = ?", [email])
            self.db.execute(
                "delete from advisor_invites where email = ? and used_at is null", [email]
            )
        return bool(cur.rowcount)

    @locked
    def advisors(self: HasConnection) -> list[AdvisorAccount]:
        """Every advisor, by e-mail address."""
        return [_account(r) for r in self.db.query("select * from advisors order by email")]

    @locked
    def has_advisor_route(self: HasConnection) -> bool:
        """Whether a person can read a hand-over: an advisor is registered, or a conversation
        where advisors are notified."""
        row = self.db.execute(
            "select exists (select 1 from advisors) or exists (select 1 from notify_targets)"
        ).fetchone()
        return bool(row and row[0])

    @locked
    def get_advisor(self: HasConnection, email: str) -> AdvisorAccount | None:
        """One advisor, or None."""
        rows = list(self.db.query("select * from advisors where email = ?", [email.lower()]))
        return _account(rows[0]) if rows else None

    @locked
    def link_advisor(
        self: HasConnection, email: str, slack_id: str | None = None, teams_id: str | None = None
    ) -> bool:
        """Link an advisor to their Slack user id and/or Entra object id."""
        sets, params = [], []
        if slack_id is not None:
            sets.append("slack_id = ?")
            params.append(slack_id)
        if teams_id is not None:
            sets.append("teams_id = ?")
            params.append(teams_id.lower())
        if not sets:
            return False
        cur = self.db.execute(
            f"update advisors set {', '.join(sets)} where email = ?", [*params, email.lower()]
        )
        return bool(cur.rowcount)

    @locked
    def advisor_by_channel_id(
        self: HasConnection, channel: str, user_id: str
    ) -> AdvisorAccount | None:
        """The advisor linked to this Slack user id or Teams (Entra) object id, or None."""
        column = {"slack": "slack_id", "teams": "teams_id"}.get(channel)
        if column is None:
            return None
        value = user_id.lower() if channel == "teams" else user_id
        rows = list(self.db.query(f"select * from advisors where {column} = ?", [value]))
        return _account(rows[0]) if rows else None

    # -- invites -------------------------------------------------------------------------------

    @locked
    def create_invite(
        self: HasConnection, email: str, role: Role = "adviseur", now: datetime | None = None
    ) -> str:
        """A new one-time sign-in token for ``email`` (valid 24 hours). Returned once, stored
        only as a hash."""
        token = secrets.token_urlsafe(32)
        now = utc(now)
        self.db.execute(
            "insert into advisor_invites (token_hash, email, role, created_at, expires_at) "
            "values (?, ?, ?, ?, ?)",
            [token_hash(token), email.lower(), role, iso(now), iso(now + INVITE_TTL)],
        )
        return token

    @locked
    def open_invites(self: HasConnection, now: datetime | None = None) -> list[tuple[str, str]]:
        """Invites not used yet and still valid: (e-mail address, valid until), oldest first."""
        rows = self.db.execute(
            "select email, expires_at from advisor_invites where used_at is null and "
            "expires_at > ? order by created_at",
            [iso(utc(now))],
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    @locked
    def redeem_invite(
        self: HasConnection, token: str, now: datetime | None = None
    ) -> tuple[str, Role] | None:
        """Use an invite: the e-mail address and role it was for, or None when the token is
        unknown, expired or used already. The person becomes an advisor with that role."""
        now = utc(now)
        with transaction(self.db):
            # One statement claims the invite, so two requests with one link cannot both win.
            cur = self.db.execute(
                "update advisor_invites set used_at = ? "
                "where token_hash = ? and used_at is null and expires_at > ? "
                "returning email, role",
                [iso(now), token_hash(token), iso(now)],
            )
            row = cur.fetchone()
            if row is None:
                return None
            email, role = str(row[0]), "beheerder" if row[1] == "beheerder" else "adviseur"
            existing = self.db.execute(
                "select role from advisors where email = ?", [email]
            ).fetchone()
            if existing is None:
                self.db.execute(
                    "insert into advisors (email, role, created_at) values (?, ?, ?)",
                    [email, role, iso(now)],
                )
            elif existing[0] != role and role == "beheerder":
                self.db.execute("update advisors set role = ? where email = ?", [role, email])
        return email, role  # type: ignore[return-value]

    # -- sessions ------------------------------------------------------------------------------

    @locked
    def create_session(
        self: HasConnection, email: str, role: str, now: datetime | None = None
    ) -> str:
        """Start a session; returns the session id for the cookie (stored only as a hash)."""
        session_id = secrets.token_urlsafe(32)
        ts = iso(utc(now))
        self.db.execute(
            "insert into advisor_sessions (id_hash, email, role, csrf, created_at, last_seen_at) "
            "values (?, ?, ?, ?, ?, ?)",
            [token_hash(session_id), email.lower(), role, secrets.token_urlsafe(24), ts, ts],
        )
        return session_id

    @locked
    def get_session(
        self: HasConnection, session_id: str, now: datetime | None = None
    ) -> AdvisorSession | None:
        """The live session with this id (idle for less than eight hours), or None.

        The role is read from the advisor list on every request, so removing an advisor or
        changing their role takes effect at once; a session from an identity provider's group
        claim keeps the role it was given at sign-in.
        """
        now = utc(now)
        key = token_hash(session_id)
        row = self.db.execute(
            "select s.email, s.role, s.csrf, s.last_seen_at, a.role, s.created_at "
            "from advisor_sessions s "
            "left join advisors a on a.email = s.email where s.id_hash = ?",
            [key],
        ).fetchone()
        if row is None:
            return None
        email, role, csrf, last_seen, listed_role, created = row
        last = datetime.fromisoformat(last_seen)
        if now - last >= SESSION_IDLE or now - datetime.fromisoformat(created) >= SESSION_MAX:
            self.db.execute("delete from advisor_sessions where id_hash = ?", [key])
            return None
        if now - last >= _TOUCH_EVERY:
            self.db.execute(
                "update advisor_sessions set last_seen_at = ? where id_hash = ?", [iso(now), key]
            )
        return AdvisorSession(email=email, role=listed_role or role, csrf=csrf)

    @locked
    def end_session(self: HasConnection, session_id: str) -> None:
        """Sign out."""
        self.db.execute("delete from advisor_sessions where id_hash = ?", [token_hash(session_id)])

    # -- OpenID Connect sign-ins in progress ---------------------------------------------------

    @locked
    def save_oidc_pending(
        self: HasConnection, state: str, nonce: str, verifier: str, now: datetime | None = None
    ) -> None:
        """Keep what the callback of an OIDC sign-in needs (state only as a hash)."""
        self.db.execute(
            "insert into oidc_pending (state_hash, nonce, verifier, created_at) "
            "values (?, ?, ?, ?)",
            [token_hash(state), nonce, verifier, iso(utc(now))],
        )

    @locked
    def take_oidc_pending(
        self: HasConnection, state: str, now: datetime | None = None
    ) -> tuple[str, str] | None:
        """The nonce and PKCE verifier of a sign-in in progress, once (a replayed callback finds
        nothing), or None when unknown or older than 15 minutes."""
        cur = self.db.execute(
            "delete from oidc_pending where state_hash = ? and created_at > ? "
            "returning nonce, verifier",
            [token_hash(state), iso(utc(now) - OIDC_PENDING_TTL)],
        )
        row = cur.fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def _purge_access(self: HasConnection, now: datetime) -> int:
        n = self.db.execute(
            "delete from advisor_sessions where last_seen_at < ?", [iso(now - SESSION_IDLE)]
        ).rowcount
        n += self.db.execute(
            "delete from advisor_invites where expires_at < ?", [iso(now - timedelta(days=7))]
        ).rowcount
        n += self.db.execute(
            "delete from oidc_pending where created_at < ?", [iso(now - OIDC_PENDING_TTL)]
        ).rowcount
        return int(n)
