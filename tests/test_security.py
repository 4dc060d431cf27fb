from __future__ import annotations

from pacekeeper import security


def test_passphrases_are_argon2id_and_verified():
    stored = security.hash_passphrase("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert security.verify_passphrase(stored, "correct horse battery")
    assert not security.verify_passphrase(stored, "Correct horse battery")
    assert not security.verify_passphrase("not a hash", "anything")


def test_session_tokens_are_random_and_stored_hashed():
    a, b = security.new_token(), security.new_token()
    assert a != b and len(a) >= 40
    assert security.token_hash(a) == security.token_hash(a) != a


def test_csrf_tokens_are_bound_to_the_browser_and_the_key():
    token = security.csrf_token("k" * 40, "browser-1")
    assert security.csrf_ok("k" * 40, "browser-1", token)
    assert not security.csrf_ok("k" * 40, "browser-2", token)
    assert not security.csrf_ok("x" * 40, "browser-1", token)
    assert not security.csrf_ok("k" * 40, "browser-1", None)
    assert not security.csrf_ok("k" * 40, "", token)
