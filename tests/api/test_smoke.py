from tests.api.conftest import Api


def test_health_answers_ok(api: Api) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/readyz").json()["status"] == "ready"


def test_an_unknown_route_is_a_404_problem(api: Api) -> None:
    response = api.get("/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_metrics_are_prometheus_text_with_route_templates_not_ids(api: Api) -> None:
    api.get("/claims/00000000-0000-0000-0000-000000000000")
    response = api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'route="/claims/{claim_id}"' in text
    assert "00000000-0000-0000-0000-000000000000" not in text
    assert "claimtrail_log_position" in text and "claimtrail_view_lag_events" in text
