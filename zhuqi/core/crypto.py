"""Personal data at rest: phone and ID numbers encrypted field by field with SM4 (GB/T 32907, the national
standard block cipher) in GCM mode, and a keyed SM3 hash (HMAC-SM3, GB/T 32905) beside each for exact search and
uniqueness. Both keys are derived (HKDF-SM3) from ZHUQI_DATA_KEY, which comes from the environment and is never
stored in the database: a copy of the database alone reveals no number."""

import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sm4:"  # stored values start with it; anything else is plaintext written before encryption began


class DecryptionFailed(ValueError):
    pass


@functools.cache
def _keys(master: str) -> tuple[bytes, bytes]:
    derive = HKDF(algorithm=hashes.SM3(), length=32, salt=b"zhuqi-personal-data", info=b"sm4-key|sm3-hmac-key")
    material = derive.derive(master.encode())
    return material[:16], material[16:]


@functools.cache
def _sm4(master: str) -> algorithms.SM4:
    return algorithms.SM4(_keys(master)[0])


@functools.cache
def _mac(master: str) -> hmac.HMAC:
    """A keyed HMAC-SM3 that is never finalised, only copied: a copy skips the key setup (an import hashes 10^5
    numbers)."""
    return hmac.HMAC(_keys(master)[1], hashes.SM3())


def encrypt(text: str) -> str:
    nonce = os.urandom(12)  # from the OS each time: a buffer of nonces could be shared by forked workers
    encryptor = Cipher(_sm4(settings.ZHUQI_DATA_KEY), modes.GCM(nonce)).encryptor()
    sealed = encryptor.update(text.encode()) + encryptor.finalize() + encryptor.tag
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    raw = base64.b64decode(stored[len(PREFIX) :])
    nonce, sealed, tag = raw[:12], raw[12:-16], raw[-16:]
    try:
        decryptor = Cipher(_sm4(settings.ZHUQI_DATA_KEY), modes.GCM(nonce, tag)).decryptor()
        return (decryptor.update(sealed) + decryptor.finalize()).decode()
    except InvalidTag as error:  # another key, or the value was tampered with
        raise DecryptionFailed("personal data cannot be decrypted with this ZHUQI_DATA_KEY") from error


def blind_index(text: str) -> str:
    """HMAC-SM3 of the normalised value: equal numbers give equal hashes, and without the key a hash says
    nothing (a phone number's small space could otherwise be hashed through in minutes)."""
    if not text:
        return ""
    mac = _mac(settings.ZHUQI_DATA_KEY).copy()
    mac.update("".join(text.split()).encode())
    return mac.finalize().hex()
