"""A test-only password hasher that counts how many passwords were checked (``verify`` calls)."""

import threading
import time

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5PasswordHasher(MD5PasswordHasher):
    """The suite's MD5 hasher (same algorithm name, so it checks the same stored hashes), counting checks.

    Each check takes as long as a real PBKDF2 check (about 0.1 s), so parallel guesses overlap as in production.
    """

    checks = 0
    _lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingMD5PasswordHasher._lock:
            CountingMD5PasswordHasher.checks += 1
        time.sleep(0.1)
        return super().verify(password, encoded)
