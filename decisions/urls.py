from django.urls import path

from decisions.views import detail, listing, organisations

app_name = "decisions"

urlpatterns = [
    path("", listing.decision_list, name="list"),
    # Any spelling of a reference is accepted here; the view redirects to "19-011-560".
    path("decisions/<str:reference>/", detail.decision_detail, name="detail"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
]
