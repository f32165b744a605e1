# Helpers shared by the scripts in this folder. Source this file; don't run it.
#
# ROOT  the repository root (the folder that holds manage.py)
# VENV  the virtual environment, .venv in the repository unless VENV is set

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY="$VENV/bin/python"

log() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# true for 1/true/yes/on (any case), false otherwise.
is_true() {
    case "${1:-}" in
    1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn]) return 0 ;;
    *) return 1 ;;
    esac
}

# The first Python 3.11+ found: $PYTHON, then python3.13 ... python3.
find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3 python; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv [dev]: create $VENV when missing and install the project (with the dev extras
# when asked). The install is skipped while pyproject.toml is unchanged since the last one;
# FORCE_INSTALL=1 installs anyway.
ensure_venv() {
    local extras=${1:-} spec="." python stamp want
    [ -n "$extras" ] && spec=".[$extras]"
    if [ ! -x "$PY" ]; then
        python=$(find_python) || die "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11"
        log "Creating the virtual environment $VENV (with $python)"
        "$python" -m venv "$VENV" ||
            die "could not create $VENV; on Debian/Ubuntu install the python3-venv package"
    fi
    "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "$VENV has a Python older than 3.11; remove it and run again"

    want="$(cd "$ROOT" && sha256sum pyproject.toml | cut -d' ' -f1)"
    stamp="$VENV/.ibportal-installed-${extras:-base}"
    # An install with the dev extras also serves a run that needs no extras.
    if [ -z "$extras" ] && [ -f "$VENV/.ibportal-installed-dev" ] &&
        [ "$(cat "$VENV/.ibportal-installed-dev")" = "$want" ]; then
        stamp="$VENV/.ibportal-installed-dev"
    fi
    if is_true "${FORCE_INSTALL:-}" || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "Installing IB-portaal and its dependencies: pip install -e \"$spec\""
        (cd "$ROOT" && "$PY" -m pip install --disable-pip-version-check --quiet -e "$spec")
        printf '%s\n' "$want" >"$stamp"
    fi
}

# Check locale/*/LC_MESSAGES/*.po with msgfmt --check (syntax, headers, placeholders) without
# writing anything: the compiled .mo files are committed. Returns 2 when there are catalogues
# but no msgfmt (GNU gettext) to check them with.
check_messages() {
    local po
    compgen -G "$ROOT/locale/*/LC_MESSAGES/*.po" >/dev/null || return 0
    command -v msgfmt >/dev/null 2>&1 || return 2
    for po in "$ROOT"/locale/*/LC_MESSAGES/*.po; do
        msgfmt --check -o /dev/null "$po" || return 1
        echo "ok ${po#"$ROOT"/}"
    done
}

# A free TCP port on 127.0.0.1 (bound and released; good enough for a local throwaway server).
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---------------------------------------------------------------------------------------------
# A throwaway PostgreSQL cluster (scripts/test.sh, scripts/loadtest.sh)
#
# find_pg_bin: set PG_BIN to the newest /usr/lib/postgresql/*/bin with initdb unless PG_BIN is
#   set already; returns 1 when there are no server binaries.
# start_postgres [server options]: initdb a cluster in a new temporary folder (as the postgres
#   user when run as root: initdb refuses root), start it on 127.0.0.1:$PG_PORT (a free port
#   unless PG_PORT is set) and set PG_DIR and PG_URL. Extra arguments are passed to the server,
#   e.g. "-c fsync=off".
# stop_postgres: stop the cluster and remove its folder; safe to call more than once (traps).

PG_DIR=""
PG_AS=()

find_pg_bin() {
    if [ -z "${PG_BIN:-}" ]; then
        PG_BIN=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
            sort -V | tail -n 1 | xargs -r dirname)
    fi
    [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]
}

start_postgres() {
    local pg_options
    PG_DIR=$(mktemp -d -t ibportal-pg.XXXXXX)
    PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user"
        chown postgres "$PG_DIR"
        PG_AS=(runuser -u postgres --)
    fi
    PG_PORT=${PG_PORT:-$(free_port)}
    log "Starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT"
    # (From inside $PG_DIR: the postgres user may not be allowed into the current folder.)
    (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres \
        -E UTF8 --no-locale) >"$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log" >&2
        die "initdb failed"
    }
    pg_options="-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1${*:+ $*}"
    (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
        -w -t 60 -o "$pg_options" start) >/dev/null || {
        cat "$PG_DIR/server.log" >&2
        die "PostgreSQL did not start"
    }
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop) \
            >/dev/null 2>&1 || true
    fi
    if [ -n "$PG_DIR" ]; then
        rm -rf "$PG_DIR"
    fi
    PG_DIR=""
}
