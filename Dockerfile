# dramabot: one container, the SQLite database on a volume at /data.
#   docker build -t dramabot .
#   docker run -d --init --env-file .env -e DATABASE_PATH=/data/dramabot.sqlite3 -v dramabot-data:/data \
#       --restart unless-stopped dramabot
# (or: docker compose up -d, see compose.yaml). Full guide: docs/deployment.md
# BASE_IMAGE exists only for machines that cannot reach Docker Hub (see docs/deployment.md); leave it alone.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies and code. Migrations and bot/locale/*.json ship as package data.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
# The catalog loaded into an empty database on first start (also installed as package data).
COPY data/catalog.json.gz ./data/catalog.json.gz
# The demo extra (SimCord) is small and pure Python: `docker run --rm dramabot dramabot demo` works offline.
RUN pip install ".[demo]"

# Never run as root; the only writable place is the /data volume.
RUN useradd --create-home --uid 10001 --user-group dramabot \
    && mkdir -p /data \
    && chown dramabot:dramabot /data
USER dramabot

ENV DATABASE_PATH=/data/dramabot.sqlite3 \
    CATALOG_PATH=/app/data/catalog.json.gz \
    HEARTBEAT_SECONDS=60
VOLUME ["/data"]

# Healthy = the database opens at the current schema and the bot wrote a heartbeat in the last 3 minutes.
HEALTHCHECK --interval=60s --timeout=15s --start-period=120s --retries=3 CMD ["dramabot", "health"]

CMD ["dramabot", "run"]
