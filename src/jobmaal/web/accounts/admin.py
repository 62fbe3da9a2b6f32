"""User management for the ministry: a user's role and municipalities beside Django's user form."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from jobmaal.geography import load_geography
from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role


def municipality_choices() -> list[tuple[int, str]]:
    return [(m.code, f"{m.name} ({m.code})") for m in load_geography().municipalities]


class GrantForm(forms.ModelForm):
    municipality_code = forms.TypedChoiceField(label="Kommune", coerce=int, choices=municipality_choices)

    class Meta:
        model = MunicipalityGrant
        fields = ["municipality_code"]


class GrantInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A row with an error has no code in cleaned_data; its own error is shown beside it.
        codes = [f.cleaned_data.get("municipality_code") for f in self.forms
                 if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        codes = [c for c in codes if c is not None]
        role = self.data.get("profile-0-role")
        if role in (Role.EDITOR, Role.READER) and not codes:
            raise ValidationError("En kommunebruger skal have mindst én kommune.")
        if role in (Role.MINISTRY, Role.KL) and codes:
            raise ValidationError("Ministeriet og KL ser alle kommuner; fjern kommunerne.")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    min_num = 1
    max_num = 1


class GrantInline(admin.TabularInline):
    model = MunicipalityGrant
    form = GrantForm
    formset = GrantInlineFormSet
    extra = 1


class JobmaalUserAdmin(UserAdmin):
    inlines = [ProfileInline, GrantInline]
    list_display = ["username", "email", "role", "municipalities", "is_active", "last_login"]
    list_filter = ["profile__role", "is_active"]

    @admin.display(description="Rolle")
    def role(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "–"

    @admin.display(description="Kommuner")
    def municipalities(self, user: User) -> str:
        names = load_geography()
        codes = user.municipality_grants.values_list("municipality_code", flat=True)
        return ", ".join(names.municipality(code).name for code in codes)

    def get_inline_instances(self, request, obj=None):
        # Django's add form has two steps; roles are set on the second (change) form.
        return super().get_inline_instances(request, obj) if obj else []


admin.site.unregister(User)
admin.site.register(User, JobmaalUserAdmin)
admin.site.site_header = "Jobmål – administration"
admin.site.site_title = "Jobmål"
