from django.urls import path

from fashionos.accounts import views

gotrue_urlpatterns = [
    path("token", views.GoTrueTokenView.as_view(), name="gotrue-token"),
    path("user", views.GoTrueUserView.as_view(), name="gotrue-user"),
    path("logout", views.GoTrueLogoutView.as_view(), name="gotrue-logout"),
]

api_urlpatterns = [
    path("token", views.ApiTokenView.as_view(), name="auth-token"),
    path("refresh", views.ApiRefreshView.as_view(), name="auth-refresh"),
]
