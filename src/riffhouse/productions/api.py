"""The productions API: productions, producers and needs. Submissions, the lineup, the
fairness report, the release and the credits have their own modules' routers, added to
this one."""

from ninja import Router

router = Router(tags=["productions"])

from riffhouse.productions.api_submissions import submissions_router  # noqa: E402 - H2's router

router.add_router("", submissions_router)
