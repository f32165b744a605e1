def test_board_staff_lands_on_board_overview(client, cast):
    client.force_login(cast.staff_a)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/besturen/{cast.board_a.pk}/"
