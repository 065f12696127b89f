"""What people see of the harvester: the command, the run in the admin, the last harvest
on the about page and in /readyz, the list's filter for statements the source removed;
and the small readers it relies on (Retry-After, listing pages, the User-Agent)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from werkzeug import Response

from decisions.harvesting.client import retry_after
from decisions.harvesting.listings import NotAListing, read_listing
from decisions.harvesting.politeness import user_agent
from decisions.models import Decision, HarvestRun, SourcePage
from tests.support.harvest_fixtures import options_for
from tests.support.replay_site import listing_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast(settings):
    settings.HARVEST_DELAY_SECONDS = 0.0
    settings.HARVEST_BACKOFF_SECONDS = 0.01


def test_the_command_harvests_a_date_range_and_reports_it(site, fast, capsys):
    call_command(
        "harvest_lgsco",
        "--since",
        "2025-01-01",
        "--until",
        "2025-12-31",
        "--base-url",
        site.base_url,
    )

    out = capsys.readouterr().out
    assert "8 pages fetched" in out and "8 created" in out
    assert Decision.objects.count() == 8
    run = HarvestRun.objects.get()
    assert (run.status, run.base_url) == (HarvestRun.Status.FINISHED, site.base_url)


def test_the_command_writes_nothing_in_a_dry_run(site, fast, capsys):
    call_command(
        "harvest_lgsco",
        "--since",
        "2025-01-01",
        "--until",
        "2025-12-31",
        "--base-url",
        site.base_url,
        "--dry-run",
    )

    assert capsys.readouterr().out.startswith("Dry run (nothing written): ")
    assert not Decision.objects.exists() and not HarvestRun.objects.exists()


def test_the_command_names_a_date_it_cannot_read(site):
    with pytest.raises(CommandError, match="'31/12/2025' is not a date: write it as YYYY-MM-DD"):
        call_command("harvest_lgsco", "--since", "31/12/2025", "--base-url", site.base_url)
    with pytest.raises(CommandError, match="--since 2025-12-31 is after --until 2025-01-01"):
        call_command("harvest_lgsco", "--since", "2025-12-31", "--until", "2025-01-01")


def test_the_command_fails_saying_why_the_harvest_stopped(site, fast):
    site.robots = None  # robots.txt answers 500 below
    site.fault("/robots.txt", *[Response("down", status=500)] * 10)

    with pytest.raises(
        CommandError, match=r"Harvest stopped: .*robots.txt.*nothing may be fetched"
    ):
        call_command("harvest_lgsco", "--since", "2025-01-01", "--base-url", site.base_url)

    assert [e.path for e in site.log] == ["/robots.txt"] * 4  # tried, then retried
    assert HarvestRun.objects.get().status == HarvestRun.Status.STOPPED


def harvested(site) -> HarvestRun:
    call_command(
        "harvest_lgsco",
        "--since",
        "2025-01-01",
        "--until",
        "2025-12-31",
        "--base-url",
        site.base_url,
    )
    return HarvestRun.objects.get()


def test_the_about_page_and_readyz_say_when_the_last_harvest_finished(client, site, fast):
    assert b"last successful harvest: never" in client.get("/readyz").content
    run = harvested(site)

    when = timezone.localtime(run.finished_at)
    assert (
        client.get("/readyz")
        .content.decode()
        .startswith(f"ready\nlast successful harvest: {run.finished_at.isoformat()}\n")
    )
    about = client.get("/about/").content.decode()
    assert f'<time datetime="{when.isoformat()}">{when.day} {when:%B %Y, %H:%M}</time>' in about


def test_a_stopped_harvest_is_not_the_last_successful_one(client, site, fast):
    site.fault("/Decisions/Archive", Response("<h1>Sorry</h1>"))
    site.fault("/Decisions/SearchResults", Response("<h1>Sorry</h1>"))
    with pytest.raises(CommandError):
        harvested(site)

    assert b"last successful harvest: never" in client.get("/readyz").content


def test_the_admin_lists_harvest_runs_with_what_they_did(admin_client, site, fast):
    run = harvested(site)

    listing = admin_client.get("/admin/decisions/harvestrun/").content.decode()
    assert "Harvest of the listings" in listing and "Finished" in listing
    page = admin_client.get(f"/admin/decisions/harvestrun/{run.pk}/change/").content.decode()
    # A week a window (HARVEST_WINDOW_DAYS): 53 listings for 2025, and the eight pages.
    assert f"{run.requests} requests: 8 pages fetched, 0 not modified (304)" in page
    assert run.requests == 1 + 53 + 8
    assert "2025-11-01 to 2025-11-07: walked (1 listing pages, 1 decisions listed)" in page


def test_the_list_filters_the_statements_the_source_no_longer_publishes(client, site, fast):
    harvested(site)
    gone = Decision.objects.get(reference="24 012 973")
    SourcePage.objects.filter(decision=gone).update(
        gone_since=timezone.now() - timedelta(days=3), gone_reason="HTTP 410"
    )

    removed = client.get("/?at_source=removed").content.decode()
    published = client.get("/?at_source=published").content.decode()

    assert removed.count('<li class="decision">') == 1 and gone.get_absolute_url() in removed
    assert "No longer published by the Ombudsman" in removed  # the active filter, named
    assert published.count('<li class="decision">') == 7
    assert gone.get_absolute_url() not in published
    assert "Choose whether it is still on the Ombudsman’s website from the list." in (
        client.get("/?at_source=maybe").content.decode()
    )


@pytest.mark.parametrize(
    "value, seconds",
    [("120", 120.0), (" 3 ", 3.0), ("", None), ("soon", None), (None, None)],
)
def test_retry_after_is_read_as_seconds(value, seconds):
    assert retry_after(value) == seconds


def test_retry_after_is_read_as_an_http_date():
    later = timezone.now() + timedelta(seconds=90)
    assert 85 <= retry_after(later.strftime("%a, %d %b %Y %H:%M:%S GMT")) <= 90


def test_a_listing_page_is_read_by_its_links_shape_and_its_next_link():
    html = (
        '<p>Archive has 46 results</p><a href="/decisions/housing/allocations/24-012-973?x=1">'
        'Redbridge</a><a href="/decisions/housing">Housing</a><a href="https://other.example'
        '/decisions/housing/allocations/19-018-397">elsewhere</a>'
        '<a href="https://www.lgo.org.uk/decisions/planning/enforcement/24-012-191">Dover</a>'
        '<a href="/Decisions/Archive?page=2">Next &gt;</a>'
    )
    page = read_listing(html, "http://127.0.0.1:8/Decisions/Archive?page=1")

    # Another site's link is not followed; the source's own is taken on the mirror.
    assert [(link.reference, link.url) for link in page.links] == [
        ("24 012 973", "http://127.0.0.1:8/decisions/housing/allocations/24-012-973"),
        ("24 012 191", "http://127.0.0.1:8/decisions/planning/enforcement/24-012-191"),
    ]
    assert page.next_url == "http://127.0.0.1:8/Decisions/Archive?page=2"
    assert page.result_count == 46


def test_a_listing_of_no_results_is_empty_and_a_shell_is_not_a_listing():
    assert read_listing(listing_html("search", [], [], {}, 1), "http://x/").links == ()
    with pytest.raises(NotAListing, match="says it has 3 results but links to no decision"):
        read_listing("<p>Your search has 3 results</p>", "http://x/")


def test_the_user_agent_names_the_archive_its_address_and_its_contact(site):
    assert user_agent(options_for(site)) == (
        "OmbudsmanDecisionsArchive/0.1 (+https://archive.example.org/about/; archive@example.org)"
    )
    assert user_agent(options_for(site, project_url="", contact_email="")) == (
        "OmbudsmanDecisionsArchive/0.1"
    )


def test_windows_are_the_same_whatever_dates_a_run_is_given():
    from decisions.harvesting.windows import windows_between

    one = windows_between(date(2025, 1, 3), date(2025, 2, 20), 7, date(2025, 3, 1), 30)
    other = windows_between(date(2025, 1, 10), date(2025, 2, 20), 7, date(2025, 3, 1), 30)
    # The same weeks, but for the first, cut to each run's own start.
    assert [w.label() for w in other][:-1] == [w.label() for w in one][: len(other) - 1]
    assert one[-1].label() == "2025-01-03 to 2025-01-03"  # weeks begin on a fixed day
    assert [w.recent for w in one][:2] == [True, True] and not one[-1].recent


def test_tests_reach_no_network_but_loopback():
    import socket

    from pytest_socket import SocketConnectBlockedError

    # pytest-socket also warns as it blocks.
    with pytest.raises(SocketConnectBlockedError), pytest.warns(UserWarning, match="192.0.2.1"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
