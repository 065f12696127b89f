from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    # Any spelling of a reference is accepted here; the view redirects to "19-011-560".
    path("decisions/<str:reference>/", views.decision_detail, name="detail"),
]
