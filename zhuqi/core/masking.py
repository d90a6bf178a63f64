def mask_phone(phone: str) -> str:
    """138****1234: enough to recognise a number, not enough to call it."""
    digits = (phone or "").strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****" if digits else ""
