def mask_phone(phone: str) -> str:
    """138****1234: enough to recognise a number, not enough to call it."""
    digits = (phone or "").strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****" if digits else ""


def mask_id_number(number: str) -> str:
    """410402********1234: the first six digits (where it was issued) and the last four."""
    digits = (number or "").strip()
    if len(digits) >= 11:
        return f"{digits[:6]}{'*' * (len(digits) - 10)}{digits[-4:]}"
    return "****" if digits else ""


def mask_email(address: str) -> str:
    """z***@example.gov.cn: the domain and the first letter, for logs and the outbox's admin."""
    name, at, domain = (address or "").strip().partition("@")
    if not at:
        return "****" if name else ""
    return f"{name[:1]}***@{domain}"
