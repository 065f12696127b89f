from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from decisions.models import Decision
from decisions.references import canonical_reference


def decision_list(request: HttpRequest) -> HttpResponse:
    decisions = Decision.objects.for_listing()[:20]
    return render(request, "decisions/decision_list.html", {"decisions": decisions})


def decision_detail(request: HttpRequest, reference: str) -> HttpResponse:
    decision = get_object_or_404(Decision, reference=canonical_reference(reference))
    return render(request, "decisions/decision_detail.html", {"decision": decision})
