"""Read-only admin views of survey rounds, answers and their audit trail for the ministry
(KL runs the survey through its own pages, which keep the audit and the lock)."""

from __future__ import annotations

from django.contrib import admin

from jobmaal.web.admin import ReadOnlyAdmin
from jobmaal.web.survey.models import Answer, AuditEntry, Round


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "questionnaire", "opens_on", "closes_on", "demo"]
    list_filter = ["demo"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["round", "municipality_code", "state", "submitted_at", "demo"]
    list_filter = ["round", "state", "demo"]


@admin.register(AuditEntry)
class SurveyAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "label"]
    list_filter = ["action"]
    search_fields = ["username", "label"]
