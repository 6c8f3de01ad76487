# syntax=docker/dockerfile:1
# Build stage: wheels for the pinned requirements.
FROM python:3.11-slim-bookworm AS build
WORKDIR /build
COPY requirements/base.txt requirements.txt
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

# Runtime stage: no compilers, a non-root user, static files collected at build time.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings
RUN groupadd --system --gid 10001 pressroom \
    && useradd --system --uid 10001 --gid pressroom --home-dir /app pressroom
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/* && rm -rf /wheels
COPY --chown=10001:10001 . .
# Interface catalogues compiled with polib (no gettext in the image), static files collected.
RUN python scripts/compilemessages.py locale*/*/LC_MESSAGES/django.po \
    && DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
