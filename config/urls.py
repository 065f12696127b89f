from django.contrib import admin
from django.urls import include, path

from config import availability

urlpatterns = [
    # For a load balancer (README, "Operations"): the process is up (/readyz, whether it
    # can serve, is the archive's: decisions.views.health).
    path("healthz", availability.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The read-only JSON API and its documentation (README, "JSON API").
    path("api/", include("decisions.api.urls")),
    # Email alerts of any list search (README, "Email alerts").
    path("", include("decisions.alerts.urls")),
    path("", include("decisions.urls")),
]

# The 404 page offers the search box and, for an address like a case reference, the
# decisions it most likely meant.
handler404 = "decisions.views.not_found.page_not_found"
# The 500 page, or the 503 page when the database is unavailable; both show the request id.
handler500 = "config.availability.server_error"
