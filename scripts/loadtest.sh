#!/usr/bin/env bash
# A bounded load test against gunicorn on 127.0.0.1, with production-like settings:
#
#   bash scripts/loadtest.sh [--users 20] [--duration 60]
#
#  1. .venv with the project and its dev and load extras (locust)
#  2. a throwaway PostgreSQL cluster (or DATABASE_URL when set), migrate, seed_demo,
#     collectstatic
#  3. gunicorn on a free port on 127.0.0.1 with DEBUG off, a generated SECRET_KEY,
#     ALLOWED_HOSTS=127.0.0.1 and the HTTPS-only settings off (plain HTTP on localhost)
#  4. the mixed run: locust headless (benchmarks/locustfile.py), logged-in users of every role
#     on their usual pages and saves, every save in a ledger
#  5. the throughput phase: one session requesting a trivial authenticated page, then the
#     package page, each at a fixed concurrency
#  6. benchmarks/loadtest_verify.py reads the database back against the ledger and writes the
#     report to benchmarks/loadtest-latest.md (printed too)
#
# Exits non-zero when a request got a 5xx or no answer, when an accepted save is missing or a
# refused one was written anyway, or when no save was accepted. Everything it starts is
# stopped at the end; the logs stay in var/loadtest/.
#
# Environment (the options win): LOADTEST_USERS (20), LOADTEST_DURATION (seconds, 60),
# LOADTEST_SPAWN_RATE (users started per second, 5), LOADTEST_WORKERS (gunicorn workers: the
# number of cores, at least 2), LOADTEST_THROUGHPUT_USERS (10), LOADTEST_THROUGHPUT_SECONDS
# (10; 0 skips the phase), LOADTEST_WAIT_MIN / LOADTEST_WAIT_MAX (think time, 0.5 / 2 s),
# LOADTEST_REPORT (benchmarks/loadtest-latest.md), DATABASE_URL (an existing, disposable
# database: seed_demo writes the demo data into it and the test adds rows), PG_BIN, PG_PORT.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

USERS=${LOADTEST_USERS:-20}
DURATION=${LOADTEST_DURATION:-60}
while [ $# -gt 0 ]; do
    case "$1" in
    --users) USERS=${2:?--users needs a number}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
    esac
done
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-5}
CORES=$(nproc 2>/dev/null || echo 2)
WORKERS=${LOADTEST_WORKERS:-$((CORES < 2 ? 2 : CORES))}
THROUGHPUT_USERS=${LOADTEST_THROUGHPUT_USERS:-10}
THROUGHPUT_SECONDS=${LOADTEST_THROUGHPUT_SECONDS:-10}
REPORT=${LOADTEST_REPORT:-$ROOT/benchmarks/loadtest-latest.md}
for number in "$USERS" "$DURATION" "$SPAWN_RATE" "$WORKERS" "$THROUGHPUT_USERS" \
    "$THROUGHPUT_SECONDS"; do
    [[ "$number" =~ ^[0-9]+$ ]] || die "not a whole number: $number"
done
[ "$USERS" -ge 4 ] || die "--users must be at least 4 (one per role)"

# Logs and locust's output stay in var/loadtest/ (not in git) for a look afterwards; the
# collected static files are kept there between runs.
WORK=$ROOT/var/loadtest
OUT=$WORK/out
rm -rf "$OUT" "$WORK"/*.log
mkdir -p "$OUT"
GUNICORN_PID=""

stop_gunicorn() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    GUNICORN_PID=""
}
cleanup() {
    stop_gunicorn
    stop_postgres
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_venv "dev,load"
LOCUST="$VENV/bin/locust"
GUNICORN="$VENV/bin/gunicorn"

if [ -n "${DATABASE_URL:-}" ]; then
    warn "using DATABASE_URL from the environment: seed_demo and the test write into it"
    DATABASE_SERVER="the database from DATABASE_URL"
else
    find_pg_bin || die "PostgreSQL server binaries not found (apt-get install postgresql)" \
        "and no DATABASE_URL given"
    # Durable server defaults (fsync on): writes cost what they cost in production.
    start_postgres
    export DATABASE_URL="$PG_URL"
    DATABASE_SERVER="a throwaway PostgreSQL cluster, server defaults (fsync on)"
fi

# Production settings; only what plain HTTP on localhost needs is switched off.
export DJANGO_SETTINGS_MODULE=ibportal.settings
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
export STATIC_ROOT=$WORK/static
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export PYTHONDONTWRITEBYTECODE=1

log "Migrating and loading the demo data"
"$PY" manage.py migrate --noinput >"$WORK/migrate.log"
"$PY" manage.py seed_demo >"$WORK/seed.log"
# collectstatic (compressing every file) takes a minute or more here: skipped while nothing
# changed since the last run (static/ and the installed packages).
manifest=$STATIC_ROOT/staticfiles.json
if [ -f "$manifest" ] && [ -z "$(find "$ROOT/static" "$VENV"/.ibportal-installed-* \
    -newer "$manifest" -print -quit)" ]; then
    log "Static files unchanged since the last run: collectstatic skipped"
else
    log "Collecting the static files"
    "$PY" manage.py collectstatic --noinput >"$WORK/collectstatic.log"
fi

PORT=$(free_port)
HOST="http://127.0.0.1:$PORT"
log "Starting gunicorn with $WORKERS workers on $HOST"
GUNICORN_OPTIONS=(--bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 30
    --access-logfile "$WORK/access.log")
# gunicorn 25+: no control socket in ~/.gunicorn, shared with any other gunicorn.
if "$GUNICORN" --help | grep -q -- --no-control-socket; then
    GUNICORN_OPTIONS+=(--no-control-socket)
fi
# gunicorn's own log and the application's (LOG_LEVEL) both go to gunicorn.log.
"$GUNICORN" ibportal.wsgi "${GUNICORN_OPTIONS[@]}" >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
    if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "$HOST/account/login/" 2>/dev/null; then
        break
    fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || {
        cat "$WORK/gunicorn.log" >&2
        die "gunicorn did not start"
    }
    sleep 0.5
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
LOADTEST_RUN=$("$PY" -c 'import uuid; print(uuid.uuid4().hex[:8])')
export LOADTEST_OUT=$OUT LOADTEST_RUN

log "Mixed run: $USERS users for $DURATION s (locust headless)"
# locust exits 1 when a request failed; the verification below decides.
LOADTEST_PHASE=mixed "$LOCUST" -f benchmarks/locustfile.py --headless --only-summary \
    -u "$USERS" -r "$SPAWN_RATE" -t "${DURATION}s" --stop-timeout 15 --host "$HOST" \
    --csv "$OUT/mixed" DirectorUser IBUser BoardStaffUser PartnershipUser \
    >"$WORK/locust-mixed.log" 2>&1 || true
grep -E '^ +Aggregated' "$WORK/locust-mixed.log" | head -n 1 || true

if [ "$THROUGHPUT_SECONDS" -gt 0 ]; then
    for phase in trivial package; do
        log "Throughput: $phase page, $THROUGHPUT_USERS clients for $THROUGHPUT_SECONDS s"
        LOADTEST_PHASE=$phase "$LOCUST" -f benchmarks/locustfile.py --headless --only-summary \
            -u "$THROUGHPUT_USERS" -r "$THROUGHPUT_USERS" -t "${THROUGHPUT_SECONDS}s" \
            --host "$HOST" --csv "$OUT/$phase" ThroughputUser \
            >"$WORK/locust-$phase.log" 2>&1 || true
        grep -E '^ +Aggregated' "$WORK/locust-$phase.log" | head -n 1 || true
    done
fi
stop_gunicorn
# The refused pages (403) are logged with their traceback too; these are the real trouble.
if grep -q -E 'Internal Server Error|WORKER TIMEOUT|Worker .* (was sent|exited)' \
    "$WORK/gunicorn.log"; then
    warn "gunicorn logged server errors or worker trouble: see var/loadtest/gunicorn.log"
fi

log "Verifying the saves against the database; report in ${REPORT#"$ROOT"/}"
set +e
"$PY" benchmarks/loadtest_verify.py "$OUT" "$REPORT" \
    --meta="date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --meta="gunicorn=gunicorn $("$GUNICORN" --version 2>&1 | awk '{print $NF}' | tr -d '()')" \
    --meta="server=gunicorn with $WORKERS sync workers on 127.0.0.1 (timeout 30 s), $DATABASE_SERVER, locust $("$LOCUST" --version 2>&1 | awk '{print $2}') on the same machine; load average before the run: $LOAD_BEFORE" \
    --meta="settings=ibportal.settings with DEBUG=false, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, static files collected and served by WhiteNoise, CONN_MAX_AGE ${CONN_MAX_AGE:-60}; SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE false and SECURE_HSTS_SECONDS=0 (plain HTTP on localhost)" \
    --meta="load=$USERS users (weights: director 6, IB 6, board staff 5, partnership 3), started at $SPAWN_RATE/s, for $DURATION s, think time ${LOADTEST_WAIT_MIN:-0.5}-${LOADTEST_WAIT_MAX:-2} s" \
    --meta="throughput phase=$THROUGHPUT_USERS concurrent clients without think time, $THROUGHPUT_SECONDS s per page"
rc=$?
set -e
[ "$rc" -eq 0 ] || die "the load test failed (see above and var/loadtest/)"
log "Load test passed"
