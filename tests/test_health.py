"""The public health check ``/gezond/`` for load balancers."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from .test_settings import manage, production_env

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_a_session(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_health_is_503_when_the_database_is_down(client):
    with mock.patch("ibportal.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("health"))
    assert response.status_code == 503


def test_health_only_answers_get(client):
    assert client.post(reverse("health")).status_code == 405


def test_health_is_not_redirected_to_https_in_production():
    probe = (
        "from django.test import Client; c = Client();"
        "print(c.get('/gezond/', HTTP_HOST='example.org').status_code,"
        " c.get('/account/login/', HTTP_HOST='example.org').status_code)"
    )
    result = manage("shell", "-c", probe, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "200 301"
