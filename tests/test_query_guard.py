"""A NUL character in any query parameter is a clear 400 naming it, not a 500."""

import pytest

from tests.support.helpers import make_decision


@pytest.mark.parametrize(
    "url",
    [
        "/?category=%00",
        "/?q=%00",
        "/?q=care%00assessment",
        "/?organisation=Norfolk%00",
        "/?%00=1",
        "/decisions/19-018-397/?q=%00",
        "/decisions/19-018-397/?match=%00",
        "/organisations/norfolk-county-council/?page=%00",
        # The admin's doors too, before its sign-in redirect: search, filters, order.
        "/admin/decisions/decision/?q=%00",
        "/admin/decisions/decision/?o=%00",
        "/admin/decisions/importrun/?status__exact=%00",
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


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "%ED%B3%BF", "%C0%80", "%FF"])
def test_bytes_that_are_not_utf8_arrive_as_replacement_characters(client, db, encoded):
    # A lone surrogate (or an overlong NUL) cannot reach PostgreSQL: Django decodes the
    # query string with errors="replace", so it is U+FFFD, an ordinary character.
    make_decision("19 018 397")
    for url in (f"/?q={encoded}", f"/?category={encoded}", f"/decisions/19-018-397/?q={encoded}"):
        assert client.get(url).status_code == 200, url
