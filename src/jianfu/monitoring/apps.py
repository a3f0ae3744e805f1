from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jianfu.monitoring"
    verbose_name = "减负监测"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("monitoring", selectors.home_card)
        registry.register_home_tasks("monitoring", selectors.home_tasks)
        registry.register_demo_loader("monitoring", demo.load_demo_records, order=80)

        from . import local_rules, verdicts

        local_rules.register()  # the meeting rule and the rectification deadline, per county

        verdicts.register()  # the inspector's corrections replace the events' automatic checks

        from jianfu.core import jobs

        jobs.register_job(
            "monitoring.rollup",
            label="重建减负监测看板汇总",
            func="jianfu.monitoring.services.rollup.rebuild",
            schedule="daily 02:00",
            health="rollup",
            summary="汇总格 {} 个",
        )
        jobs.register_job(
            "monitoring.recheck",
            label="重新核验未能判定的负担事件",
            func="jianfu.monitoring.services.events.recheck_undecided",
            schedule="hourly 20",
            summary="合规 {ok}，违规 {violation}，仍未能判定 {undecided}",
        )
        jobs.register_job(
            "monitoring.rectification_reminders",
            label="催办逾期未整改的通报事项",
            func="jianfu.monitoring.services.bulletins.remind_overdue",
            schedule="daily 09:00",
            summary="催办 {} 项",
        )
        jobs.register_operation(
            "monitoring.bulletin_docx", label="生成通报 DOCX", func="jianfu.monitoring.work.bulletin_docx"
        )
        jobs.register_operation(
            "monitoring.rollup_rebuild",
            label="重建监测看板汇总",
            func="jianfu.monitoring.work.rollup_rebuild",
        )
