from ninja import NinjaAPI

from . import errors
from .admission import router as admission_router
from .audit import router as audit_router
from .auth import ActiveSessionAuth, TokenAuth
from .campaign import router as campaign_router
from .catalog import router as catalog_router
from .certificates import router as certificates_router
from .consultation import router as consultation_router
from .forms import router as forms_router
from .grid import router as grid_router
from .jobs import router as jobs_router
from .monitoring import router as monitoring_router
from .notifications import router as notifications_router
from .orgs import router as orgs_router
from .supervision import router as supervision_router

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
