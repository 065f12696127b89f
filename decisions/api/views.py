"""The API's endpoints. Each reads through the same objects as the site's pages: the
list through DecisionSearch, a decision as its page finds it, the organisations and
categories with the counts of their index pages."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse as api_reverse

from decisions.api import pagination, parameters, serializers
from decisions.api.errors import BadParameters, Gone
from decisions.api.http import ArchiveAPIView, etag_of, terms
from decisions.models import Decision, Organisation
from decisions.parsing.errors import ParseError
from decisions.parsing.references import canonical_reference
from decisions.search.query import DecisionSearch
from decisions.search.whole_archive import WholeArchive
from decisions.views.browse import category_tree, with_published_counts

API_VERSION = "v1"
ERRORS = serializers.ErrorSerializer
THROTTLED = OpenApiResponse(ERRORS, description="Too many requests: see Retry-After.")


def newest_change(whole: WholeArchive) -> datetime.datetime | None:
    """When any decision last changed (withdrawals included): the lists' Last-Modified.
    A scan of every row, so once per generation of the archive."""
    return whole.cached(
        "newest-change", lambda: Decision.objects.aggregate(newest=Max("updated_at"))["newest"]
    )


def archive_validators(
    request: Request, whole: WholeArchive, index_position: str = ""
) -> tuple[str, datetime.datetime | None]:
    """One answer per generation of the archive, position of the search index (which
    follows the archive within seconds), day (the date facets move at midnight) and
    query string. No Last-Modified while the archive is empty."""
    etag = etag_of(
        API_VERSION, whole.generation, index_position, whole.today, request.get_full_path()
    )
    return etag, newest_change(whole)


class DecisionList(ArchiveAPIView):
    @extend_schema(
        operation_id="decisions_search",
        summary="Search the decisions",
        description="The list page's search: the same parameters and search syntax, "
        "totals (exact: total_exact is always true), ranking over every match and "
        "facet counts. Date order pages by cursor, the other sorts by page number.",
        parameters=parameters.filter_parameters() + parameters.list_option_parameters(),
        responses={
            200: serializers.DecisionListSerializer,
            400: ERRORS,
            404: OpenApiResponse(ERRORS, description="A page past the last: see last_page."),
            429: THROTTLED,
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        params = request.query_params
        search = DecisionSearch.from_params(params)
        # An ErrorList yields its messages (str or lazy): as plain strings for the body.
        errors = {name: [str(m) for m in messages] for name, messages in search.errors.items()}
        errors |= parameters.option_errors(params)
        errors |= parameters.unknown_errors(params)
        if errors:
            categories_url = api_reverse("api:categories", request=request)
            errors = parameters.with_valid_values(errors, categories_url)
            raise BadParameters(errors)
        validators = archive_validators(request, WholeArchive(), search.index_position())
        not_modified = self.not_modified(request, *validators)
        if not_modified is not None:
            return not_modified
        if search.sort in parameters.DATE_SORTS:
            page = pagination.date_page(search, request)
        else:
            page = pagination.numbered_page(search, request)
        facets = search.facets if parameters.wants_facets(params) else []
        body = {
            **terms(request),
            "total": search.total.value,
            "total_exact": search.total.exact,
            "total_shown": search.total.shown,
            "sort": search.sort,
            "pagination": page.pagination,
            # The search's own notes ("Also searching for ...") and the page's.
            "notes": [*search.notes, *page.notes],
            "results": page.decisions,
            "facets": [
                {
                    "name": facet.name,
                    "title": facet.title,
                    "estimated": facet.estimated,
                    "options": [
                        {
                            "label": option.label,
                            "count": option.count,
                            "exact": option.exact,
                            "selected": option.selected,
                            "parameters": option.changes,
                            "drops": list(option.drops),
                        }
                        for option in facet.options
                    ],
                }
                for facet in facets
            ],
        }
        context = {"request": request, "snippets": page.snippets}
        return Response(serializers.DecisionListSerializer(body, context=context).data)


class DecisionDetail(ArchiveAPIView):
    @extend_schema(
        operation_id="decision_detail",
        summary="One decision in full",
        description="Any spelling of the reference is accepted (19 011 560, 19-011-560, "
        "19011560); the response gives the canonical one. A withdrawn decision is 410 Gone.",
        parameters=[
            OpenApiParameter(
                "reference", str, OpenApiParameter.PATH, description="The case reference."
            )
        ],
        responses={
            200: serializers.DecisionResponseSerializer,
            404: ERRORS,
            410: ERRORS,
            429: THROTTLED,
        },
    )
    def get(self, request: Request, reference: str) -> Response | HttpResponse:
        try:
            canonical = canonical_reference(reference)
        except ParseError:
            raise exceptions.NotFound("That is not an LGSCO case reference.") from None
        decision = (
            Decision.objects.select_related("organisation", "category__parent")
            .defer("body_text")
            .filter(reference=canonical)
            .first()
        )
        if decision is None:
            raise exceptions.NotFound("No decision with that reference is in the archive.")
        if decision.withdrawn:
            raise Gone()
        etag = etag_of(API_VERSION, decision.pk, decision.content_hash, decision.updated_at)
        not_modified = self.not_modified(request, etag, decision.updated_at)
        if not_modified is not None:
            return not_modified
        body = {**terms(request), "decision": decision}
        return Response(
            serializers.DecisionResponseSerializer(body, context={"request": request}).data
        )


def list_link(request: Request, **params: str) -> str:
    return api_reverse("api:decisions", request=request) + "?" + urlencode(params)


class OrganisationList(ArchiveAPIView):
    @extend_schema(
        operation_id="organisations_list",
        summary="Every organisation with published decisions",
        description="A–Z, each with its count of published decisions, as /organisations/ "
        "lists them.",
        responses={200: serializers.OrganisationListSerializer, 429: THROTTLED},
    )
    def get(self, request: Request) -> Response | HttpResponse:
        whole = WholeArchive()
        not_modified = self.not_modified(request, *archive_validators(request, whole))
        if not_modified is not None:
            return not_modified
        counted = whole.cached(
            "organisation-counts",
            lambda: with_published_counts(Organisation.objects.all()),
        )
        results = [
            {
                "name": organisation.name,
                "slug": organisation.slug,
                "count": organisation.count,
                "decisions": list_link(request, organisation=organisation.slug),
            }
            for organisation in counted
        ]
        return Response({**terms(request), "results": results})


class CategoryList(ArchiveAPIView):
    @extend_schema(
        operation_id="categories_list",
        summary="The category tree",
        description="The categories A–Z, each with its subcategories and their counts of "
        "published decisions, as /categories/ shows them. A category's count is its "
        "subcategories' sum.",
        responses={200: serializers.CategoryListSerializer, 429: THROTTLED},
    )
    def get(self, request: Request) -> Response | HttpResponse:
        whole = WholeArchive()
        not_modified = self.not_modified(request, *archive_validators(request, whole))
        if not_modified is not None:
            return not_modified
        results = [
            {
                "name": category.name,
                "slug": category.slug,
                "count": category.count,
                "decisions": list_link(request, category=category.slug),
                "subcategories": [
                    {
                        "name": sub.name,
                        "slug": sub.slug,
                        "count": sub.count,
                        "decisions": list_link(
                            request, category=category.slug, subcategory=sub.slug
                        ),
                    }
                    for sub in category.subcategories
                ],
            }
            for category in whole.cached("category-counts", category_tree)
        ]
        return Response({**terms(request), "results": results})


class ApiIndex(ArchiveAPIView):
    """/api/: the versions, and each one's endpoints."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def absolute(name: str, *args: str) -> str:
            return api_reverse(name, args=args, request=request)

        versions = {
            API_VERSION: {
                "status": "current",
                "endpoints": {
                    "decisions": absolute("api:decisions"),
                    "decision": absolute("api:decision", "19-011-560").replace(
                        "19-011-560", "{reference}"
                    ),
                    "organisations": absolute("api:organisations"),
                    "categories": absolute("api:categories"),
                    "schema": absolute("api:schema"),
                    "docs": absolute("api:docs"),
                },
            }
        }
        return Response({**terms(request), "versions": versions})


class SchemaView(ArchiveAPIView, SpectacularAPIView):
    """The OpenAPI 3 schema: YAML, or JSON for Accept: application/vnd.oai.openapi+json."""


def api_guide(request: HttpRequest) -> HttpResponse:
    """How to use the API, with examples to copy at this site's own address: the guide
    the README's "JSON API" section links to, readable by any visitor."""
    return render(
        request,
        "api/guide.html",
        {
            "base": request.build_absolute_uri("/").rstrip("/"),
            "schema_url": reverse("api:schema"),
            "rate": settings.API_THROTTLE_RATE,
            "nav_current": "api-docs",
        },
    )


def api_docs(request: HttpRequest) -> HttpResponse:
    """The interactive documentation: Swagger UI from static/ (drf-spectacular-sidecar),
    started by a static script (static/js/api-docs.js) inside the site's CSP."""
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": reverse("api:schema"),
            "rate": settings.API_THROTTLE_RATE,
            "nav_current": "api-docs",
        },
    )
