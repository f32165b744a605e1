"""Locust load test of IB-portaal: logged-in users of every role, their usual pages and saves.

Run through ``scripts/loadtest.sh`` (which starts PostgreSQL, gunicorn and the verification);
by hand::

    LOADTEST_OUT=/tmp/lt locust -f benchmarks/locustfile.py --headless -u 20 -r 5 -t 60s \\
        --host http://127.0.0.1:8000 DirectorUser IBUser BoardStaffUser PartnershipUser

Every user logs in through the real login form with a demo account (``manage.py seed_demo``,
password ``demo``). Several locust users may share one account: they are separate sessions,
like one person with two browser tabs, so two of them editing the same package meet the
optimistic lock.

Every save carries a unique marker and goes into a ledger (``$LOADTEST_OUT/ledger.jsonl``):
one ``sent`` line before the request and one ``done`` line with the outcome after it:

- ``accepted``: the redirect that follows a successful save;
- ``stale``: the package page again with the "someone else changed this package" message
  (the optimistic lock refused a form built on an older ``lock_version``);
- ``refused``: the form again with another error (e.g. the package is no longer a draft);
- ``error``: a 5xx, no response or anything unexpected.

``benchmarks/loadtest_verify.py`` then checks the database against the ledger. Each locust
user only changes rows it created itself (its own package items, goals, catalogue tasks) or
rows nobody else writes (figures of a school year of its own), so "the last accepted save of
a row is what the database holds" is exact.

``ThroughputUser`` is the second phase: one shared session requesting one page
(``LOADTEST_TARGET``: ``trivial`` or ``package``) as fast as the server answers.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import requests
from locust import FastHttpUser, HttpUser, between, constant, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "demo")
OUT = Path(os.environ.get("LOADTEST_OUT", "loadtest-out"))
PHASE = os.environ.get("LOADTEST_PHASE", "mixed")
RUN = os.environ.get("LOADTEST_RUN", uuid.uuid4().hex[:8])
WAIT = between(
    float(os.environ.get("LOADTEST_WAIT_MIN", "0.5")),
    float(os.environ.get("LOADTEST_WAIT_MAX", "2")),
)
# The Dutch (default) and English text of tasks.packages.PackageConflict.
STALE_TEXTS = (
    "Iemand anders heeft dit takenpakket intussen gewijzigd",
    "Iemand anders heeft dit intussen gewijzigd",  # every other edit form (HTTP 409)
    "Someone else changed",
)

# ---------------------------------------------------------------------------
# the ledger of saves and the tally of status codes
# ---------------------------------------------------------------------------

_sequence = itertools.count(1)
_status: Counter = Counter()
# role -> [(when it ended, response time in ms)]; logins under a role of their own.
_role_times: dict[str, list[tuple[float, float]]] = defaultdict(list)


def ledger_write(line: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "ledger.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


def ledger_sent(kind: str, user: str, **data) -> dict:
    record = {"seq": next(_sequence), "kind": kind, "user": user, **data}
    ledger_write({"event": "sent", "time": time.time(), **record})
    return record


def ledger_done(record: dict, outcome: str, status: int, **extra) -> None:
    ledger_write(
        {
            "event": "done",
            "seq": record["seq"],
            "outcome": outcome,
            "status": status,
            "time": time.time(),
            **extra,
        }
    )


def marker() -> str:
    """A unique, searchable marker for one save."""
    return f"lt{RUN}-{uuid.uuid4().hex[:12]}"


@events.request.add_listener
def _tally(name, response_time, response, exception, **_kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    _status[f"{status // 100}xx" if status else "no response"] += 1
    if status >= 500:
        _status["5xx " + name] += 1
    role = name.split("]", 1)[0].lstrip("[") if name.startswith("[") else "other"
    if name.endswith(("log in", "login form")):
        role = "(logins, all roles)"
    _role_times[role].append((time.time(), response_time))


@events.test_stop.add_listener
def _write_tally(**_kwargs) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{PHASE}-status.json").write_text(
        json.dumps({"status": _status, "role_times": _role_times}), encoding="utf-8"
    )


# ---------------------------------------------------------------------------
# reading pages
# ---------------------------------------------------------------------------


def ids(text: str, pattern: str) -> list[int]:
    return sorted({int(found) for found in re.findall(pattern, text)})


def select_values(text: str, name: str) -> list[str]:
    """The option values of the first <select name=...> on the page."""
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S)
    return re.findall(r'<option value="([^"]+)"', found.group(1)) if found else []


def lock_version(text: str) -> str | None:
    found = re.search(r'name="lock_version" value="(\d+)"', text)
    return found.group(1) if found else None


def is_stale(text: str) -> bool:
    return any(phrase in text for phrase in STALE_TEXTS)


# ---------------------------------------------------------------------------
# the roles
# ---------------------------------------------------------------------------


class PortalUser(HttpUser):
    """A logged-in user of one role; the account is picked round-robin from ``accounts``."""

    abstract = True
    wait_time = WAIT
    role = "user"
    accounts: list[str] = []
    _counter = itertools.count()

    def on_start(self) -> None:
        index = next(self._counter)
        self.index = index
        self.username = self.accounts[index % len(self.accounts)]
        self.start_page = self.login()

    def label(self, what: str) -> str:
        return f"[{self.role}] {what}"

    def login(self) -> str:
        """Log in through the form (CSRF token, session cookie); returns the start page path."""
        page = self.client.get("/account/login/", name=self.label("login form"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        with self.client.post(
            "/account/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name=self.label("log in"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login of {self.username} refused ({response.status_code})")
                raise StopUser()
        home = self.client.get("/", name=self.label("start page"))
        return urlsplit(home.url).path

    def page(self, path: str, what: str, **kwargs) -> requests.Response:
        return self.client.get(path, name=self.label(what), **kwargs)

    def refused_page(self, path: str, what: str) -> None:
        """A page this role must not see: 403 (or 404 outside its scope) is the success."""
        with self.client.get(path, name=self.label(what), catch_response=True) as response:
            if response.status_code in (403, 404):
                response.success()
            else:
                response.failure(f"expected 403/404, got {response.status_code}")

    def save(self, path: str, data: dict, what: str, record: dict) -> requests.Response:
        """POST a form; classify and record the outcome (see the module docstring)."""
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            path, data=data, name=self.label(what), allow_redirects=False, catch_response=True
        ) as response:
            status = response.status_code
            if status == 302:
                ledger_done(record, "accepted", status)
            elif status in (200, 409) and is_stale(response.text):
                ledger_done(record, "stale", status)
                response.success()  # the lock doing its work, not a failure
            elif status == 200:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', response.text)
                ledger_done(record, "refused", status, errors=errors[:3])
            else:
                ledger_done(record, "error", status)
                response.failure(f"save answered {status}")
        return response

    def think(self) -> None:
        """The time a person takes between opening a form and sending it."""
        self.wait()


class DirectorUser(PortalUser):
    """Package overview and pages, the task letter, the school list; builds draft packages."""

    weight = 6
    role = "director"
    # The first three have draft packages (2026-2027) to change; they come up first and twice.
    accounts = [
        "directeur.vlinder",
        "directeur.kompas",
        "directeur.bron",
        "directeur.regenboog",
        "directeur.vlinder",
        "directeur.kompas",
        "directeur.meer",
        "directeur.heuvelrug",
    ]
    _counter = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        overview = self.page("/pakketten/", "package overview")
        self.packages = ids(overview.text, r'href="/pakketten/(\d+)/"')
        self.editable = []
        for pk in self.packages:
            detail = self.page(f"/pakketten/{pk}/", "package page")
            if 'id="own-title"' in detail.text:
                self.editable.append(pk)
        self.mine: dict[int, list[str]] = defaultdict(list)  # package -> titles of own items

    @task(4)
    def package_page(self) -> None:
        if self.packages:
            self.page(f"/pakketten/{random.choice(self.packages)}/", "package page")

    @task(2)
    def overview(self) -> None:
        self.page("/pakketten/", "package overview")

    @task(1)
    def letter(self) -> None:
        if self.packages:
            pk = random.choice(self.packages)
            self.page(f"/pakketten/{pk}/taakbrief/", "task letter")

    @task(1)
    def schools(self) -> None:
        self.page("/scholen/", "school list")

    @task(1)
    def comparison_refused(self) -> None:
        self.refused_page("/besturen/1/vergelijking/", "board comparison (refused)")

    @task(4)
    def change_package(self) -> None:
        """Open a draft package, then add, change or remove a task of one's own in it.

        Mostly the first draft: two sessions of one account then meet the optimistic lock.
        A stale refusal is followed, as its message asks, by the same change once more.
        """
        if not self.editable:
            return
        pk = self.editable[0] if random.random() < 0.75 else random.choice(self.editable)
        detail = self.page(f"/pakketten/{pk}/", "package page")
        version = lock_version(detail.text)
        if version is None:  # no longer a draft
            return
        rows = dict(
            (html.unescape(title).strip(), int(item))
            for item, title in re.findall(
                r'<tr id="item-(\d+)"[^>]*><td class="sheet-task"><div class="fw-semibold">([^<]*)',
                detail.text,
            )
        )
        mine = [title for title in self.mine[pk] if title in rows]
        if len(mine) < 2:
            # The own-task form comes with the catalogue, which the sheet loads on demand.
            added = self.page(f"/pakketten/{pk}/?catalogus=1", "package page with catalogue")
            domains = select_values(added.text, "own-domain")
            send = partial(self.item_add, pk, domains)
        elif random.random() < 0.6:
            title = random.choice(mine)
            send = partial(self.item_edit, pk, rows[title], title)
        else:
            title = random.choice(mine)
            send = partial(self.item_remove, pk, rows[title], title)
        self.think()
        response = send(version)
        if response.status_code == 200 and is_stale(response.text):
            fresh = lock_version(response.text)  # the page shows the current state
            if fresh:
                self.think()
                send(fresh)

    def item_add(self, pk: int, domains: list[str], version: str) -> requests.Response:
        title = f"Loadtest {marker()}"
        hours = str(random.randint(1, 20))
        record = ledger_sent("item_add", self.username, package=pk, title=title, hours=hours)
        data = {
            "lock_version": version,
            "own-title": title,
            "own-domain": random.choice(domains),
            "own-hours": hours,
            "own-note": "",
        }
        response = self.save(f"/pakketten/{pk}/taken/toevoegen/", data, "add task", record)
        if response.status_code == 302:
            self.mine[pk].append(title)
        return response

    def item_edit(self, pk: int, item: int, title: str, version: str) -> requests.Response:
        note, hours = marker(), str(random.randint(1, 20))
        record = ledger_sent(
            "item_edit", self.username, package=pk, item=item, title=title, hours=hours, note=note
        )
        # The sheet's "Save" with this one row changed (the other rows are not posted: a row
        # missing from the post counts as unchanged).
        data = {"lock_version": version, f"hours_{item}": hours, f"note_{item}": note}
        return self.save(f"/pakketten/{pk}/opslaan/", data, "change task hours", record)

    def item_remove(self, pk: int, item: int, title: str, version: str) -> requests.Response:
        record = ledger_sent("item_remove", self.username, package=pk, item=item, title=title)
        path = f"/pakketten/taken/{item}/verwijderen/"
        response = self.save(path, {"lock_version": version, "confirm": "1"}, "remove task", record)
        if response.status_code == 302:
            self.mine[pk].remove(title)
        return response


class IBUser(PortalUser):
    """Own packages, competency rounds and the development plan; adds goals and actions."""

    weight = 6
    role = "IB"
    accounts = [
        "ib.tweescholen",
        "ib.regenboog",
        "ib.kompas",
        "ib.heuvelrand",
        "ib.klein",
        "ib.bron",
        "ib.wegwijzer",
        "ib.horizon",
    ]
    _counter = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        own = self.page("/mijn-pakketten/", "my packages")
        self.packages = ids(own.text, r'href="/pakketten/(\d+)/"')
        rounds = self.page("/mijn-competenties/", "competency rounds")
        self.rounds = ids(rounds.text, r'href="/zelfbeoordelingen/(\d+)/"')
        self.goal: int | None = None
        self.goal_title = ""
        self.goal_create()

    @task(3)
    def my_packages(self) -> None:
        self.page("/mijn-pakketten/", "my packages")

    @task(4)
    def package_page(self) -> None:
        if self.packages:
            self.page(f"/pakketten/{random.choice(self.packages)}/", "package page")

    @task(2)
    def competency_rounds(self) -> None:
        self.page("/mijn-competenties/", "competency rounds")
        if self.rounds:
            self.page(f"/zelfbeoordelingen/{random.choice(self.rounds)}/", "competency round")

    @task(3)
    def plan(self) -> None:
        self.page("/mijn-ontwikkeling/", "development plan")

    @task(1)
    def goal_create(self) -> None:
        form = self.page("/mijn-ontwikkeling/doelen/nieuw/", "goal form")
        title = f"Loadtest doel {marker()}"
        data = {"title": title, "description": "", "due_date": "", "status": "open"}
        boards = select_values(form.text, "board")
        if boards:
            data["board"] = boards[0]
        self.think()
        record = ledger_sent("goal_create", self.username, title=title)
        response = self.save("/mijn-ontwikkeling/doelen/nieuw/", data, "add goal", record)
        if response.status_code == 302:
            plan = self.page("/mijn-ontwikkeling/", "development plan")
            found = re.search(rf'id="goal-(\d+)">{re.escape(title)}<', plan.text)
            if found:
                self.goal, self.goal_title = int(found.group(1)), title

    @task(3)
    def action_create(self) -> None:
        if not self.goal:
            return
        path = f"/mijn-ontwikkeling/doelen/{self.goal}/acties/nieuw/"
        self.page(path, "action form")
        self.think()
        description = f"Loadtest actie {marker()}"
        record = ledger_sent(
            "action_create", self.username, goal=self.goal, description=description
        )
        data = {"kind": "course", "description": description, "due_date": "", "status": "open"}
        self.save(path, data, "add action", record)

    @task(2)
    def goal_edit(self) -> None:
        if not self.goal:
            return
        path = f"/mijn-ontwikkeling/doelen/{self.goal}/"
        self.page(path, "goal form")
        self.think()
        evidence = marker()
        record = ledger_sent("goal_edit", self.username, goal=self.goal, evidence=evidence)
        data = {"title": self.goal_title, "status": "in_progress", "evidence": evidence}
        self.save(path, data, "edit goal", record)


class BoardStaffUser(PortalUser):
    """Comparison, school list, heat map and catalogue; edits figures and catalogue tasks."""

    weight = 5
    role = "board staff"
    accounts = ["bestuur.a", "beheer.a", "bestuur.b"]
    _counter = itertools.count()
    # A school year of its own per locust user: nobody else writes those figures.
    _years = itertools.count(2050)

    def on_start(self) -> None:
        super().on_start()
        self.board = int(re.search(r"/besturen/(\d+)/", self.start_page).group(1))
        board = self.page(f"/besturen/{self.board}/", "board overview")
        self.schools = ids(board.text, r'href="/scholen/(\d+)/"')
        self.year = next(self._years)
        self.own_tasks: dict[int, str] = {}  # catalogue tasks created by this user: pk -> title

    @task(2)
    def board_overview(self) -> None:
        self.page(f"/besturen/{self.board}/", "board overview")

    @task(3)
    def comparison(self) -> None:
        self.page(f"/besturen/{self.board}/vergelijking/", "comparison")

    @task(2)
    def school_list(self) -> None:
        self.page("/scholen/", "school list")

    @task(2)
    def heatmap(self) -> None:
        self.page(f"/besturen/{self.board}/competenties/heatmap/", "heat map")

    @task(2)
    def catalogue(self) -> None:
        self.page(f"/besturen/{self.board}/catalogus/", "catalogue")

    @task(2)
    def figures_edit(self) -> None:
        school = random.choice(self.schools)
        path = f"/scholen/{school}/cijfers/{self.year}/"
        form = self.page(path, "figures form")
        self.think()
        pupils, groups = random.randint(50, 900), random.randint(2, 30)
        record = ledger_sent(
            "figures_save",
            self.username,
            school=school,
            year=self.year,
            pupils=pupils,
            groups=groups,
        )
        # No version yet: the year's figures do not exist, the form is for new ones.
        version = lock_version(form.text) or ""
        data = {"pupils": pupils, "groups": groups, "lock_version": version}
        self.save(path, data, "edit figures", record)

    @task(2)
    def task_create(self) -> None:
        path = f"/besturen/{self.board}/catalogus/nieuw/"
        form = self.page(path, "catalogue task form")
        self.think()
        title = f"Loadtest taak {marker()}"
        record = ledger_sent("task_create", self.username, board=self.board, title=title)
        data = {
            "title": title,
            "description": "",
            "domain": random.choice(select_values(form.text, "domain")),
            "default_hours": str(random.randint(4, 40)),
            "source": "loadtest",
            "is_ib_task": "on",
            "not_ib_reason": "",
        }
        if self.save(path, data, "add catalogue task", record).status_code != 302:
            return
        found = self.page(f"/besturen/{self.board}/catalogus/?q={title}", "catalogue search").text
        pk = re.search(r'href="/catalogus/(\d+)/bewerken/"', found)
        if pk:
            self.own_tasks[int(pk.group(1))] = title

    @task(2)
    def task_edit(self) -> None:
        """Change the description of a task of one's own, or deactivate it."""
        if not self.own_tasks:
            return
        pk = random.choice(list(self.own_tasks))
        title = self.own_tasks[pk]
        form = self.page(f"/catalogus/{pk}/bewerken/", "catalogue task form")
        self.think()
        if random.random() < 0.3:
            record = ledger_sent("task_deactivate", self.username, task=pk, title=title)
            self.save(f"/catalogus/{pk}/activeren/", {}, "deactivate catalogue task", record)
            del self.own_tasks[pk]
            return
        description = marker()
        hours = re.search(r'name="default_hours" value="([^"]*)"', form.text)
        domain = re.search(r'<option value="(\d+)" selected>', form.text)
        record = ledger_sent(
            "task_edit", self.username, task=pk, title=title, description=description
        )
        data = {
            "title": title,
            "description": description,
            "domain": domain.group(1) if domain else "",
            "default_hours": hours.group(1) if hours else "8",
            "source": "loadtest",
            "is_ib_task": "on",
            "not_ib_reason": "",
            "lock_version": lock_version(form.text) or "",
        }
        self.save(f"/catalogus/{pk}/bewerken/", data, "edit catalogue task", record)


class PartnershipUser(PortalUser):
    """The partnership's read-only overview and comparison."""

    weight = 3
    role = "partnership"
    accounts = ["swv"]
    _counter = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.partnership = int(re.search(r"/samenwerkingsverbanden/(\d+)/", self.start_page)[1])
        overview = self.page(f"/samenwerkingsverbanden/{self.partnership}/", "partnership")
        self.schools = ids(overview.text, r'href="/scholen/(\d+)/"')

    @task(2)
    def overview(self) -> None:
        self.page(f"/samenwerkingsverbanden/{self.partnership}/", "partnership")

    @task(4)
    def comparison(self) -> None:
        self.page(
            f"/samenwerkingsverbanden/{self.partnership}/vergelijking/", "partnership comparison"
        )

    @task(2)
    def school(self) -> None:
        if self.schools:
            self.page(f"/scholen/{random.choice(self.schools)}/", "school")


# ---------------------------------------------------------------------------
# throughput: one page as fast as the server answers, one shared session
# ---------------------------------------------------------------------------

THROUGHPUT_ACCOUNT = os.environ.get("LOADTEST_THROUGHPUT_USER", "directeur.vlinder")
# The closest to a trivial authenticated view the portal has: a small form in the base layout.
TRIVIAL_PATH = "/account/password_change/"
_shared: dict[str, str] = {}


@events.test_start.add_listener
def _shared_login(environment, **_kwargs) -> None:
    """Throughput phase only: log in once; every ThroughputUser uses that session."""
    if PHASE == "mixed":
        return
    session = requests.Session()
    login = session.get(environment.host + "/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    session.post(
        environment.host + "/account/login/",
        data={"username": THROUGHPUT_ACCOUNT, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    _shared["cookie"] = f"sessionid={session.cookies['sessionid']}"
    overview = session.get(environment.host + "/pakketten/").text
    packages = ids(overview, r'href="/pakketten/(\d+)/"')
    # The director's own draft: the package page at its heaviest (catalogue to add from).
    for pk in packages:
        if 'id="own-title"' in session.get(f"{environment.host}/pakketten/{pk}/").text:
            _shared["package"] = f"/pakketten/{pk}/"
            break
    else:
        _shared["package"] = f"/pakketten/{packages[0]}/"


class ThroughputUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def target(self) -> None:
        path = TRIVIAL_PATH if PHASE == "trivial" else _shared["package"]
        with self.client.get(
            path,
            name=f"[throughput] {PHASE}",
            headers={"Cookie": _shared["cookie"]},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
