#!/usr/bin/env bash
# Start IB-portaal with fictional demo data on http://127.0.0.1:8000 (development server).
#
#   bash scripts/run-demo.sh
#
# Creates .venv when missing, installs the project, migrates the database (SQLite in var/
# unless DATABASE_URL is set), loads the demo data (idempotent: running it again updates the
# same rows) and serves with Django's development server. Every demo account has the password
# "demo"; see README.md for the accounts. Stop with Ctrl+C.
#
# Environment: PORT (default 8000), PYTHON (a Python 3.11+ to create .venv with).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_venv ""

# Development only: DEBUG on, a built-in insecure secret key, served on localhost.
export DEBUG=true
export DJANGO_SETTINGS_MODULE=ibportal.settings
# E-mail notices are printed right away instead of waiting in the queue for a worker
# (production runs `manage.py db_worker` next to gunicorn; see README.md).
export TASKS_BACKEND=${TASKS_BACKEND:-immediate}
PORT=${PORT:-8000}
# Links in the e-mail notices point at this demo.
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}

log "Migrating the database"
"$PY" manage.py migrate --noinput

log "Loading the demo data"
"$PY" manage.py seed_demo

cat <<EOF

IB-portaal demo on http://127.0.0.1:$PORT/ (stop with Ctrl+C)

Every demo account has the password: demo
  bestuur.a              board staff, Stichting Kempenwaard Onderwijs (board overview)
  beheer.a               board administrator of the same board (also the management pages)
  bestuur.b              board staff, Stichting Openbaar Onderwijs Heuvelrand
  directeur.regenboog    director of one school
  directeur.meer         director of two schools
  ib.tweescholen         intern begeleider with shares at two schools
  swv                    partnership staff (read-only)
  admin                  superuser (management pages at /beheer/)
More accounts in README.md.
EOF

exec "$PY" manage.py runserver "127.0.0.1:$PORT"
