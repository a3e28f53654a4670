def test_health_returns_ok_json(client):
    response = client.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_refuses_writes(client):
    assert client.post("/api/health/").status_code == 405
