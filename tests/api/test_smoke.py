from tests.api.conftest import Api


def test_health_answers_ok(api: Api) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/readyz").json()["status"] == "ready"


def test_an_unknown_route_is_a_404_problem(api: Api) -> None:
    response = api.get("/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
