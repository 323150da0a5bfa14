"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte on every attempt would be a cheap denial of service

_hasher = PasswordHasher()
# Compared against when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("kic-onbekende-gebruiker")
# The hash of an account made at its first login through the identity provider: no password matches it
# (argon2 does not accept it as a hash) until the beheerder sets one.
NO_PASSWORD = "!geen-wachtwoord"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an account without a password costs the same time as a wrong one."""
    usable = stored_hash if stored_hash != NO_PASSWORD else None
    try:
        return _hasher.verify(usable or _DUMMY_HASH, password) and usable is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problems(password: str) -> list[str]:
    """What is wrong with a new password (every problem, in Dutch)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"het wachtwoord moet minstens {MIN_LENGTH} tekens hebben")
    if len(password) > MAX_LENGTH:
        problems.append(f"het wachtwoord mag hoogstens {MAX_LENGTH} tekens hebben")
    if password.strip() != password:
        problems.append("het wachtwoord mag niet met een spatie beginnen of eindigen")
    return problems
