"""The productions API: productions, producers and needs. Submissions, the lineup, the
fairness report, the release and the credits have their own modules' routers, added to
this one."""

from ninja import Router

router = Router(tags=["productions"])
