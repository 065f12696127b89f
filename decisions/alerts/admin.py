"""The alerts in the admin: listed, searched, disabled. Staff see an address only as
long as its alerts exist; deleting an alert here forgets the address once it has none."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from decisions.alerts.models import Alert, forget_address


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("email", "query", "frequency", "last_sent_at", "status", "problem")
    list_filter = ("status", "frequency")
    search_fields = ("email", "query")
    ordering = ("-created_at",)
    readonly_fields = ("email", "query", "created_at", "confirmed_at", "since", "last_sent_at")
    fields = (*readonly_fields, "frequency", "status", "problem")
    actions = ("disable", "enable")

    @admin.action(description="Disable the selected alerts (no more emails)")
    def disable(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        changed = queryset.exclude(status=Alert.Status.PENDING).update(status=Alert.Status.DISABLED)
        self.message_user(request, f"{changed} alert(s) disabled.", messages.SUCCESS)

    @admin.action(description="Enable the selected disabled alerts again")
    def enable(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        changed = queryset.filter(status=Alert.Status.DISABLED).update(status=Alert.Status.ACTIVE)
        self.message_user(request, f"{changed} alert(s) enabled.", messages.SUCCESS)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        emails = set(queryset.values_list("email", flat=True))
        super().delete_queryset(request, queryset)
        forget_unfollowed(emails)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        forget_unfollowed({obj.email})


def forget_unfollowed(emails: set[str]) -> None:
    for email in emails:
        if not Alert.objects.filter(email=email).exists():
            forget_address(email)
