# syntax=docker/dockerfile:1
# Alur application image: migrate, workers and web (docker-compose.yml) all run from it.
# Only the runtime dependencies are installed: not the `stack` extra (the local launcher's Java
# runtime and SeaweedFS binary; Compose runs those as their own images) nor the `test` extra.

# Pinned to a patch release; pin the digest as well (python:3.11.14-slim-bookworm@sha256:...)
# once the image registry used for production is known.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# Front-end libraries come from npm, pinned by package-lock.json, and are served by the app.
FROM node:20.20.2-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN IBM_TELEMETRY_DISABLED=true npm ci --no-audit --no-fund

FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Shared libraries and fonts WeasyPrint needs to render letters to PDF.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# requirements.lock pins every transitive dependency; it constrains, the package decides.
COPY pyproject.toml requirements.lock ./
COPY alur/ alur/
COPY stack/ stack/
COPY storage/ storage/
COPY workers/ workers/
COPY web/ web/
COPY --from=assets /build/node_modules/@bpmn-io/form-js/dist/form-viewer.umd.js \
    /build/node_modules/@bpmn-io/form-js/dist/assets/form-js.css \
    /build/node_modules/@bpmn-io/form-js/LICENSE \
    web/static/vendor/form-js/
# The process owners' modeler: its build, and its stylesheets and fonts in their own layout.
COPY --from=assets /build/node_modules/camunda-bpmn-js/dist/assets/ web/static/vendor/camunda-bpmn-js/
COPY --from=assets /build/node_modules/camunda-bpmn-js/dist/camunda-cloud-modeler.production.min.js \
    /build/node_modules/camunda-bpmn-js/LICENSE \
    web/static/vendor/camunda-bpmn-js/
RUN pip install -c requirements.lock . \
    && rm -rf build *.egg-info

# Diagrams and forms deployed at start (ALUR_BPMN_DIR, ALUR_FORMS_DIR).
COPY bpmn/ bpmn/
COPY forms/ forms/
COPY deploy/kalender.toml deploy/kalender.toml
# The agencies' file the SOP table reads, and the example an installation loads or replaces:
# `docker compose run --rm migrate python -m alur.cli agencies load deploy/agencies.toml`.
COPY deploy/agencies.toml deploy/agencies.toml
COPY deploy/logo/ deploy/logo/

# Unprivileged user; /var/lib/alur is ALUR_DATA_DIR (a named volume in docker-compose.yml
# inherits this ownership when first mounted).
RUN groupadd --system --gid 10001 alur \
    && useradd --system --uid 10001 --gid alur --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin alur \
    && mkdir -p /var/lib/alur \
    && chown alur:alur /var/lib/alur
USER alur:alur

ENV ALUR_DATA_DIR=/var/lib/alur \
    ALUR_BPMN_DIR=/app/bpmn \
    ALUR_FORMS_DIR=/app/forms

EXPOSE 5000
CMD ["python", "-m", "workers"]
