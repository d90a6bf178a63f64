"""Personal data at rest: phone and ID numbers encrypted field by field with SM4 (GB/T 32907, the national
standard block cipher) in GCM mode, and a keyed SM3 hash (HMAC-SM3, GB/T 32905) beside each for exact search and
uniqueness. Both keys are derived (HKDF-SM3) from ZHUQI_DATA_KEY, which comes from the environment and is never
stored in the database: a copy of the database alone reveals no number.

The key can be rotated: every value names the key it was sealed with (`sm4:<key id>:<nonce+ciphertext>`, the id
derived from the key, so it says nothing of it); ZHUQI_DATA_KEY_PREVIOUS lists the keys still read, and
`manage.py personal_data_rekey` rewrites every value and hash under the current key. Values written before key
ids existed (`sm4:<nonce+ciphertext>`) are read with whichever configured key opens them (GCM says which)."""

import base64
import functools
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sm4:"  # stored values start with it; anything else is plaintext written before encryption began


class DecryptionFailed(ValueError):
    pass


@dataclass(frozen=True)
class DataKey:
    id: str
    cipher: bytes
    index: bytes


@functools.cache
def _derive(master: str) -> DataKey:
    derive = HKDF(algorithm=hashes.SM3(), length=32, salt=b"zhuqi-personal-data", info=b"sm4-key|sm3-hmac-key")
    material = derive.derive(master.encode())
    name = HKDF(algorithm=hashes.SM3(), length=4, salt=b"zhuqi-personal-data", info=b"key-id")
    return DataKey(id=name.derive(master.encode()).hex(), cipher=material[:16], index=material[16:])


def current_key() -> DataKey:
    return _derive(settings.ZHUQI_DATA_KEY)


def all_keys() -> list[DataKey]:
    """The current key first, then the previous ones still read during a rotation."""
    return [_derive(k) for k in [settings.ZHUQI_DATA_KEY, *getattr(settings, "ZHUQI_DATA_KEY_PREVIOUS", [])] if k]


@functools.cache
def _sm4(key: DataKey) -> algorithms.SM4:
    return algorithms.SM4(key.cipher)


@functools.cache
def _mac(key: DataKey) -> hmac.HMAC:
    """A keyed HMAC-SM3 that is never finalised, only copied: a copy skips the key setup (an import hashes 10^5
    numbers)."""
    return hmac.HMAC(key.index, hashes.SM3())


def encrypt(text: str) -> str:
    key = current_key()
    nonce = os.urandom(12)  # from the OS each time: a buffer of nonces could be shared by forked workers
    encryptor = Cipher(_sm4(key), modes.GCM(nonce)).encryptor()
    sealed = encryptor.update(text.encode()) + encryptor.finalize() + encryptor.tag
    return f"{PREFIX}{key.id}:{base64.b64encode(nonce + sealed).decode()}"


def _open(key: DataKey, raw: bytes) -> str:
    nonce, sealed, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(_sm4(key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(sealed) + decryptor.finalize()).decode()


def key_id_of(stored: str) -> str:
    """The id of the key a stored value was sealed with; "" for values from before key ids (or plaintext)."""
    if not stored.startswith(PREFIX):
        return ""
    body = stored[len(PREFIX) :]
    return body.split(":", 1)[0] if ":" in body else ""


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    body = stored[len(PREFIX) :]
    key_id, _, payload = body.rpartition(":")  # base64 has no colon: no key id before it in older values
    raw = base64.b64decode(payload)
    candidates = [k for k in all_keys() if k.id == key_id] if key_id else all_keys()
    for key in candidates:
        try:
            return _open(key, raw)
        except InvalidTag:  # another key, or the value was tampered with
            continue
    raise DecryptionFailed("personal data cannot be decrypted with ZHUQI_DATA_KEY or ZHUQI_DATA_KEY_PREVIOUS")


def _index(key: DataKey, text: str) -> str:
    mac = _mac(key).copy()
    mac.update("".join(text.split()).encode())
    return mac.finalize().hex()


def blind_index(text: str) -> str:
    """HMAC-SM3 of the normalised value: equal numbers give equal hashes, and without the key a hash says
    nothing (a phone number's small space could otherwise be hashed through in minutes)."""
    return _index(current_key(), text) if text else ""


def blind_indexes(text: str) -> list[str]:
    """The value's hash under every configured key: what an exact search looks for while a rotation is under
    way (rows not yet rewritten still carry the previous key's hash)."""
    return [_index(key, text) for key in all_keys()] if text else [""]
