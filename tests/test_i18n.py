"""Translations: the Dutch catalogue is complete, compiled, in use, and in step with the source.

The source strings are English; the UI speaks Dutch by default (LANGUAGE_CODE = "nl") and English
after choosing it. Refresh the catalogues with ``scripts/update-translations.sh``.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
LANGUAGES = ("nl", "en")
# The same ignores as scripts/update-translations.sh.
IGNORE_PATTERNS = [".venv", "var", "staticfiles", "tests", "test-artifacts"]
# What makemessages reads for the "django" domain.
SOURCE_EXTENSIONS = {".py", ".html", ".txt"}
REFRESH_HINT = "run scripts/update-translations.sh and translate locale/nl/LC_MESSAGES/django.po"


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


# ---------------------------------------------------------------------------
# A small .po reader (the standard library has none; no extra dependency for this)
# ---------------------------------------------------------------------------

KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], text)


@dataclass
class PoEntry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def key(self) -> str:
        """The key of the message in a compiled catalogue."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


def parse_po(path: Path) -> list[PoEntry]:
    """The entries of a .po file, header first; obsolete (#~) entries are left out."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    flags: set[str] = set()
    part: tuple[str, int | None] | None = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if entry is not None and entry.msgstr:
                entries.append(entry)
                entry = None
            part = None
            if not line:
                flags = set()  # a blank line ends the comments of an entry, even an obsolete one
            elif line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith('"'):
            assert part is not None and line.endswith('"'), f"{path}:{number}: stray string"
            append(entry, part, unescape(line[1:-1]))
            continue
        match = KEYWORD.match(line)
        assert match, f"{path}:{number}: cannot read {raw!r}"
        keyword, index, text = match.group(1), match.group(2), unescape(match.group(3))
        starts_entry = keyword == "msgctxt" or (
            keyword == "msgid" and (entry is None or entry.msgid is not None)
        )
        if starts_entry:
            if entry is not None:
                entries.append(entry)
            entry, flags = PoEntry(line=number, flags=flags), set()
        assert entry is not None, f"{path}:{number}: {keyword} before msgid"
        name = "msgstr" if keyword.startswith("msgstr") else keyword
        part = (name, int(index) if index is not None else 0 if name == "msgstr" else None)
        set_part(entry, part, text)
    if entry is not None:
        entries.append(entry)
    return entries


def set_part(entry: PoEntry, part: tuple[str, int | None], text: str) -> None:
    name, index = part
    if name == "msgstr":
        entry.msgstr[index] = text
    else:
        setattr(entry, name, text)


def append(entry: PoEntry, part: tuple[str, int | None], text: str) -> None:
    name, index = part
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def header_fields(entries: list[PoEntry]) -> dict[str, str]:
    header = entries[0]
    assert header.is_header, "the catalogue has no header entry"
    assert not header.fuzzy, "the header is marked fuzzy: remove '#, fuzzy' above it"
    pairs = (line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def problems(entries: list[PoEntry]) -> list[str]:
    """Untranslated, fuzzy and placeholder-breaking entries of a catalogue that must be complete."""
    found = []
    for entry in entries:
        if entry.is_header:
            continue
        if entry.fuzzy:
            found.append(f"fuzzy {entry}")
        elif not entry.translated:
            found.append(f"untranslated {entry}")
        else:
            for index, text in entry.msgstr.items():
                source = entry.msgid_plural if index > 0 and entry.msgid_plural else entry.msgid
                if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                    found.append(f"placeholders differ in msgstr[{index}] of {entry}")
            if entry.msgid_plural is not None and len(entry.msgstr) != 2:
                found.append(f"Dutch needs two plural forms in {entry}")
    return found


def expected_catalogue(entries: list[PoEntry]) -> dict:
    """What msgfmt puts in the .mo: translated, non-fuzzy messages (header left out)."""
    catalogue: dict = {}
    for entry in entries:
        if entry.is_header or entry.fuzzy or not entry.translated:
            continue
        if entry.msgid_plural is None:
            catalogue[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalogue[(entry.key, index)] = text
    return catalogue


# ---------------------------------------------------------------------------
# (a) the Dutch catalogue is complete
# ---------------------------------------------------------------------------


def test_po_reader_reads_all_kinds_of_entry(tmp_path):
    sample = tmp_path / "django.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Two %(n)s "\n"lines"\nmsgstr "Twee %(n)s regels"\n'
        '\n#, fuzzy\n#| msgid "Old"\nmsgid "New"\nmsgstr "Oud"\n'
        '\nmsgctxt "menu"\nmsgid "Open"\nmsgstr ""\n'
        '\nmsgid "%(c)s pupil"\nmsgid_plural "%(c)s pupils"\n'
        'msgstr[0] "%(c)s leerling"\nmsgstr[1] "%(c)s leerlingen"\n'
        '\n#, fuzzy\n#~ msgid "Gone"\n#~ msgstr "Weg"\n\nmsgid "Last"\nmsgstr "Laatste"\n',
        encoding="utf-8",
    )
    entries = parse_po(sample)
    assert [entry.msgid for entry in entries][1:] == [
        "Two %(n)s lines",
        "New",
        "Open",
        "%(c)s pupil",
        "Last",
    ]
    assert not entries[-1].fuzzy
    assert header_fields(entries)["language"] == "nl"
    assert entries[1].flags == {"python-format"} and entries[1].translated
    assert entries[2].fuzzy and not entries[3].translated and entries[3].key == "menu\x04Open"
    assert [str(problem).split(" ")[0] for problem in problems(entries)] == [
        "fuzzy",
        "untranslated",
    ]
    assert expected_catalogue(entries)[("%(c)s pupil", 1)] == "%(c)s leerlingen"


def test_dutch_catalogue_is_complete():
    entries = parse_po(po_path("nl"))
    header = header_fields(entries)
    assert header["language"] == "nl"
    assert "charset=utf-8" in header["content-type"].lower()
    assert header["plural-forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert len(entries) > 100, "the Dutch catalogue looks empty"
    found = problems(entries)
    assert not found, f"{len(found)} Dutch entries need work ({REFRESH_HINT}):\n" + "\n".join(found)


# The informal "je"/"jij" forms; the app and its help address users formally, with "u".
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


def test_dutch_catalogue_addresses_users_with_u():
    """Tester 5 #6: the conversation and training pages said "Je voorbereiding" and "alleen
    jij leest hem" next to pages that say "u"."""
    informal = [
        f"{entry}: {text!r}"
        for entry in parse_po(po_path("nl"))
        for text in entry.msgstr.values()
        if INFORMAL.search(text)
    ]
    assert informal == [], "informal address in the Dutch catalogue:\n" + "\n".join(informal)


def test_dutch_help_addresses_users_with_u():
    help_dir = BASE_DIR / "templates" / "ibportal" / "help"
    informal = [
        f"{path.name}:{number}: {match.group(0)!r}"
        for path in sorted(help_dir.glob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in INFORMAL.finditer(line)
    ]
    assert informal == [], "informal address in the help:\n" + "\n".join(informal)


def test_english_catalogue_has_a_valid_header():
    # English falls back to the (English) msgids, so its msgstrs may stay empty.
    header = header_fields(parse_po(po_path("en")))
    assert header["language"] == "en"
    assert "charset=utf-8" in header["content-type"].lower()


# ---------------------------------------------------------------------------
# (b) the committed .mo files are compiled from the committed .po files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_po(language):
    assert mo_path(language).exists(), f"{mo_path(language)} is missing: {REFRESH_HINT}"
    with mo_path(language).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("language") == language
    in_mo = {key: value for key, value in compiled._catalog.items() if key != ""}
    in_po = expected_catalogue(parse_po(po_path(language)))
    stale = sorted(str(key) for key in in_mo.keys() ^ in_po.keys())
    stale += sorted(str(key) for key in in_mo.keys() & in_po.keys() if in_mo[key] != in_po[key])
    assert not stale, (
        f"django.mo ({language}) is not compiled from django.po; {REFRESH_HINT}:\n"
        + ("\n".join(stale[:20]))
    )


def test_compiled_catalogues_are_not_git_ignored():
    if shutil.which("git") is None or not (BASE_DIR / ".git").exists():
        pytest.skip("not a git checkout")
    for language in LANGUAGES:
        result = subprocess.run(
            ["git", "check-ignore", "-q", str(mo_path(language))], cwd=BASE_DIR, check=False
        )
        assert result.returncode == 1, f"{mo_path(language)} is ignored by git"


# ---------------------------------------------------------------------------
# (c) pages speak Dutch by default and English after choosing it
# ---------------------------------------------------------------------------


@pytest.fixture
def restore_language():
    """The middleware activates a language in this thread; put the default back afterwards."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.django_db
def test_login_page_is_dutch_by_default_and_english_after_choosing(client, restore_language):
    html = client.get("/account/login/").content.decode()
    assert '<html lang="nl">' in html
    assert "<h1>Inloggen</h1>" in html
    assert "Wachtwoord vergeten?" in html
    assert "Gebruikersnaam" in html  # Django's own Dutch catalogue for the form's labels

    response = client.post(reverse("set_language"), {"language": "en", "next": "/account/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"

    html = client.get("/account/login/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Forgotten your password?" in html
    assert "Inloggen" not in html


# ---------------------------------------------------------------------------
# (d) every marked string in the source is in the Dutch catalogue, translated
# ---------------------------------------------------------------------------


def copy_sources(target: Path) -> None:
    """Copy what makemessages reads, so it can run without touching the real locale/."""
    skip_dirs = set(IGNORE_PATTERNS) | {"locale", "node_modules", "__pycache__"}

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            if (Path(directory) / name).is_dir():
                if name in skip_dirs or name.startswith("."):
                    skipped.add(name)
            elif Path(name).suffix not in SOURCE_EXTENSIONS:
                skipped.add(name)
        return skipped

    shutil.copytree(BASE_DIR, target, ignore=ignore, symlinks=True)


def test_every_marked_string_is_translated(tmp_path, monkeypatch):
    # makemessages sends files to the "locale" folder it finds while walking the current
    # directory, so it runs in a copy of the sources rather than in the project itself.
    tools = ("xgettext", "msgmerge", "msguniq")
    if any(shutil.which(tool) is None for tool in tools):
        pytest.skip("GNU gettext (xgettext, msgmerge, msguniq) is not installed")
    committed = po_path("nl").read_bytes()
    source = tmp_path / "src"
    copy_sources(source)
    fresh = source / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(committed)

    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[str(source / "locale")]):
        call_command("makemessages", locale=["nl"], ignore_patterns=IGNORE_PATTERNS, verbosity=0)

    assert po_path("nl").read_bytes() == committed, "the test changed the real catalogue"
    known = {entry.key for entry in parse_po(po_path("nl"))}
    found = [
        f"{'new in source' if entry.key not in known else 'in catalogue'}: {problem}"
        for entry in parse_po(fresh)
        for problem in problems([entry])
    ]
    assert not found, (
        f"{len(found)} marked strings in the source have no Dutch translation ({REFRESH_HINT}):\n"
        + "\n".join(found)
    )
