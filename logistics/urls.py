"""/api/v1/campaigns (+ /members), /api/v1/samples, /api/v1/tasks, /api/v1/assets,
/api/v1/invitations."""

from rest_framework.routers import SimpleRouter

from logistics import views

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register(
    "campaigns/<uuid:campaign_pk>/members", views.CampaignMemberViewSet, basename="campaign-member"
)
router.register("samples", views.SampleViewSet, basename="sample")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("assets", views.AssetViewSet, basename="asset")
router.register("invitations", views.InvitationViewSet, basename="invitation")

urlpatterns = router.urls
