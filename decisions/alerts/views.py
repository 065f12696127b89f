"""The alerts' pages: follow a search (the email alert and the feed), confirm,
unsubscribe, and manage an address's alerts.

No account and no cookie. The forms are exempt from CSRF checks on purpose: the public
pages set no cookies (templates/pages/privacy.html), a mail client's one-click
unsubscribe POST (RFC 8058) carries none, and each changing form is opened by a signed
link that another site cannot know. The sign-up form only ever sends a confirmation
email, within the limits of decisions.alerts.subscribing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from config.client_address import client_address
from decisions.alerts import messages, subscribing, tokens
from decisions.alerts.forms import FrequencyForm, SignUpForm
from decisions.alerts.models import Alert, Frequency, forget_address
from decisions.alerts.window import problem_of, search_of
from decisions.search.query import DecisionSearch


def follow_context(
    request: HttpRequest, search: DecisionSearch, form: SignUpForm
) -> dict[str, Any]:
    query = subscribing.saved_query(search.filterset.data)
    suffix = f"?{query}" if query else ""
    return {
        "form": form,
        "search_valid": search.valid,
        "problem": problem_of(search),
        "described": messages.describe(query),
        "query": query,
        "subscribe_url": reverse("alerts:subscribe") + suffix,
        "results_url": reverse("decisions:list") + suffix,
        "feed_url": request.build_absolute_uri(reverse("decisions:feed") + suffix),
    }


def follow(request: HttpRequest) -> HttpResponse:
    """What "Follow this search" opens: an email alert, or the feed's address to copy."""
    search = DecisionSearch.from_params(request.GET)
    return render(request, "alerts/follow.html", follow_context(request, search, SignUpForm()))


@csrf_exempt
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    search = DecisionSearch.from_params(request.GET)
    form = SignUpForm(request.POST)
    context = follow_context(request, search, form)
    if not search.valid or not form.is_valid():
        return render(request, "alerts/follow.html", context, status=400)
    try:
        subscribing.sign_up(
            form.cleaned_data["email"],
            form.cleaned_data["frequency"],
            search,
            client_address(request),
        )
    except subscribing.LimitReached as limit:
        context["limit"] = str(limit)
        return render(request, "alerts/follow.html", context, status=429)
    context["email"] = subscribing.normalised(form.cleaned_data["email"])
    return render(request, "alerts/check_email.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: a mail system's link scanner that opens every
    link must not confirm an alert the address's owner never asked for."""
    try:
        alert = Alert.objects.get(pk=tokens.confirmed_alert_id(token))
    except (tokens.BadLink, Alert.DoesNotExist) as problem:
        message = (
            str(problem)
            if isinstance(problem, tokens.BadLink)
            else "This alert no longer exists: sign up again from the search."
        )
        return render(request, "alerts/bad_link.html", {"message": message}, status=404)
    context = {
        "alert": alert,
        "described": messages.describe(alert.query),
        "manage_url": reverse("alerts:manage", args=[tokens.manage_token(alert.pk)]),
    }
    if request.method == "GET" and alert.status == Alert.Status.PENDING:
        return render(request, "alerts/confirm.html", context)
    context["newly"] = request.method == "POST" and subscribing.confirm(alert)
    return render(request, "alerts/confirmed.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (a link scanner must not unsubscribe anyone); POST, from it or
    from a mail client's one-click (body `List-Unsubscribe=One-Click`), unsubscribes."""
    try:
        ids = tokens.unsubscribed_alert_ids(token)
    except tokens.BadLink as problem:
        return render(request, "alerts/bad_link.html", {"message": str(problem)}, status=404)
    alerts = list(Alert.objects.filter(pk__in=ids))
    if request.method == "POST":
        emails = {alert.email for alert in alerts}
        Alert.objects.filter(pk__in=ids).delete()
        for email in emails:  # an address with no alert left is forgotten
            if not Alert.objects.filter(email=email).exists():
                forget_address(email)
        return render(request, "alerts/unsubscribed.html", {"count": len(alerts)})
    context = {
        "alerts": [(alert, messages.describe(alert.query)) for alert in alerts],
        "token": token,
    }
    return render(request, "alerts/unsubscribe.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every alert of one address: change how often, pause or resume, delete, delete all."""
    try:
        alert = Alert.objects.filter(pk=tokens.managed_alert_id(token)).first()
    except tokens.BadLink as problem:
        return render(request, "alerts/bad_link.html", {"message": str(problem)}, status=404)
    if alert is None:
        message = (
            "The alert this link was sent for has been deleted, so it no longer opens your "
            "alerts: use the link in a more recent email."
        )
        return render(request, "alerts/bad_link.html", {"message": message}, status=404)
    email = alert.email
    done = ""
    if request.method == "POST":
        done = change(email, request.POST)
    alerts = list(Alert.objects.filter(email=email).order_by("created_at", "pk"))
    if alerts and not any(other.pk == alert.pk for other in alerts):
        # The link's own alert was just deleted: the page goes on under another's.
        token = tokens.manage_token(alerts[0].pk)
    context = {
        "email": email,
        "done": done,
        "alerts": [
            (alert, messages.describe(alert.query), problem_of(search_of(alert.query)))
            for alert in alerts
        ],
        "manage_path": reverse("alerts:manage", args=[token]),
        "frequencies": Frequency.choices,
    }
    return render(request, "alerts/manage.html", context)


def change(email: str, data: Any) -> str:
    """One action of the manage page; what was done, in words."""
    action = data.get("action", "")
    if action == "delete_all":
        forget_address(email)
        return "Every alert of this address is deleted, and the address with them."
    alert = Alert.objects.filter(email=email, pk=data.get("alert") or 0).first()
    if alert is None:
        return "That alert no longer exists."
    if action == "delete":
        alert.delete()
        if not Alert.objects.filter(email=email).exists():
            forget_address(email)
        return "The alert is deleted."
    if action == "pause" and alert.status == Alert.Status.ACTIVE:
        alert.status = Alert.Status.PAUSED
        alert.save(update_fields=["status"])
        return "The alert is paused: no emails until you resume it."
    if action == "resume" and alert.status == Alert.Status.PAUSED:
        alert.status = Alert.Status.ACTIVE
        alert.save(update_fields=["status"])
        return "The alert is resumed: it sends the decisions added while it was paused too."
    if action == "frequency":
        form = FrequencyForm(data)
        if form.is_valid():
            alert.frequency = form.cleaned_data["frequency"]
            alert.save(update_fields=["frequency"])
            return f"The alert now sends {alert.get_frequency_display().lower()}."
    return "Nothing was changed."
