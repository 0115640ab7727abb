from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from riffhouse.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/check-your-email/", views.sign_up_done, name="sign_up_done"),
    path("confirm/send-again/", views.confirm_resend, name="confirm_resend"),
    # The closing slash is optional: some mail programs drop it from a link.
    re_path(r"^confirm/(?P<uidb64>[^/]+)/(?P<token>[^/]+)/?$", views.confirm_email, name="confirm"),
    # Whatever is left of a link cut short before its token still gets a helpful page.
    path("confirm/", views.confirm_email_incomplete),
    path("confirm/<path:rest>", views.confirm_email_incomplete),
    path("log-in/", views.log_in, name="login"),
    path("log-out/", views.log_out, name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
