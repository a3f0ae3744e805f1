from ninja import NinjaAPI

from . import errors
from .admission import router as admission_router
from .audit import router as audit_router
from .auth import ActiveSessionAuth, TokenAuth
from .catalog import router as catalog_router
from .certificates import router as certificates_router
from .orgs import router as orgs_router

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
