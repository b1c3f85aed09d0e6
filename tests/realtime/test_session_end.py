"""An ended sign-in session closes the realtime channels that read as it at once (sign-out,
a refresh token used twice, the user deleted), not when the access token expires; channels
of the user's other sessions keep hearing."""

from __future__ import annotations

import pytest

from fashionos.accounts import services as accounts_services
from fashionos.accounts.models import AuthSession
from fashionos.accounts.services import SessionError
from fashionos.accounts.tokens import access_token_issue
from fashionos.realtime.hub import MSG_SESSION_ENDED
from fashionos.testing.factories import TEST_PASSWORD
from logistics.models import Sample
from logistics.services.samples import sample_update
from logistics.tests.factories import SampleFactory

from .support import SAMPLES_ALL, run_sync

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(user) -> tuple[str, AuthSession]:
    session = AuthSession.objects.create(user=user)
    token, _ = access_token_issue(user=user, session_id=session.id)
    return token, session


async def _update(sample: Sample, **data) -> None:
    fresh = await run_sync(Sample.objects.get, pk=sample.pk)
    await run_sync(sample_update, sample=fresh, data=data)


async def _subscribed(make, apikey, token):
    client = make(apikey=apikey)
    await client.connect()
    await client.subscribe("samples", [SAMPLES_ALL], access_token=token)
    return client


async def _closed_for_session_end(client) -> None:
    system = await client.receive_event("system")
    assert system.payload["status"] == "error"
    assert system.payload["message"] == MSG_SESSION_ENDED
    closed = await client.receive_event("phx_close")
    assert closed.topic == "realtime:samples"


@pytest.mark.parametrize("who", ["owner", "admin"])  # a member, and a see-all staff reader
async def test_signing_out_closes_that_sessions_channels_and_no_others(
    who, cast, anon_key, phoenix_clients
):
    user = getattr(cast, who)
    signed_out_token, signed_out = await run_sync(_signed_in, user)
    other_token, _ = await run_sync(_signed_in, user)
    ending = await _subscribed(phoenix_clients, anon_key, signed_out_token)
    staying = await _subscribed(phoenix_clients, anon_key, other_token)

    await run_sync(
        accounts_services.session_sign_out, session_id=signed_out.pk, user=user, scope="local"
    )

    await _closed_for_session_end(ending)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    assert (await staying.change()).payload["data"]["record"]["status"] == "arrived"
    assert await ending.quiet()


async def test_a_global_sign_out_closes_every_session_of_the_user(
    cast, tokens, anon_key, phoenix_clients
):
    first_token, first = await run_sync(_signed_in, cast.editor)
    second_token, _ = await run_sync(_signed_in, cast.editor)
    clients = [
        await _subscribed(phoenix_clients, anon_key, first_token),
        await _subscribed(phoenix_clients, anon_key, second_token),
    ]
    owner = await _subscribed(phoenix_clients, anon_key, tokens.owner)

    await run_sync(
        accounts_services.session_sign_out, session_id=first.pk, user=cast.editor, scope="global"
    )

    for client in clients:
        await _closed_for_session_end(client)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="on_set")
    await owner.change()  # another user's channel is untouched


async def test_a_refresh_token_used_twice_closes_the_sessions_channels(
    cast, anon_key, phoenix_clients
):
    issued = await run_sync(
        accounts_services.session_sign_in, email=cast.viewer.email, password=TEST_PASSWORD
    )
    client = await _subscribed(phoenix_clients, anon_key, issued.access_token)
    refresh = issued.refresh_token

    await run_sync(accounts_services.session_refresh, refresh_token=refresh)
    with pytest.raises(SessionError):
        await run_sync(accounts_services.session_refresh, refresh_token=refresh)  # reused

    await _closed_for_session_end(client)


async def test_deleting_a_staff_user_closes_their_see_all_channels(cast, anon_key, phoenix_clients):
    token, _ = await run_sync(_signed_in, cast.admin)
    client = await _subscribed(phoenix_clients, anon_key, token)

    await run_sync(accounts_services.user_delete, user=cast.admin)

    await _closed_for_session_end(client)
    sample = await run_sync(SampleFactory, campaign=cast.campaign)
    await _update(sample, status="arrived")
    assert await client.quiet()
