import pytest

from fashionos.testing.people import Cast, cast_create


@pytest.fixture
def cast(db) -> Cast:
    """A campaign with owner, editor and viewer; an outsider with a campaign of their own; a
    staff admin. `cast.client(role)` gives an authenticated API client for any role."""
    return cast_create()
