# The production image: the same code and Procfile as everywhere else.
# Build: docker build -t podcast .   Run: see docs/deploy.md (web, worker, release).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The source tree, not the installed copy, so templates/ and static/ sit beside the code.
    PYTHONPATH=/app \
    PODCAST_DATA_DIR=/app/var \
    PORT=8000

WORKDIR /app
COPY . .
RUN pip install .

# Hashed, compressed static files are baked into the image; WhiteNoise serves them.
# The key only lets settings load during the build: the container needs a real SECRET_KEY.
RUN DEBUG=0 SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin podcast \
    && mkdir -p /app/var/media /app/var/broker \
    && chown -R podcast /app/var
USER podcast

EXPOSE 8000
# Procfile's web; a worker runs the same image with the Procfile's worker command,
# and each release runs `python manage.py migrate --noinput` once before the new web starts.
CMD ["sh", "-c", "exec granian --interface wsgi podcast.wsgi:application --host 0.0.0.0 --port ${PORT:-8000} --workers ${WEB_CONCURRENCY:-2} --blocking-threads ${WEB_THREADS:-8} --no-ws --backpressure 2048 --http1-header-read-timeout 10000 --workers-kill-timeout 25"]
