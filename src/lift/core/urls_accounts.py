"""Signing in and out, passwords, two-factor authentication and how LIFT e-mails you, under
/accounts/."""

from django.urls import path

from .views import accounts as v
from .views.accounts import signed_out_page
from .views.api_token import ApiTokenView
from .views.notifications import EmailChoiceView

app_name = "accounts"

urlpatterns = [
    path("login/", signed_out_page(v.SignInView.as_view()), name="login"),
    path("logout/", signed_out_page(v.SignOutView.as_view()), name="logout"),
    path("signed-out/", signed_out_page(v.SignedOutView.as_view()), name="signed_out"),
    path("mfa/", v.MfaView.as_view(), name="mfa"),
    path("api-token/", ApiTokenView.as_view(), name="api_token"),
    path("emails/", EmailChoiceView.as_view(), name="email_choice"),
    path("mfa/backup-codes/", v.BackupCodesView.as_view(), name="mfa_backup_codes"),
    path("mfa/enrol/<uidb64>/<token>/", v.MfaEnrolView.as_view(), name="mfa_enrol"),
    path(
        "invitation/<uidb64>/<token>/",
        signed_out_page(v.InvitationView.as_view()),
        name="invitation",
    ),
    path(
        "email/confirm/<str:token>/",
        signed_out_page(v.EmailConfirmView.as_view()),
        name="email_confirm",
    ),
    path("password/", v.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", v.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password-reset/",
        signed_out_page(v.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        signed_out_page(v.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        signed_out_page(v.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        signed_out_page(v.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
