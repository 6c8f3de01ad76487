# syntax=docker/dockerfile:1
# Build stage: wheels for the pinned requirements and the chosen optional extras.
FROM python:3.11-slim-bookworm AS build
WORKDIR /build
COPY pyproject.toml requirements/base.txt requirements/dev.txt ./
# Optional extras of pyproject.toml, comma-separated: offline-translation (the argos
# engine), sentry (error reporting). E.g. docker compose build --build-arg EXTRAS=sentry
ARG EXTRAS=""
# The extras' requirements come from pyproject.toml and their versions from the pins in
# dev.txt (which holds every extra), so the image runs what the tests ran.
RUN python -c "import sys, tomllib; extras = tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']; print('\n'.join(r for name in sys.argv[1].split(',') if name.strip() for r in extras[name.strip()]))" "$EXTRAS" > extras.txt \
    && pip wheel --no-cache-dir --wheel-dir /wheels -r base.txt -r extras.txt -c dev.txt

# Runtime stage: no compilers, code owned by root and only readable by the non-root user
# that runs it, static files collected and catalogues compiled at build time.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings
RUN groupadd --system --gid 10001 pressroom \
    && useradd --system --uid 10001 --gid pressroom --home-dir /app --shell /usr/sbin/nologin pressroom
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/* && rm -rf /wheels
COPY . .
# Interface catalogues compiled with polib (no gettext in the image), static files collected;
# the media folder (the media-data volume, unless media are on S3) is the one the user writes.
# The secret key exists for this one command only; the container must be given its own.
RUN python scripts/compilemessages.py locale*/*/LC_MESSAGES/*.po \
    && DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && mkdir -p /app/media && chown pressroom:pressroom /app/media
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "--config", "python:config.gunicorn", "config.wsgi:application"]
