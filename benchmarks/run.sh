#!/usr/bin/env bash
# Benchmark the main pages on the national-scale data set, on SQLite and on PostgreSQL:
#
#   bash benchmarks/run.sh [sqlite|postgresql|both] [extra `manage.py benchmark` arguments]
#
# For each database: a fresh database (a temporary SQLite file, or a throwaway PostgreSQL 15
# cluster), `migrate`, `generate_scale_data` (a few minutes), then `manage.py benchmark`,
# which writes benchmarks/latest-<database>.md and shows the change against the last run.
# Production settings (DEBUG off, compressed static files); the app is not exposed anywhere.
#
# Environment: SCALE (default 1.0, the generator's --scale), SEED (default 1), KEEP_SQLITE=path
# (reuse or keep that SQLite file between runs instead of generating anew), PG_BIN, PG_PORT.
set -euo pipefail

# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

which=${1:-both}
shift || true
case "$which" in
sqlite | postgresql | both) ;;
*) die "usage: bash benchmarks/run.sh [sqlite|postgresql|both] [benchmark arguments]" ;;
esac

ensure_venv
WORK=$(mktemp -d -t ibportal-bench.XXXXXX)
cleanup() {
    stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export DEBUG=false ALLOWED_HOSTS=localhost STATIC_ROOT="$WORK/static" PYTHONDONTWRITEBYTECODE=1
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
log "collectstatic"
"$PY" manage.py collectstatic --noinput -v0

# bench LABEL: migrate, generate and measure on $DATABASE_URL.
bench() {
    local label=$1
    shift
    log "$label: migrate"
    "$PY" manage.py migrate -v0
    if [ "$("$PY" manage.py shell -c 'from schools.models import Board; print(Board.objects.exists())' 2>/dev/null | tail -n 1)" = "True" ]; then
        log "$label: data present, not generated again"
    else
        log "$label: generate_scale_data --scale ${SCALE:-1.0} --seed ${SEED:-1}"
        "$PY" manage.py generate_scale_data --scale "${SCALE:-1.0}" --seed "${SEED:-1}"
    fi
    log "$label: benchmark"
    "$PY" manage.py benchmark "$@"
}

if [ "$which" != postgresql ]; then
    DATABASE_URL="sqlite:///${KEEP_SQLITE:-$WORK/scale.sqlite3}" bench SQLite "$@"
fi
if [ "$which" != sqlite ]; then
    find_pg_bin || die "PostgreSQL server binaries not found; apt-get install postgresql"
    start_postgres
    DATABASE_URL=$PG_URL bench PostgreSQL "$@"
    stop_postgres
fi
