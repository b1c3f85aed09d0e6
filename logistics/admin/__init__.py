"""The logistics back office, one module per page family: campaigns and their members
(`campaigns`), and a campaign's samples, tasks and assets (`rows`). Importing them
registers their pages with the admin site."""

from logistics.admin import campaigns, rows  # noqa: F401
