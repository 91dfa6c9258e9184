"""三员分立: who may do which security job.

The 系统管理员 opens and closes accounts and issues passwords; the 安全管理员 grants roles and units,
unlocks accounts and addresses and ends sessions; the 审计管理员 reads the security audit log. Each job
belongs to exactly one role: the superuser (installation only) and the business roles have none of them,
and the three administrators see no business data (`sees_all_units` is false and they have no unit).
"""

from __future__ import annotations

from zhaoshang.orgs.choices import UserRole

ADMINISTRATOR_ROLES = frozenset({UserRole.ADMIN, UserRole.SECURITY_ADMIN, UserRole.AUDIT_ADMIN})
# Roles that carry no unit: the administrators and an account still waiting for its role.
UNITLESS_ROLES = ADMINISTRATOR_ROLES | {UserRole.PENDING}


def _has_role(user, role: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role == role)


def is_administrator(user) -> bool:
    """One of the three administrators (三员), who use only the security pages."""
    return bool(user is not None and user.is_authenticated and user.role in ADMINISTRATOR_ROLES
                and not user.is_superuser)


def can_manage_accounts(user) -> bool:
    """系统管理员: open, edit and close accounts, issue passwords."""
    return _has_role(user, UserRole.ADMIN) and not user.is_superuser


def can_manage_security(user) -> bool:
    """安全管理员: roles and units, lockouts, sessions, second-factor devices, the password policy."""
    return _has_role(user, UserRole.SECURITY_ADMIN) and not user.is_superuser


def can_read_audit(user) -> bool:
    """审计管理员: the security audit log, read-only."""
    return _has_role(user, UserRole.AUDIT_ADMIN) and not user.is_superuser


def can_list_accounts(user) -> bool:
    """The account list is where both the 系统管理员 and the 安全管理员 start their work on a user."""
    return can_manage_accounts(user) or can_manage_security(user)
