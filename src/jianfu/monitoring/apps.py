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
        jobs.register_job(
            "monitoring.return_reminders",
            label="催报逾期未报送负担情况的监测点",
            func="jianfu.monitoring.services.returns.remind_overdue_returns",
            schedule="daily 09:30",
            summary="催报 {} 个监测点",
        )
        from jianfu.orgs.region_settings import register_setting

        register_setting(
            "monitoring.returns_weekly",
            label="监测点按周报送负担情况",
            default=False,
            kind="bool",
            group="减负监测",
            help="开启：每个监测点每周（周一至周日）报送一次；关闭：每月报送一次。没有新增负担的，也报送“本期无新增负担”。",
        )
        register_setting(
            "monitoring.return_grace_days",
            label="监测点报送宽限天数",
            default=3,
            kind="int",
            unit="天",
            minimum=0,
            maximum=15,
            group="减负监测",
            help="报送期结束后多少天内报送算按期；过后未报送的监测点在看板上显示为未报送，并提醒监测员。",
        )
        register_setting(
            "monitoring.retention_months",
            label="负担事件保存月数",
            default=36,
            kind="int",
            unit="个月",
            minimum=12,
            maximum=240,
            group="减负监测",
            help="超过保存期的月份由每月的分区任务整月分离（仅 PostgreSQL），归档后删除；各省取其设置。",
        )
        register_setting(
            "monitoring.finding_retention_months",
            label="问题保存月数",
            default=120,
            kind="int",
            unit="个月",
            minimum=60,
            maximum=360,
            group="减负监测",
            help="按发生月份计。超过保存期、且该月问题均已不认定或整改完毕的月份，由每月的分区任务整月分离"
            "（仅 PostgreSQL），归档后删除；各省取其设置中最长者。默认十年，不少于五年。",
        )
        from jianfu.core import partitions

        from . import retention

        partitions.register_table(
            "monitoring_burdenevent",
            column="occurred_on",
            label="负担事件",
            retention_months=retention.event_retention_months,
        )
        partitions.register_table(
            "monitoring_finding",
            column="occurred_on",
            label="问题",
            retention_months=retention.finding_retention_months,
            guard=retention.findings_settled,
            children=(("monitoring_findingstep", "finding_id"),),
        )
        jobs.register_operation(
            "monitoring.bulletin_docx", label="生成通报 DOCX", func="jianfu.monitoring.work.bulletin_docx"
        )
        jobs.register_operation(
            "monitoring.rollup_rebuild",
            label="重建监测看板汇总",
            func="jianfu.monitoring.work.rollup_rebuild",
        )
