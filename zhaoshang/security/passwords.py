"""The password policy (身份鉴别): validators Django runs on every new password, the history of recent
passwords, the expiry, and the passwords an administrator issues (changed at the first login).

Django calls each validator's `validate` before a password is accepted and its `password_changed` after one
is saved (`AbstractBaseUser.save`), so the history and the expiry clock follow every path that sets a
password: the change page, an issued password, the admin, `changepassword`.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AccountSecurity, PasswordHistory

CLASSES = (
    ("lower", lambda c: "a" <= c <= "z"),
    ("upper", lambda c: "A" <= c <= "Z"),
    ("digit", lambda c: c.isdigit()),
    ("other", lambda c: not ("a" <= c <= "z" or "A" <= c <= "Z" or c.isdigit())),
)


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(any(test(c) for c in password) for _name, test in CLASSES)
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {"n": self.min_classes}


class NotUsernameValidator:
    """The password must not contain the username (Django's similarity check misses "zhangsan2024!")."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class HistoryValidator:
    """Not one of the account's last `count` passwords; records each new one (and starts the expiry clock)."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent(self, user) -> list[str]:
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)  # the current one, set before the history was kept
        return hashes[: self.count]

    def validate(self, password, user=None):
        if user is None or user.pk is None or self.count <= 0:
            return
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: max(self.count, 1)])
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        AccountSecurity.objects.update_or_create(
            user=user, defaults={"password_changed_at": timezone.now(), "must_change_password": False})
        # The user object in hand may carry the state loaded with it (LockoutBackend.get_user); forget it.
        user._state.fields_cache.pop("security", None)

    def get_help_text(self):
        return ngettext("不能与最近%(n)d次使用过的密码相同。", "不能与最近%(n)d次使用过的密码相同。",
                        self.count) % {"n": self.count}


def state_of(user) -> AccountSecurity | None:
    """The account's security state, loaded with the user where possible; None if it has none yet."""
    try:
        return user.security
    except AccountSecurity.DoesNotExist:
        return None


def password_expired(user, now: dt.datetime | None = None) -> bool:
    """Past PASSWORD_MAX_AGE_DAYS since the last change (a password of unknown age starts its clock at the
    first login, see signals.py)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    state = state_of(user)
    if days <= 0 or state is None or state.password_changed_at is None:
        return False
    return (now or timezone.now()) - state.password_changed_at > dt.timedelta(days=days)


def must_change_password(user) -> bool:
    state = state_of(user)
    return bool(state is not None and state.must_change_password) or password_expired(user)


def require_change(user) -> None:
    """The next page this user opens is the password change page."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})
    user._state.fields_cache.pop("security", None)


def generate_password(length: int = 14) -> str:
    """A random password that meets the policy: every character class, no look-alike characters."""
    alphabet = {
        "lower": "abcdefghijkmnpqrstuvwxyz",
        "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
        "digit": "23456789",
        "other": "!@#$%^&*-_=+?",
    }
    length = max(length, settings.PASSWORD_MIN_LENGTH, 8)
    chars = [secrets.choice(group) for group in alphabet.values()]
    pool = "".join(alphabet.values())
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def issue_password(user) -> str:
    """Set a new random password for `user` (by the 系统管理员) that must be changed at the first login."""
    password = generate_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    require_change(user)
    return password
