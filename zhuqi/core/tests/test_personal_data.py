"""Phone numbers at rest: SM4-encrypted in the database, found by their keyed SM3 hash, masked on screen."""

import io

import pytest
from django.db import connection
from django.test import override_settings

from zhuqi.core.crypto import DecryptionFailed, blind_index, decrypt
from zhuqi.core.masking import mask_id_number, mask_phone
from zhuqi.enterprises.models import Contact


def test_a_phone_number_is_stored_encrypted_and_read_back_whole(zone):
    contact = zone.enterprise_a.contacts.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_hash FROM enterprises_contact WHERE id = %s", [contact.pk])
        stored, hashed = cursor.fetchone()
    assert stored.startswith("sm4:") and "13812345678" not in stored and "5678" not in stored
    assert Contact.objects.get(pk=contact.pk).phone == "13812345678"
    assert hashed == blind_index("138 1234 5678") and len(hashed) == 64
    assert Contact.objects.get(phone_hash=blind_index("13812345678")) == contact  # exact search


def test_the_same_number_is_encrypted_differently_each_time_but_hashes_alike(zone):
    first = Contact.objects.create(enterprise=zone.enterprise_b, name="甲", phone="13900001111")
    second = Contact.objects.create(enterprise=zone.enterprise_b, name="乙", phone="13900001111")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM enterprises_contact WHERE id IN (%s, %s)", [first.pk, second.pk])
        one, two = (row[0] for row in cursor.fetchall())
    assert one != two
    assert first.phone_hash == second.phone_hash


def test_without_the_right_key_nothing_is_readable(zone):
    contact = zone.enterprise_a.contacts.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM enterprises_contact WHERE id = %s", [contact.pk])
        stored = cursor.fetchone()[0]
    with override_settings(ZHUQI_DATA_KEY="another-key-entirely"), pytest.raises(DecryptionFailed):
        decrypt(stored)


def test_a_search_on_the_encrypted_column_itself_is_refused_not_silently_empty(zone):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Contact.objects.filter(phone="13812345678"))


def test_numbers_are_masked_as_officials_expect():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("410402199001011234") == "410402********1234"


def test_personal_data_past_its_keeping_period_is_anonymised_and_the_account_name_stays(zone):
    import datetime

    from django.utils import timezone

    from zhuqi.core.deletion import record_delete
    from zhuqi.core.personal import personal_data_purge
    from zhuqi.org.models import User

    now = timezone.now()
    gone, active = zone.users["officer_b"], zone.users["officer_a"]
    User.objects.filter(pk=gone.pk).update(is_active=False, phone="13511112222",
                                           last_login=now - datetime.timedelta(days=4 * 365))  # fmt: skip
    User.objects.filter(pk=active.pk).update(last_login=now - datetime.timedelta(days=4 * 365))
    record_delete(zone.enterprise_b, by=zone.users["coordinator"], reason="企业已注销")
    later = now + datetime.timedelta(days=3 * 365 + 1)
    personal_data_purge(now=later)
    gone.refresh_from_db(), active.refresh_from_db()
    assert (gone.username, gone.full_name, gone.phone) == ("officer_b", f"已注销用户{gone.pk}", "")
    assert active.full_name != f"已注销用户{active.pk}"
    contact = Contact.objects.get(enterprise_id=zone.enterprise_b.pk)
    assert (contact.name, contact.phone) == ("（已匿名）", "")
    assert Contact.objects.get(enterprise=zone.enterprise_a).phone == "13812345678"


def _stored_phone(contact) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_hash FROM enterprises_contact WHERE id = %s", [contact.pk])
        return cursor.fetchone()


def test_a_value_written_before_key_ids_is_still_read_with_the_key_that_wrote_it(zone, settings):
    import base64
    import os

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from zhuqi.core.crypto import _derive

    settings.ZHUQI_DATA_KEY = "the-original-key-of-2025"
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_derive("the-original-key-of-2025").cipher), modes.GCM(nonce)).encryptor()
    sealed = encryptor.update(b"13700000000") + encryptor.finalize() + encryptor.tag
    legacy = "sm4:" + base64.b64encode(nonce + sealed).decode()
    assert decrypt(legacy) == "13700000000"

    settings.ZHUQI_DATA_KEY, settings.ZHUQI_DATA_KEY_PREVIOUS = "the-new-key-of-2026", ["the-original-key-of-2025"]
    assert decrypt(legacy) == "13700000000"


def test_rotating_the_data_key_and_rekeying_rewrites_every_value_and_hash_once(zone, settings):
    from django.core.management import call_command

    from zhuqi.core.crypto import blind_indexes, key_id_of
    from zhuqi.core.models import AuditRecord

    old_key = settings.ZHUQI_DATA_KEY  # every number of the zone, and these, were written under it
    contacts = [
        Contact.objects.create(enterprise=zone.enterprise_b, name=f"联系人{n}", phone=f"1390000{n:04d}")
        for n in range(5)
    ]
    old_id = key_id_of(_stored_phone(contacts[0])[0])
    old_hash = _stored_phone(contacts[0])[1]

    settings.ZHUQI_DATA_KEY = "new-key-9876543210"
    with pytest.raises(DecryptionFailed):  # the old key dropped before the rewrite: nothing reads
        Contact.objects.get(pk=contacts[0].pk)
    settings.ZHUQI_DATA_KEY_PREVIOUS = [old_key]
    assert Contact.objects.get(pk=contacts[0].pk).phone == "13900000000"  # read while the rotation is under way
    assert Contact.objects.filter(phone_hash__in=blind_indexes("13900000000")).get() == contacts[0]

    out = io.StringIO()
    call_command("personal_data_rekey", batch_size=2, stdout=out)
    assert "enterprises.contact：重新加密" in out.getvalue()
    settings.ZHUQI_DATA_KEY_PREVIOUS = []
    for contact in contacts:
        stored, hashed = _stored_phone(contact)
        assert key_id_of(stored) not in ("", old_id) and hashed == blind_index(Contact.objects.get(pk=contact.pk).phone)
    assert _stored_phone(contacts[0])[1] != old_hash
    assert Contact.objects.get(phone_hash=blind_index("13900000004")) == contacts[4]
    assert AuditRecord.objects.filter(object_type="enterprises.contact", detail__contains="重新加密").exists()

    again = io.StringIO()
    call_command("personal_data_rekey", stdout=again)
    assert "共 0 条" in again.getvalue()
