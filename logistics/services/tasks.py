"""Writes to a campaign's tasks and their dependencies, which stay inside the campaign and
never close a cycle (checked under the campaign's lock)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fashionos.tables import row_record
from logistics.dependencies import dependency_cycle
from logistics.models import Campaign, Task, TaskDependency
from logistics.services.rows import (
    campaign_lock,
    fields_apply,
    row_changed,
    row_inserted,
    row_locked,
)

MSG_OTHER_CAMPAIGN_TASK = "A task may only depend on tasks of its own campaign."
MSG_SELF_DEPENDENCY = "A task cannot depend on itself."
MSG_CYCLE = "These dependencies would form a cycle: {cycle}."


def task_dependencies_validate(*, task: Task, depends_on: Iterable[Task]) -> list[Task]:
    """Refuse dependencies on tasks of another campaign, on the task itself, or that would
    close a cycle (the cycle is named by task titles). Returns the dependencies as a list."""
    depends_on = list(depends_on)
    for other in depends_on:
        if other.campaign_id != task.campaign_id:
            raise ValidationError({"depends_on": [MSG_OTHER_CAMPAIGN_TASK]})
        if task.pk is not None and other.pk == task.pk:
            raise ValidationError({"depends_on": [MSG_SELF_DEPENDENCY]})
    if task.pk is not None:
        edges = list(
            TaskDependency.objects.filter(task__campaign_id=task.campaign_id)
            .exclude(task_id=task.pk)
            .values_list("task_id", "depends_on_id")
        )
        edges.extend((task.pk, other.pk) for other in depends_on)
        cycle = dependency_cycle(edges)
        if cycle:
            titles = dict(Task.objects.filter(pk__in=cycle).values_list("pk", "title"))
            named = " → ".join(f"{titles.get(pk, pk)}" for pk in cycle)
            raise ValidationError(
                {"depends_on": [MSG_CYCLE.format(cycle=named)]},
                code="cycle",
            )
    return depends_on


def _dependencies_set(task: Task, depends_on: list[Task]) -> None:
    TaskDependency.objects.filter(task=task).delete()
    TaskDependency.objects.bulk_create(
        [TaskDependency(task=task, depends_on=other) for other in depends_on]
    )


@transaction.atomic
def task_create(
    *, campaign: Campaign, data: Mapping[str, Any], depends_on: Iterable[Task] = ()
) -> Task:
    task = Task(campaign=campaign)
    fields_apply(task, data)
    depends_on = list(depends_on)
    if depends_on:
        campaign_lock(campaign.pk)
    depends_on = task_dependencies_validate(task=task, depends_on=depends_on)
    task.save()
    _dependencies_set(task, depends_on)
    row_inserted("tasks", task)
    return task


@transaction.atomic
def task_update(
    *, task: Task, data: Mapping[str, Any], depends_on: Iterable[Task] | None = None
) -> Task:
    """Update the task as committed now (see `rows.row_locked`) and return it; `depends_on=None`
    leaves its dependencies as they are. A new dependency set that would close a cycle is
    refused, naming the cycle; the check runs under the campaign's lock, so two concurrent
    updates cannot each add half of a cycle. Raises Task.DoesNotExist for a deleted task."""
    task = row_locked(task)
    old = row_record(task)
    fields_apply(task, data)
    if depends_on is not None:
        depends_on = task_dependencies_validate(task=task, depends_on=depends_on)
    task.save()
    if depends_on is not None:
        _dependencies_set(task, depends_on)
    row_changed("tasks", "UPDATE", task, old)
    return task


@transaction.atomic
def task_delete(*, task: Task) -> None:
    """Delete the task, announcing its row as committed last; raises Task.DoesNotExist when
    it is already gone."""
    task = row_locked(task)
    old = row_record(task)
    task.delete()
    row_changed("tasks", "DELETE", task, old)
