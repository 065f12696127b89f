"""/api/ lists the versions; /api/v1/ is the first. A later version gets its own
module of views beside these, and v1 keeps answering as it does."""

from django.urls import path

from decisions.api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiIndex.as_view(), name="index"),
    path("v1/", views.ApiIndex.as_view(), name="v1"),
    path("v1/decisions/", views.DecisionList.as_view(), name="decisions"),
    path("v1/decisions/<str:reference>/", views.DecisionDetail.as_view(), name="decision"),
    path("v1/organisations/", views.OrganisationList.as_view(), name="organisations"),
    path("v1/categories/", views.CategoryList.as_view(), name="categories"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.api_docs, name="docs"),
    path("v1/guide/", views.api_guide, name="guide"),
]
