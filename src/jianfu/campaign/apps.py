from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "jianfu.campaign"
    verbose_name = "专项行动与考评"
