from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id at OWASP's Password Storage Cheat Sheet parameters (19 MiB, 2 passes, 1 lane) instead of
    Django's 100 MiB × 8 lanes, which made a login cost most of a second under load. The algorithm name stays
    "argon2", so hashes made with other parameters still verify and `must_update` rewrites them at the next
    login."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
