"""A NUL character in any query parameter is a clear 400 naming it, not a 500."""

import pytest

from tests.helpers import make_decision


@pytest.mark.parametrize(
    "url",
    [
        "/?category=%00",
        "/?q=%00",
        "/?q=care%00assessment",
        "/?organisation=Norfolk%00",
        "/?%00=1",
        "/decisions/19-018-397/?q=%00",
    ],
)
def test_a_nul_in_any_parameter_is_a_400_that_names_it(client, db, url):
    make_decision("19 018 397")
    response = client.get(url)
    assert response.status_code == 400
    assert "holds a NUL character" in response.content.decode()


def test_parameters_without_nul_are_untouched(client, db):
    make_decision("19 018 397")
    assert client.get("/?q=care").status_code == 200
    assert client.get("/decisions/19-018-397/?q=care").status_code == 200
