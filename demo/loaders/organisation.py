"""Loads the demo council's organisation: directorates, portfolios, the glossary of roles and the demo users."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import policy
from organisation.models import Directorate, LeadRole, Portfolio, Profile

SOURCE = settings.BASE_DIR / "fixtures" / "demo" / "organisation.json"


def ensure_groups():
    return {name: Group.objects.get_or_create(name=name)[0] for name in policy.ROLES}


def load(*, stdout=None):
    data = json.loads(SOURCE.read_text())
    groups = ensure_groups()
    directorates = {}
    for order, row in enumerate(data["directorates"]):
        directorates[row["code"]], _ = Directorate.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "order": order}
        )
    for order, row in enumerate(data["portfolios"]):
        Portfolio.objects.update_or_create(
            name=row["name"], defaults={"cabinet_member": row["cabinet_member"], "order": order}
        )
    roles = {}
    for abbreviation, title, directorate in data["glossary"]:
        roles[abbreviation], _ = LeadRole.objects.update_or_create(
            abbreviation=abbreviation,
            defaults={"title": title, "directorate": directorates.get(directorate)},
        )
    User = get_user_model()
    for row in data["users"]:
        user, _ = User.objects.get_or_create(username=row["username"])
        user.first_name, user.last_name = row["first_name"], row["last_name"]
        user.email = f"{row['username']}@council.example"
        user.is_superuser = user.is_staff = bool(row.get("superuser"))
        # Demo only: the published demo password bypasses the validators on purpose.
        user.set_password(data["password"])
        user.save()
        user.groups.set([groups[g] for g in row["groups"]])
        profile, _ = Profile.objects.update_or_create(
            user=user,
            defaults={"directorate": directorates.get(row["directorate"]), "job_title": row["job_title"]},
        )
        profile.lead_roles.set([roles[r] for r in row["roles"]])
    if stdout:
        stdout.write(f"Organisation: {len(directorates)} directorates, {len(roles)} roles, {len(data['users'])} users")


def signins():
    data = json.loads(SOURCE.read_text())
    return [(row["username"], ", ".join(row["groups"]) or "Administrator") for row in data["users"]], data["password"]
