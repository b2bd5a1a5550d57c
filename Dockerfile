# Ethiekbot as a container: `ethiekbot serve` on port 3978, as a non-root user.
#
#   docker build -t ethiekbot .
#   docker run --rm -p 3978:3978 -e ETHIEKBOT_SECRET=... ethiekbot      # one instance, SQLite
#
# Several instances on PostgreSQL: see compose.yaml and the README section "Productie:
# PostgreSQL en meerdere instanties".
#
# Only what running needs goes in: the four packages, pyproject.toml and README.md (the
# package's readme). The knowledge YAML and the web chat's and workspace's static files are
# package data (pyproject.toml, [tool.setuptools.package-data]) and are installed with it.
# Every dependency has a manylinux wheel for CPython 3.11, so no compiler is needed.

FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY knowledge/ knowledge/
COPY dialogs/ dialogs/
COPY adapters/ adapters/

# A non-editable install of what running needs (no dev extras) into a venv the next stage
# copies whole. PostgreSQL (ETHIEKBOT_DATABASE_URL) needs its driver among these dependencies.
# The cache (knowledge/cache.py) is filled here, so no container parses the YAML or makes
# the word dictionaries again: read-only at run time, which the cache takes in its stride.
ENV ETHIEKBOT_CACHE_DIR=/opt/ethiekbot/cache
RUN python -m venv /opt/ethiekbot \
    && /opt/ethiekbot/bin/pip install . \
    && /opt/ethiekbot/bin/ethiekbot knowledge check \
    && /opt/ethiekbot/bin/python -m knowledge.dictionary


FROM python:3.11-slim-bookworm

ENV PATH=/opt/ethiekbot/bin:$PATH \
    ETHIEKBOT_CACHE_DIR=/opt/ethiekbot/cache \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

# The server's folder: data/ for SQLite (the default ETHIEKBOT_DB, data/ethiekbot.db, is
# relative to it) and kennis/ for the organisation's own knowledge (ETHIEKBOT_KNOWLEDGE_LOCAL).
# Both belong to the user the server runs as, so a named volume mounted there starts out
# writable by it.
RUN groupadd --system --gid 10001 ethiekbot \
    && useradd --system --uid 10001 --gid ethiekbot --home-dir /var/lib/ethiekbot \
        --shell /usr/sbin/nologin ethiekbot \
    && mkdir -p /var/lib/ethiekbot/data /var/lib/ethiekbot/kennis \
    && chown -R ethiekbot:ethiekbot /var/lib/ethiekbot

COPY --from=build /opt/ethiekbot /opt/ethiekbot

USER ethiekbot
WORKDIR /var/lib/ethiekbot

EXPOSE 3978

# Liveness: the process serves requests. (Readiness, /readyz, is for the load balancer: see
# compose.yaml.) Python, because the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3978/healthz', timeout=4)"]

# Exec form, so the server is PID 1 and gets SIGTERM itself: it stops taking new requests,
# finishes those in flight and the acknowledged Teams turns, then exits.
CMD ["ethiekbot", "serve", "--host", "0.0.0.0", "--port", "3978"]
