#!/usr/bin/env bash
# Refresh the translation catalogues from the source and compile them.
#
#   scripts/update-translations.sh
#
# 1. makemessages: collects every marked string (Python, templates, .txt) into
#    locale/{nl,en}/LC_MESSAGES/django.po. Existing translations are kept; new strings get an
#    empty msgstr, strings close to an old one get a "fuzzy" guess.
# 2. compilemessages: writes the .mo files next to them (they are committed).
# 3. Lists what is still untranslated or fuzzy in the Dutch catalogue: translate those in
#    locale/nl/LC_MESSAGES/django.po (and remove the "#, fuzzy" line), then run this again.
#    tests/test_i18n.py fails until the Dutch catalogue is complete.
#
# Needs GNU gettext (apt-get install gettext). The ignores must match IGNORE_PATTERNS in
# tests/test_i18n.py.
set -euo pipefail

cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
if [ ! -x "$PYTHON" ]; then
    PYTHON=python3
fi

for tool in xgettext msgmerge msguniq msgfmt msgattrib; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool not found; install GNU gettext (apt-get install gettext)" >&2
        exit 1
    fi
done

IGNORES=(--ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=test-artifacts)

mkdir -p locale
# DEBUG=true only so the settings load without a SECRET_KEY; nothing is served.
export DEBUG=true
"$PYTHON" manage.py makemessages -l nl -l en "${IGNORES[@]}"
"$PYTHON" manage.py compilemessages "${IGNORES[@]}"

NL=locale/nl/LC_MESSAGES/django.po
echo
echo "Dutch catalogue:"
msgfmt --check --statistics -o /dev/null "$NL" 2>&1
todo=$(msgattrib --no-obsolete --untranslated "$NL"; msgattrib --no-obsolete --only-fuzzy "$NL")
if grep -q '^msgid "' <<<"$todo"; then
    echo
    echo "Still to translate (untranslated or fuzzy) in $NL:"
    msgattrib --no-obsolete --no-wrap --untranslated "$NL" | grep '^msgid "[^"]' \
        | sed 's/^/  untranslated: /' || true
    msgattrib --no-obsolete --no-wrap --only-fuzzy "$NL" | grep '^msgid "[^"]' \
        | sed 's/^/  fuzzy:        /' || true
fi
