"""Writes to campaigns, their members, samples, tasks and assets: one module per table
family (`campaigns`, `members`, `samples`, `tasks`, `assets`), on the row-writing steps they
share (`rows`).

Each service is one transaction. Writes to a campaign's samples, tasks or assets bump the
campaign's `revision` (so cached analyses of the old data become unreachable) and announce the
change to realtime subscribers once the transaction commits. Updates and deletes work on the
row as committed, re-read under a lock (never on the instance the caller loaded earlier), so
the announced `old_record` is the real prior state and a concurrent write is never undone.
Locks are taken in one order, the campaign's row first and then the row written, so two writes
never wait on each other crosswise. Permission checks belong to the caller (views and the table
registry use the `visible_to` / `editable_by` querysets); services enforce the rules that hold
whoever calls: one owner at least, dependencies inside the campaign and without cycles,
featured samples from the same campaign.
"""
