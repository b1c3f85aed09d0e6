"""What the accounts announce, so the apps and the realtime engine act on account events
without the accounts importing them (the core imports no app; the apps connect receivers in
their `AppConfig.ready()`).

- `user_delete_checked(sender=User, user=…)`: asked before a user is deleted (the back office
  asks before its confirmation page, `user_delete` again under its locks). A receiver
  refuses by raising Django's `ValidationError` naming why (logistics: the user is the only
  owner of a campaign).
- `user_deleting(sender=User, user=…)`: sent inside `user_delete`'s transaction, before the
  row is deleted. A receiver locks what it needs, re-checks, and removes or detaches the
  user's rows through its own services, so every change is announced as any other write
  (logistics: memberships removed, tasks unassigned). It may still refuse (ValidationError);
  then nothing is deleted.
- `sessions_ended(sender=AuthSession, user_id=…, session_ids=[…])`: sent once a transaction
  that ended sign-in sessions commits (signed out, a refresh token used twice, the user
  deleted). The realtime engine closes the channels reading as them.
"""

from django.dispatch import Signal

user_delete_checked = Signal()
user_deleting = Signal()
sessions_ended = Signal()
