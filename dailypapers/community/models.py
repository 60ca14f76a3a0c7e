"""Accounts: a custom user model from the start, so later fields need no painful swap."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    is_moderator = models.BooleanField(default=False)
    avatar_url = models.URLField(blank=True, default="")
