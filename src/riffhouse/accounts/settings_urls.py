from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from riffhouse.accounts import views

app_name = "settings"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="settings:profile"), name="index"),
    path("profile/", views.settings_profile, name="profile"),
    path("password/", login_required(views.PasswordChangeView.as_view()), name="password"),
    path("tokens/", views.settings_tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.settings_token_revoke, name="token_revoke"),
    path("delete/", views.settings_delete, name="delete"),
    path("blocks/", views.settings_blocks, name="blocks"),
    path("blocks/<str:username>/add/", views.block_add, name="block"),
    path("blocks/<str:username>/remove/", views.block_remove, name="unblock"),
]
