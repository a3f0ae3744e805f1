"""专项行动任务分工、进度报告、联席会议、考评、乡镇分类和社区工作者: data and invariants."""

from .agencies import AgencyEvaluation, AgencyGrade, HeadGrade  # noqa: F401
from .campaigns import (  # noqa: F401
    TASK_FLOW,
    Cadence,
    Campaign,
    CampaignPhase,
    JointMeeting,
    MeetingDecision,
    Phase,
    ProgressReport,
    ReportAttachment,
    ReportKind,
    Task,
    TaskStatus,
)
from .classification import ClassificationRound, TownshipFigures  # noqa: F401
from .evaluation import (  # noqa: F401
    EvaluationScheme,
    Indicator,
    SchemeStatus,
    SurveyAnswer,
    SurveyCode,
    VillageScore,
)
from .workers import (  # noqa: F401
    Appraisal,
    AppraisalGrade,
    CommunityProfile,
    CommunityWorker,
    Contract,
    Origin,
    Post,
    Training,
    TrainingKind,
    WorkerStatus,
)
