"""factory_boy factories for the core's models (users). Each app's tests keep the factories
of its own models beside them (`logistics/tests/factories.py`, …)."""

import factory

from fashionos.accounts.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)
