"""Application security for a 等保 2.0 review: login lockout, password policy, session limits, 三员分立
(the three administrators), the append-only security audit log, an optional second factor and the
security headers. docs/security.md maps each control to the code here."""
