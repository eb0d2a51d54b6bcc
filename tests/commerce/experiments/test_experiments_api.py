from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.experiments import service
from commerce.experiments.models import Experiment
from knowledge_base.models import Role
from tests.commerce.experiments.conftest import experiment_fields, login


def test_changing_experiments_needs_an_admin(client: TestClient, db: Session) -> None:
    assert client.get("/v1/admin/experiments").status_code == 401
    assert client.post("/v1/admin/experiments", json=experiment_fields()).status_code == 401
    csrf = login(client, db, Role.EDITOR)
    refused = client.post("/v1/admin/experiments", json=experiment_fields(), headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_changes_must_carry_the_csrf_token(client: TestClient, db: Session) -> None:
    login(client, db)
    assert client.post("/v1/admin/experiments", json=experiment_fields()).status_code == 403


def test_an_admin_creates_starts_and_stops_an_experiment_without_a_redeploy(client: TestClient, db: Session) -> None:
    headers = {"X-CSRF-Token": login(client, db)}
    created = client.post("/v1/admin/experiments", json=experiment_fields(key="recs-vs-popular"), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "draft" and created.json()["salt"]
    units = [f"customer:{i}" for i in range(40)]
    assert {client.get("/v1/experiments/recs-vs-popular/assignment", params={"unit": u}).json()["variant"]
            for u in units} == {"a"}

    started = client.patch("/v1/admin/experiments/recs-vs-popular", json={"status": "running"}, headers=headers)
    assert started.status_code == 200 and started.json()["started_at"]
    live = [client.get("/v1/experiments/recs-vs-popular/assignment", params={"unit": u}).json() for u in units]
    assert {a["variant"] for a in live} == {"a", "b"} and all(a["running"] for a in live)
    assert {a["variant"]: a["config"] for a in live} == {"a": {"model": "current"}, "b": {"model": "popularity"}}

    stopped = client.patch("/v1/admin/experiments/recs-vs-popular", json={"status": "stopped"}, headers=headers)
    assert stopped.json()["status"] == "stopped" and stopped.json()["stopped_at"]
    assert client.get("/v1/admin/experiments", headers=headers).json()[0]["key"] == "recs-vs-popular"


def test_the_split_is_frozen_once_running_and_transitions_go_one_way(
    client: TestClient, db: Session, make_experiment: Callable[..., Experiment]
) -> None:
    headers = {"X-CSRF-Token": login(client, db)}
    experiment = make_experiment()
    url = f"/v1/admin/experiments/{experiment.key}"
    split = [{"name": "a", "weight": 90, "config": {"model": "current"}},
             {"name": "b", "weight": 10, "config": {"model": "popularity"}}]
    locked = client.patch(url, json={"variants": split}, headers=headers)
    assert (locked.status_code, locked.json()["error"]) == (409, "experiment_locked")
    assert client.patch(url, json={"name": "Renamed while running"}, headers=headers).status_code == 200
    back = client.patch(url, json={"status": "draft"}, headers=headers)
    assert (back.status_code, back.json()["error"]) == (409, "experiment_bad_transition")

    other = make_experiment(running=False)
    busy = client.patch(f"/v1/admin/experiments/{other.key}", json={"status": "running"}, headers=headers)
    assert (busy.status_code, busy.json()["error"]) == (409, "experiment_subject_busy")
    resplit = client.patch(f"/v1/admin/experiments/{other.key}", json={"variants": split}, headers=headers)
    assert resplit.status_code == 200 and resplit.json()["variants"][0]["weight"] == 90
    taken = client.post("/v1/admin/experiments", json=experiment_fields(key=other.key), headers=headers)
    assert (taken.status_code, taken.json()["error"]) == (409, "experiment_key_taken")


def test_unknown_keys_are_404_in_the_error_shape(client: TestClient, db: Session) -> None:
    headers = {"X-CSRF-Token": login(client, db)}
    for method, url, body in [
        ("GET", "/v1/experiments/no-such-test/assignment?unit=customer:1", None),
        ("POST", "/v1/experiments/no-such-test/exposures", {"unit": "customer:1"}),
        ("POST", "/v1/experiments/no-such-test/outcomes", {"unit": "customer:1"}),
        ("GET", "/v1/admin/experiments/no-such-test", None),
        ("PATCH", "/v1/admin/experiments/no-such-test", {"name": "Anything"}),
        ("GET", "/v1/admin/experiments/no-such-test/report", None),
    ]:
        response = client.request(method, url, json=body, headers=headers)
        assert (response.status_code, response.json()["error"]) == (404, "experiment_not_found"), url
        assert response.json()["detail"]


def test_bad_input_is_422_and_names_the_field(
    client: TestClient, db: Session, make_experiment: Callable[..., Experiment]
) -> None:
    headers = {"X-CSRF-Token": login(client, db)}
    experiment = make_experiment(running=False)
    uneven = [{"name": "a", "weight": 50, "config": {"model": "current"}},
              {"name": "b", "weight": 40, "config": {"model": "popularity"}}]
    unknown_model = [{"name": "a", "weight": 50, "config": {"model": "current"}},
                     {"name": "b", "weight": 50, "config": {"model": "gpt"}}]
    cases = [
        ("POST", "/v1/admin/experiments", experiment_fields(variants=uneven), "sum to 100"),
        ("POST", "/v1/admin/experiments", experiment_fields(variants=unknown_model), "config.model"),
        ("POST", "/v1/admin/experiments", experiment_fields(key="Not A Key"), "key"),
        ("POST", "/v1/admin/experiments", experiment_fields(horizon_per_arm=5), "horizon_per_arm"),
        ("POST", "/v1/admin/experiments", experiment_fields(subject="colour_of_the_sky"), "subject"),
        ("PATCH", f"/v1/admin/experiments/{experiment.key}", {"variants": uneven}, "sum to 100"),
        ("PATCH", f"/v1/admin/experiments/{experiment.key}", {"status": None}, "status"),
        ("GET", f"/v1/experiments/{experiment.key}/assignment?unit=someone@example.com", None, "unit"),
        ("GET", f"/v1/experiments/{experiment.key}/assignment", None, "unit"),
        ("POST", f"/v1/experiments/{experiment.key}/outcomes", {"unit": "customer:1", "metric": "Bad Metric"}, "metric"),
        ("GET", f"/v1/admin/experiments/{experiment.key}/report?mde=0", None, "mde"),
        ("GET", "/v1/experiments/UPPER_case/assignment?unit=customer:1", None, "key"),
    ]
    for method, url, body, field in cases:
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["error"] in ("validation_error", "invalid_request"), url
        assert field in response.text, (url, response.text)


def test_the_bot_reads_logs_and_reports_through_the_api(
    client: TestClient, db: Session, make_experiment: Callable[..., Experiment]
) -> None:
    experiment = make_experiment(subject="kb_retrieval", metric="helpful", horizon_per_arm=100,
                                 variants=[{"name": "a", "weight": 50, "config": {"top_k": 3}},
                                           {"name": "b", "weight": 50, "config": {"top_k": 5}}])
    base = f"/v1/experiments/{experiment.key}"
    for i in range(300):
        unit = f"conversation-{i}"
        variant = client.post(f"{base}/exposures", json={"unit": unit}).json()["variant"]
        if i % (3 if variant == "b" else 6) == 0:
            assert client.post(f"{base}/outcomes", json={"unit": unit}).json()["recorded"]
    assert client.post(f"{base}/outcomes", json={"unit": "conversation-unseen"}).json() == {"recorded": False,
                                                                                            "variant": None}
    headers = {"X-CSRF-Token": login(client, db)}
    report = client.get(f"/v1/admin/experiments/{experiment.key}/report", headers=headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert sum(a["units"] for a in body["arms"]) == 300 and body["metric"] == "helpful"
    expected = {a.variant: (a.units, a.conversions) for a in service.build_report(db, experiment.key, 0.1, 0.05)[2].arms}
    assert {a["variant"]: (a["units"], a["conversions"]) for a in body["arms"]} == expected
    (comparison,) = body["comparisons"]
    assert comparison["variant"] == "b" and comparison["absolute_lift"] > 0
    assert comparison["absolute_ci"][0] < comparison["absolute_lift"] < comparison["absolute_ci"][1]
