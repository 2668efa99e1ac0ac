"""Admin for the organisation's reference data."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

from .models import Directorate, LeadRole, Period, Portfolio, Profile, SignInGroupMapping

admin.site.register(Directorate)
admin.site.register(Portfolio)
admin.site.register(LeadRole)
admin.site.register(Profile)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "state", "deadline"]
    list_filter = ["kind", "state"]
    # Opening, closing, locking and reopening are recorded (PeriodEvent, audit log) by
    # organisation.services, used by the Returns pages; the admin must not bypass them.
    readonly_fields = ["state", "deadline"]


@admin.register(SignInGroupMapping)
class SignInGroupMappingAdmin(admin.ModelAdmin):
    """Which of the identity provider's groups give which role; applied at each SSO sign-in."""

    list_display = ["claim_value", "group", "lead_role", "note"]
    list_select_related = ["group", "lead_role"]
    search_fields = ["claim_value", "note"]


# The identity provider is set in the environment (docs/sso.md) and no tokens are kept: allauth's
# own pages for them would only mislead. Social accounts (issuer and subject id) stay visible.
for unused in (SocialApp, SocialToken, EmailAddress):
    if admin.site.is_registered(unused):
        admin.site.unregister(unused)
