from django.urls import path

from decisions.alerts import views

app_name = "alerts"

urlpatterns = [
    # What "Follow this search" opens: the email alert and the feed, for any list search.
    path("follow/", views.follow, name="follow"),
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
]
