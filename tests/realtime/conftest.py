"""Realtime test fixtures: fresh channel layers per test, Phoenix clients, tokens for the
cast."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from channels.layers import channel_layers

from fashionos.accounts.tokens import api_key_issue
from fashionos.realtime.publish import outbox
from fashionos.testing.clients import access_token_for

from .support import PhoenixClient


@pytest.fixture(autouse=True)
def realtime_fresh_state():
    """Each test gets its own channel layer objects (and so its own hub), and no left-over
    publish suspension."""
    channel_layers.backends.clear()
    outbox.reset()
    yield
    channel_layers.backends.clear()
    outbox.reset()


@pytest.fixture
def anon_key() -> str:
    return api_key_issue(role="anon")


@pytest.fixture
def service_key() -> str:
    return api_key_issue(role="service_role")


@dataclass
class Tokens:
    owner: str
    editor: str
    viewer: str
    outsider: str
    admin: str


@pytest.fixture
def tokens(cast) -> Tokens:
    return Tokens(
        owner=access_token_for(cast.owner),
        editor=access_token_for(cast.editor),
        viewer=access_token_for(cast.viewer),
        outsider=access_token_for(cast.outsider),
        admin=access_token_for(cast.admin),
    )


@pytest.fixture
async def phoenix_clients():
    """Make PhoenixClients; all are disconnected at the end of the test."""
    made: list[PhoenixClient] = []

    def make(**kwargs) -> PhoenixClient:
        client = PhoenixClient(**kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        with contextlib.suppress(Exception):
            await client.close()
