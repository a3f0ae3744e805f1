from django.contrib import admin

from jianfu.orgs.admin import ReadOnlyAdmin

from .models import CertificateType

# Issuances, refusals and commitments are deliberately not in the back office: they carry residents' ID
# numbers, which only the issuing village and the inspector may see, each view audited (pages and API).


@admin.register(CertificateType)
class CertificateTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region", "is_demo", "updated_at"]
    search_fields = ["code", "name"]

    def scoped(self, queryset, user):
        return queryset  # templates are public documents, as the lists are
