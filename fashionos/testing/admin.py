"""Admin helpers for tests."""

from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    """The admin URL of a model's view: `admin_url(Sample, "change", pk)`."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
