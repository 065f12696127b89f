from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "decisions.api"
    label = "api"
    verbose_name = "JSON API"
