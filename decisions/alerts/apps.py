from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Email alerts: an app of its own, so its migrations stay apart from the decisions'."""

    name = "decisions.alerts"
    label = "alerts"
    verbose_name = "Email alerts"
    default_auto_field = "django.db.models.BigAutoField"
