"""The admin app of INSTALLED_APPS, with our site (`fashionos.admin_site`) as the default.

Apart from the site because Django reads this module while it loads INSTALLED_APPS, before
the user model exists, and the site's sign-in form needs the user model."""

from django.contrib.admin.apps import AdminConfig


class FashionOSAdminConfig(AdminConfig):
    default_site = "fashionos.admin_site.FashionOSAdminSite"
