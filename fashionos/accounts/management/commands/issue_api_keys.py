"""`python manage.py issue_api_keys`: print the project's anon and service_role keys.

They are JWTs with `role` anon / service_role and no `sub`, signed with the token secret
(`JWT_SECRET`, else `SECRET_KEY`), as Supabase's project keys. The anon key goes into the
frontend (`createClient(url, anonKey)`); the service key is for server-side jobs only: it
bypasses row ownership. Rotating the secret invalidates every key and token issued before.
"""

from django.core.management.base import BaseCommand

from fashionos.accounts.tokens import API_KEY_LIFETIME, KEY_ROLES, api_key_issue


class Command(BaseCommand):
    help = (
        "Print the anon key (for the frontend: supabase.createClient(url, anonKey)) and the "
        "service_role key (for server-side jobs; it bypasses row ownership, keep it secret). "
        f"Keys are valid for {API_KEY_LIFETIME.days} days, signed with JWT_SECRET (or "
        "SECRET_KEY). With --role, print only that key, bare, for scripts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--role",
            choices=KEY_ROLES,
            help="Print only the key of this role, with nothing else on the line.",
        )

    def handle(self, *args, role: str | None = None, **options):
        if role:
            self.stdout.write(api_key_issue(role=role))
            return
        for key_role in KEY_ROLES:
            self.stdout.write(f"{key_role}: {api_key_issue(role=key_role)}")
