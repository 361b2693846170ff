# The portal's production image: gunicorn serving pole.wsgi, with everything a Celery
# worker needs too (docker-compose.yml runs web, worker and beat from this one image).
#
#   docker build -t pole-portal .
#   docker run --env-file .env -p 8000:8000 pole-portal
#
# Configuration comes from the environment only (see .env.example and the README);
# nothing secret is baked into the image.

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=pole.settings \
    DEBUG=0 \
    MEDIA_ROOT=/var/lib/pole/media \
    PRIVATE_MEDIA_ROOT=/var/lib/pole/private-media

# WeasyPrint 70 loads Pango, PangoFT2, HarfBuzz (and its subset library), fontconfig and
# GObject at run time; on bookworm these three packages pull in the rest. DejaVu gives
# the PDFs a font that is always there; gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. psycopg2-binary
# (from requirements.txt) ships its own libpq, so the image needs no compiler or
# libpq-dev; building psycopg2 from source would be the alternative the psycopg
# maintainers recommend for production, at the cost of build-essential and libpq-dev here.
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt

COPY . .

# Compiled catalogues and static files are part of the image. The settings need a
# SECRET_KEY and ALLOWED_HOSTS when DEBUG is off; these throw-away values exist only for
# these two commands and are not kept in the image's environment. DEBUG=0 selects
# WhiteNoise's manifest storage, which is what the running image serves.
RUN SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS='*' DEBUG=0 \
        python manage.py compilemessages -v0 \
    && SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS='*' DEBUG=0 \
        python manage.py collectstatic --noinput -v0

# A user of its own: the code stays root-owned and read-only for the process; only the
# media folders and beat's state (volumes in docker-compose.yml) are writable. A new
# named volume mounted on one of them is initialised with the folder's owner.
RUN useradd --system --create-home --home-dir /home/pole --uid 1000 --user-group pole \
    && mkdir -p /var/lib/pole/media /var/lib/pole/private-media /var/lib/pole/beat \
    && chown -R pole:pole /var/lib/pole
USER pole

EXPOSE 8000

# /healthz checks the database, cache, broker and media storage, and is exempt from the
# HTTPS redirect (SECURE_REDIRECT_EXEMPT in pole/settings.py). Django answers 400 to a
# Host outside ALLOWED_HOSTS, so the probe sends the first allowed host ("*" or a
# ".domain" wildcard become a name that matches). Python's urllib: the image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"

# --worker-tmp-dir: gunicorn's heartbeat files in memory rather than on the overlay disk.
CMD ["gunicorn", "pole.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
