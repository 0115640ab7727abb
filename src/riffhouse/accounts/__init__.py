"""Members: users and their public profiles, roles, sign-up with email confirmation,
log-in throttling, password change and reset, API tokens."""
