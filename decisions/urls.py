from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("decisions/<str:reference>/", views.decision_detail, name="detail"),
]
