from django.urls import path

from fashionos.accounts import account_views, views

gotrue_urlpatterns = [
    path("token", views.GoTrueTokenView.as_view(), name="gotrue-token"),
    path("user", account_views.GoTrueUserView.as_view(), name="gotrue-user"),
    path("logout", views.GoTrueLogoutView.as_view(), name="gotrue-logout"),
    path("signup", account_views.GoTrueSignupView.as_view(), name="gotrue-signup"),
    path("recover", account_views.GoTrueRecoverView.as_view(), name="gotrue-recover"),
    path("verify", account_views.GoTrueVerifyView.as_view(), name="gotrue-verify"),
]

api_urlpatterns = [
    path("token", views.ApiTokenView.as_view(), name="auth-token"),
    path("refresh", views.ApiRefreshView.as_view(), name="auth-refresh"),
]
