from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "jianfu.catalog"
    verbose_name = "清单"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_demo_loader("catalog", demo.load_demo_records, order=15)

        from . import thresholds

        thresholds.register()  # the classifier's thresholds a county may choose (区划设置)

        from jianfu.core import jobs

        jobs.register_operation(
            "catalog.import_items", label="导入清单事项", func="jianfu.catalog.work.import_list_items"
        )
