from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "jianfu.federation"
    verbose_name = "全国汇总（各省报送）"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("federation", selectors.home_card)

        from django.conf import settings

        if settings.FEDERATION_NATIONAL_URL:  # a province's deployment: push last month on the 5th
            from jianfu.core import jobs

            jobs.register_job(
                "federation.push",
                label="向国家平台报送上月减负监测汇总",
                func="jianfu.federation.services.push_last_month",
                schedule="monthly 5 03:00",
            )
