from . import lockout, roles


def security(request):
    """What the page frame and the login page need: which security links to show, and after a failed login
    how many tries are left before the lockout."""
    user = getattr(request, "user", None)
    return {
        "is_administrator": roles.is_administrator(user),
        "can_manage_accounts": roles.can_manage_accounts(user),
        "can_manage_security": roles.can_manage_security(user),
        "can_read_audit": roles.can_read_audit(user),
        "login_attempts_left": lockout.attempts_left(request),
    }
