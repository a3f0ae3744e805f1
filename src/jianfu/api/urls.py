from ninja import NinjaAPI

from jianfu.admission.api import router as admission_router
from jianfu.audit.api import router as audit_router
from jianfu.campaign.api import router as campaign_router
from jianfu.catalog.api import router as catalog_router
from jianfu.certificates.api import router as certificates_router
from jianfu.consultation.api import router as consultation_router
from jianfu.federation.api import router as federation_router
from jianfu.forms.api import router as forms_router
from jianfu.grid.api import router as grid_router
from jianfu.jobs.api import router as jobs_router
from jianfu.monitoring.api import router as monitoring_router
from jianfu.notifications.api import router as notifications_router
from jianfu.orgs.api import router as orgs_router
from jianfu.supervision.api import router as supervision_router

from . import errors
from .auth import ActiveSessionAuth, TokenAuth

api = NinjaAPI(
    title="减负平台 API",
    version="1",
    description="村（社区）减负工作平台接口。与页面使用相同的业务服务与数据范围。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", orgs_router)
api.add_router("/audit", audit_router)
api.add_router("/", catalog_router)
api.add_router("/admission", admission_router)
api.add_router("/certificates", certificates_router)
api.add_router("/forms", forms_router)
api.add_router("/supervision", supervision_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/campaign", campaign_router)
api.add_router("/consultation", consultation_router)
api.add_router("/grid", grid_router)
api.add_router("/", jobs_router)
api.add_router("/notifications", notifications_router)
api.add_router("/federation", federation_router)
