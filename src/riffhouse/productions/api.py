"""The productions API: productions, producers and needs. Submissions, the lineup, the
fairness report, the release and the credits have their own modules' routers, added to
this one."""

from ninja import Router

router = Router(tags=["productions"])

# The lineup (helper H3, productions-lineup).
from riffhouse.productions.api_lineup import router as lineup_router  # noqa: E402

router.add_router("", lineup_router)
