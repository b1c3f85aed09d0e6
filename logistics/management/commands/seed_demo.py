"""`python manage.py seed_demo`: a demo team and a living campaign to explore.

Creates (once; run again with --reset to start over) a demo user who owns the campaign, two
teammates, a staff user for the admin, and a campaign three days from its shoot with samples
across categories (hero pieces, some delayed), tasks with dependencies and assignees, and
assets. Everything is written through the services, as the API would.
"""

import random
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from analytics.models import AnalyticsEvent
from fashionos.accounts.models import User
from logistics.models import Campaign, CampaignRole, MemberJoined
from logistics.services.assets import asset_create
from logistics.services.campaigns import campaign_create, campaign_delete
from logistics.services.members import member_add
from logistics.services.samples import sample_create
from logistics.services.tasks import task_create

DEMO_PASSWORD = "fashionos-demo"
DEMO_CAMPAIGN = "SS27 Riviera Lookbook"
PEOPLE = [
    ("demo@fashionos.dev", "Demo Producer", False),
    ("stylist@fashionos.dev", "Lead Stylist", False),
    ("photo@fashionos.dev", "Photographer", False),
    ("admin@fashionos.dev", "Studio Admin", True),
]

# name, sku, designer, category, status, is_hero, priority, courier, eta_hours (from now)
SAMPLES = [
    ("Silk Column Gown", "SCG-001", "Maison Lune", "Dresses", "delayed", True, 1, "DHL", 20),
    ("Pleated Midi Dress", "PMD-014", "Atelier Nord", "Dresses", "on_set", False, 2, "", None),
    ("Linen Slip Dress", "LSD-022", "Atelier Nord", "Dresses", "on_set", False, 3, "", None),
    ("Wool Trench Coat", "WTC-105", "Harbour & Co", "Outerwear", "delayed", False, 2, "FedEx", 30),
    ("Cropped Bouclé Jacket", "CBJ-210", "Maison Lune", "Outerwear", "on_set", True, 1, "", None),
    ("Cashmere Crew Knit", "CCK-031", "Fjord Knits", "Knitwear", "shot", False, 3, "", None),
    ("Cable Cardigan", "CCA-032", "Fjord Knits", "Knitwear", "arrived", False, 4, "", None),
    ("Poplin Shirt", "PSH-401", "Studio Vale", "Tops", "on_set", False, 3, "", None),
    ("Satin Camisole", "SCA-402", "Studio Vale", "Tops", "in_transit", False, 4, "UPS", 6),
    ("Wide-Leg Trousers", "WLT-501", "Harbour & Co", "Trousers", "on_set", False, 3, "", None),
    ("Leather Slingback", "LSB-610", "Pietra", "Footwear", "on_set", True, 1, "", None),
    ("Woven Raffia Tote", "WRT-720", "Pietra", "Bags", "in_transit", True, 2, "DHL", 10),
    ("Gold Hoop Earrings", "GHE-801", "Orafa", "Jewellery", "requested", False, 5, "", None),
    ("Silk Scarf", "SSC-802", "Maison Lune", "Accessories", "shot", False, 4, "", None),
]

# key, title, assignee index, minutes, depends on keys, start offset hours, deadline hours
TASKS = [
    ("load_in", "Studio load-in and set build", 2, 120, [], 48, 52),
    ("steam", "Steam and prep looks", 1, 90, ["load_in"], 50, 54),
    ("lighting", "Lighting test", 2, 60, ["load_in"], 50, 53),
    ("hero", "Shoot hero looks", 2, 180, ["steam", "lighting"], 53, 57),
    ("knit", "Shoot knitwear story", 2, 90, ["hero"], 57, 59),
    ("acc", "Accessories still life", 2, 120, ["lighting"], 51, 55),
    ("select", "First selects with client", 0, 60, ["hero", "knit"], 60, 62),
    ("retouch", "Retouch hero selects", 1, 240, ["select"], 62, 70),
]

# title, kind, width, height, status, channels, featured sample names, rights days
ASSETS = [
    (
        "Gown on the terrace",
        "image",
        4000,
        5000,
        "approved",
        ["instagram_feed", "web_hero"],
        ["Silk Column Gown"],
        365,
    ),
    (
        "Bouclé jacket close-up",
        "image",
        3000,
        3000,
        "in_review",
        ["instagram_feed"],
        ["Cropped Bouclé Jacket"],
        365,
    ),
    (
        "Slingback still life",
        "image",
        1080,
        1920,
        "approved",
        ["instagram_story"],
        ["Leather Slingback"],
        2,
    ),
    ("Riviera teaser", "video", 1080, 1920, "draft", ["tiktok", "instagram_story"], [], 180),
    ("Knit story wide", "image", 2400, 1350, "approved", ["web_hero"], ["Cashmere Crew Knit"], 365),
]


class Command(BaseCommand):
    help = "Create a demo team and a demo campaign with samples, tasks and assets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo campaign and create it again."
        )

    def handle(self, *args, reset: bool = False, **options):
        existing = Campaign.objects.filter(name=DEMO_CAMPAIGN)
        if existing.exists() and not reset:
            self.stdout.write("Demo data already present (use --reset to recreate it).")
            self._print_credentials()
            return
        with transaction.atomic():
            for campaign in existing:
                campaign_delete(campaign=campaign)
            people = [self._person(email, name, staff) for email, name, staff in PEOPLE]
            self._campaign(people)
            self._events(people)
        self.stdout.write(self.style.SUCCESS("Demo campaign created."))
        self._print_credentials()

    def _person(self, email: str, full_name: str, staff: bool) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            if staff:
                user = User.objects.create_superuser(email, DEMO_PASSWORD, full_name=full_name)
            else:
                user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
        return user

    def _campaign(self, people: list[User]) -> Campaign:
        producer, stylist, photographer, _admin = people
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        shoot_day = (now + timedelta(days=2)).date()
        campaign = campaign_create(
            owner=producer,
            name=DEMO_CAMPAIGN,
            shoot_date=shoot_day,
            location="Villa Santo Sospir, Saint-Jean-Cap-Ferrat",
            status=Campaign.Status.ACTIVE,
        )
        # The demo team joined as people do, by accepting the producer's invitation.
        for person, role in ((stylist, CampaignRole.EDITOR), (photographer, CampaignRole.VIEWER)):
            member_add(campaign=campaign, user=person, role=role, joined=MemberJoined.ACCEPTED)

        samples = {}
        for index, row in enumerate(SAMPLES):
            name, sku, designer, category, status, hero, priority, courier, eta_hours = row
            arrived = status in ("arrived", "on_set", "shot")
            samples[name] = sample_create(
                campaign=campaign,
                data={
                    "name": name,
                    "sku": sku,
                    "designer": designer,
                    "category": category,
                    "status": status,
                    "is_hero": hero,
                    "priority": priority,
                    "courier": courier,
                    "tracking_number": f"{courier[:2].upper()}{784512 + index * 7919}"
                    if courier
                    else "",
                    "eta": now + timedelta(hours=eta_hours) if eta_hours is not None else None,
                    # Samples arrive mixed up across categories, as they do from couriers,
                    # so the batching plan has set-up changes to save.
                    "arrived_at": now - timedelta(hours=30 - (index * 5) % len(SAMPLES))
                    if arrived
                    else None,
                },
            )

        day_start = timezone.make_aware(datetime.combine(now.date(), time(0, 0)))
        tasks = {}
        for key, title, who, minutes, deps, start_h, deadline_h in TASKS:
            tasks[key] = task_create(
                campaign=campaign,
                data={
                    "title": title,
                    "assignee": people[who],
                    "duration_minutes": minutes,
                    "earliest_start": day_start + timedelta(hours=start_h),
                    "deadline": day_start + timedelta(hours=deadline_h),
                },
                depends_on=[tasks[d] for d in deps],
            )

        for title, kind, width, height, status, channels, featured, rights_days in ASSETS:
            asset_create(
                campaign=campaign,
                data={
                    "title": title,
                    "kind": kind,
                    "width": width,
                    "height": height,
                    "duration_seconds": 15.0 if kind == "video" else None,
                    "status": status,
                    "target_channels": channels,
                    "rights_expire_at": now + timedelta(days=rights_days),
                },
                featured_samples=[samples[name] for name in featured],
            )
        return campaign

    def _events(self, people: list[User]) -> None:
        """A month of product analytics, so the staff dashboard's chart has a history."""
        rng = random.Random(27)
        now = timezone.now()
        kinds = [
            ("assistant_opened", "/sample-tracker", "logistics"),
            ("assistant_question", "/sample-tracker", "logistics"),
            ("assistant_question", "/event-schedule", "events"),
            ("action_clicked", "/event-schedule", "events"),
            ("assistant_question", "/media-library", "media"),
            ("asset_viewed", "/media-library", "media"),
            ("assistant_opened", "/", "general"),
        ]
        events = []
        for day in range(30):
            for _ in range(rng.randint(8, 40) + day):
                event_type, route, kit = rng.choice(kinds)
                events.append(
                    AnalyticsEvent(
                        user=rng.choice(people[:3]),
                        event_type=event_type,
                        page_route=route,
                        kit_context=kit,
                        event_data={"demo": True},
                        created_at=now - timedelta(days=29 - day, minutes=rng.randint(0, 1200)),
                    )
                )
        AnalyticsEvent.objects.filter(event_data__demo=True).delete()
        AnalyticsEvent.objects.bulk_create(events)

    def _print_credentials(self) -> None:
        self.stdout.write("Sign in (API, supabase-js or the admin) with:")
        for email, _name, staff in PEOPLE:
            where = "admin at /admin/" if staff else "API"
            self.stdout.write(f"  {email} / {DEMO_PASSWORD}   ({where})")
