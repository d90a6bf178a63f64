"""Storing uploaded files: the kind is read from the bytes, not from the name the browser sent."""

from enum import Enum

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Attachment

ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


class AttachmentError(Enum):
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"
    EMPTY = "empty"


def attachment_problem(upload: UploadedFile) -> str | None:
    if upload.size == 0:
        return _("The file “%(name)s” is empty") % {"name": upload.name}
    limit = settings.ZHUQI_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        return _("The file “%(name)s” is %(size).1f MB, over the %(limit)d MB limit") % {
            "name": upload.name,
            "size": upload.size / 1048576,
            "limit": limit // 1048576,
        }
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        return _(
            "The file “%(name)s” is of a type that cannot be uploaded; only photos (JPG, PNG, WEBP, HEIC) and PDF are accepted"
        ) % {"name": upload.name}
    return None


def attachment_store(*, owner, upload: UploadedFile, by) -> Attachment:
    problem = attachment_problem(upload)
    if problem:
        raise DomainError(AttachmentError.WRONG_TYPE, problem, field="attachments")
    mime = filetype.guess(upload.read(262)).mime
    upload.seek(0)
    attachment = Attachment(
        owner_type=owner._meta.label_lower,
        owner_id=owner.pk,
        original_name=upload.name[:200],
        mime_type=mime,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(f"{owner._meta.model_name}-{owner.pk}.{ALLOWED_TYPES[mime]}", upload, save=False)
    attachment.save()
    return attachment


def attachments_of(owner):
    return Attachment.objects.filter(owner_type=owner._meta.label_lower, owner_id=owner.pk).order_by("id")


def attachment_response(attachment: Attachment) -> FileResponse:
    """Photos open in the browser; documents download under their original name."""
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime_type,
        filename=attachment.original_name,
        as_attachment=not attachment.is_image,
    )
