"""pole.dispatch: a broker failure leaves the work to the sweep instead of failing the page."""

from unittest import mock

import pytest
from celery import shared_task
from kombu.exceptions import OperationalError

from pole.dispatch import enqueue, enqueue_after_commit

CALLS = []


@shared_task(name="tests.dispatch.remember")
def remember(*, value):
    CALLS.append(value)


def test_enqueue_runs_the_task_when_the_broker_answers():
    CALLS.clear()
    assert enqueue(remember, value=1) is True
    assert CALLS == [1]


def test_a_refused_connection_is_logged_and_reported_not_raised(caplog):
    with mock.patch.object(remember, "apply_async", side_effect=OperationalError("Connection refused")):
        assert enqueue(remember, value=2) is False
    assert "left for the sweep" in caplog.text


def test_the_publisher_does_not_retry_on_its_own():
    with mock.patch.object(remember, "apply_async") as apply_async:
        enqueue(remember, value=3)
    apply_async.assert_called_once_with(kwargs={"value": 3}, retry=False)


def test_nothing_is_published_before_the_commit(django_capture_on_commit_callbacks, db):
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_after_commit(remember, value=4)
    assert CALLS == [] and len(callbacks) == 1
    callbacks[0]()
    assert CALLS == [4]


def test_a_programming_error_is_not_swallowed():
    with mock.patch.object(remember, "apply_async", side_effect=TypeError("bad kwargs")), pytest.raises(TypeError):
        enqueue(remember, value=5)
