#!/usr/bin/env bash
# Run every check and the whole test suite:
#
#   bash scripts/test.sh [extra pytest arguments]
#
#  1. .venv with the project and its dev extras (created/installed when needed)
#  2. ruff check and ruff format --check; imports between the apps only downward
#     (../shared/tools/layers.py, skipped with a warning when it is not beside the clone)
#  3. translation catalogues pass msgfmt --check, no missing migrations,
#     `check --deploy --fail-level WARNING` with production settings
#  4. pytest on SQLite, browser journeys in headless Chromium included
#  5. the same pytest run on a throwaway PostgreSQL cluster (started here on a free port,
#     stopped at the end)
#
# Without PostgreSQL server binaries or /usr/bin/chromium those parts are skipped with a
# warning. With CI=true, REQUIRE_POSTGRES=1 or REQUIRE_BROWSER=1 a missing one is an error.
# pytest collecting no tests (exit code 5) is an error too.
#
# Environment: PG_BIN (folder with initdb/pg_ctl), PG_PORT, CHROMIUM_PATH, PYTHON,
# FORCE_INSTALL=1 (reinstall the dependencies).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

started=$SECONDS
if is_true "${CI:-}"; then
    export REQUIRE_POSTGRES=1 REQUIRE_BROWSER=1
fi
export REQUIRE_POSTGRES=${REQUIRE_POSTGRES:-0} REQUIRE_BROWSER=${REQUIRE_BROWSER:-0}
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
export DJANGO_SETTINGS_MODULE=ibportal.test_settings
export PYTHONDONTWRITEBYTECODE=1
# The SQLite run must not pick up a database from the caller's environment.
unset DATABASE_URL

WORK=$(mktemp -d -t ibportal-test.XXXXXX)
SUMMARIES=()

cleanup() {
    stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_pytest LABEL [pytest args]: run the suite, keep its summary line; exit code 5 (no tests
# collected) fails like any other error.
run_pytest() {
    local label=$1 rc summary
    shift
    log "pytest on $label"
    set +e
    "$PY" -m pytest "$@" 2>&1 | tee "$WORK/pytest.log"
    rc=${PIPESTATUS[0]}
    set -e
    summary=$(grep -E '^=+ .* in [0-9.]+s.* =+$' "$WORK/pytest.log" | tail -n 1 || true)
    SUMMARIES+=("$label: ${summary:-no summary (exit code $rc)}")
    if [ "$rc" -eq 5 ]; then
        die "pytest on $label collected no tests (exit code 5)"
    elif [ "$rc" -ne 0 ]; then
        die "pytest on $label failed (exit code $rc)"
    fi
}

# ---------------------------------------------------------------------------------------------

ensure_venv dev
"$PY" --version

log "ruff check"
"$PY" -m ruff check .
log "ruff format --check"
"$PY" -m ruff format --check .

# The apps stand in floors (core < schools < competencies < tasks < reporting < ibportal) and
# import only downward. The checker lives beside the clone (../shared in CI).
LAYERS="$ROOT/../shared/tools/layers.py"
if [ -f "$LAYERS" ]; then
    log "Layers: imports only downward"
    python3 "$LAYERS"
else
    warn "$LAYERS not found: imports between the apps not checked"
fi

log "Translations: msgfmt --check"
rc=0
check_messages || rc=$?
if [ "$rc" -eq 1 ]; then
    die "a translation catalogue does not pass msgfmt --check"
elif [ "$rc" -eq 2 ]; then
    if is_true "${CI:-}"; then
        die "msgfmt (GNU gettext) is missing; apt-get install gettext"
    fi
    warn "msgfmt (GNU gettext) not found: translation catalogues not checked"
fi

log "Migrations up to date: makemigrations --check --dry-run"
"$PY" manage.py makemigrations --check --dry-run

log "Production settings: check --deploy --fail-level WARNING"
env DJANGO_SETTINGS_MODULE=ibportal.settings DEBUG=false \
    SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=ib-portaal.example.org DATABASE_URL="sqlite:///$WORK/deploy-check.sqlite3" \
    "$PY" manage.py check --deploy --fail-level WARNING

# Browser journeys: tests/browser/conftest.py skips them without Chromium, or fails them
# when REQUIRE_BROWSER is set; say so here too, before the long runs.
if [ ! -x "$CHROMIUM_PATH" ]; then
    if is_true "$REQUIRE_BROWSER"; then
        die "$CHROMIUM_PATH not found and browser tests are required; apt-get install chromium"
    fi
    warn "$CHROMIUM_PATH not found: the browser journeys will be skipped"
fi

run_pytest "SQLite" "$@"

# PostgreSQL: a throwaway cluster (start_postgres in lib.sh), fsync and friends off: it is
# thrown away at the end.
if ! find_pg_bin; then
    if is_true "$REQUIRE_POSTGRES"; then
        die "PostgreSQL server binaries (initdb) not found and PostgreSQL is required;" \
            "apt-get install postgresql"
    fi
    warn "PostgreSQL server binaries not found: the PostgreSQL run is skipped"
    SUMMARIES+=("PostgreSQL: skipped (no server binaries; apt-get install postgresql)")
else
    start_postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off
    DATABASE_URL="$PG_URL" run_pytest "PostgreSQL" "$@"
    stop_postgres
fi

log "Summary ($((SECONDS - started)) s)"
printf '%s\n' "${SUMMARIES[@]}"
