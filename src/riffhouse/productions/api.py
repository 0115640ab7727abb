"""The productions API: productions, producers and needs. Submissions, the lineup, the
fairness report, the release and the credits have their own modules' routers, added to
this one."""

from ninja import Router

router = Router(tags=["productions"])

# Fairness, release and credits (H4).
from riffhouse.productions.api_fairness import router as fairness_router  # noqa: E402

router.add_router("", fairness_router)
