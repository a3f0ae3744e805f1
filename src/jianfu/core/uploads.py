"""Every file the platform takes in, checked one way: by its bytes, never by its name.

``accept_upload(upload, kinds=…, max_bytes=…, field=…)`` reads the upload, recognises what it really is (the
``filetype`` library reads the signature; Office files are told apart by the parts inside their zip), refuses a
kind not allowed here, a name that claims another kind (a PNG named 方案.docx), an empty or oversized file, and
re-encodes images so that EXIF (GPS position, phone, owner) is dropped and orientation applied. The caller
stores ``Accepted.data`` under ``Accepted.name``, whose extension is the real kind's.

``file_response`` serves a stored file with the content type of what it really is.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from PIL import Image, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    ext: str
    mime: str
    label: str
    image: bool = False


KINDS = {
    k.ext: k
    for k in (
        Kind("pdf", "application/pdf", "PDF"),
        Kind("doc", "application/msword", "Word（.doc）"),
        Kind(
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word（.docx）"
        ),
        Kind("xls", "application/vnd.ms-excel", "Excel（.xls）"),
        Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel（.xlsx）"),
        Kind("wps", "application/vnd.ms-works", "WPS 文字"),
        Kind("ofd", "application/ofd", "OFD 版式文件"),
        Kind("jpg", "image/jpeg", "JPEG 图片", image=True),
        Kind("png", "image/png", "PNG 图片", image=True),
        Kind("webp", "image/webp", "WebP 图片", image=True),
        Kind("gif", "image/gif", "GIF 图片", image=True),
    )
}
ALIASES = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg"}
PHOTOS = frozenset({"jpg", "png", "webp", "gif"})
DOCUMENTS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "jpg", "png"})
SPREADSHEETS = frozenset({"xlsx"})

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file container of .doc, .xls and WPS files
ZIP_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "OFD.xml": "ofd"}
PILLOW_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not opened


@dataclass(frozen=True)
class Accepted:
    name: str  # the uploaded name's stem with the real kind's extension
    data: bytes
    kind: Kind

    @property
    def content_type(self) -> str:
        return self.kind.mime

    def as_file(self, stem: str = "") -> ContentFile:
        """A file to store; ``stem`` replaces the uploaded name (a photo's name may say who took it)."""
        return ContentFile(self.data, name=f"{stem}.{self.kind.ext}" if stem else self.name)


def limit(purpose: str) -> int:
    """The size limit for "photo", "attachment" or "spreadsheet" uploads (settings.UPLOAD_MAX_BYTES)."""
    return settings.UPLOAD_MAX_BYTES[purpose]


def megabytes(limit: int) -> str:
    return f"{round(limit / 1024 / 1024, 2):g} MB"


# Recognising a file -----------------------------------------------------------------------------------


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return ""
    return next((kind for part, kind in ZIP_PARTS.items() if part in names), "zip")


def detect(data: bytes, claimed: str = "") -> str:
    """The real kind of ``data`` as an extension ("png", "docx", …), or "" when it is nothing we know."""
    if data.startswith(OLE):
        # .doc, .xls and WPS share one container; believe the name among those three, else ask filetype.
        if claimed in ("doc", "xls", "wps"):
            return claimed
        guess = filetype.guess(data)
        return guess.extension if guess and guess.extension in ("doc", "xls") else "ole"
    guess = filetype.guess(data)
    if guess is None:
        return ""
    if guess.extension in ("zip", "docx", "xlsx", "pptx", "epub", "odt", "ods"):
        return _zip_kind(data)
    return ALIASES.get(guess.extension, guess.extension)


def _claimed_extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    return ALIASES.get(suffix, suffix)


def _base_name(name: str) -> str:
    """The file's own name, without any folders a browser or a client sent along."""
    return PureWindowsPath(PurePosixPath(name or "").name).name[:150] or "upload"


def _describe(ext: str) -> str:
    if ext in KINDS:
        return KINDS[ext].label
    return {"": "无法识别的内容", "ole": "无法识别的 Office 文件", "zip": "压缩包"}.get(ext, f".{ext} 文件")


# Accepting an upload ----------------------------------------------------------------------------------


def _read(upload, max_bytes: int) -> bytes:
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    return data


def _reencoded(data: bytes, ext: str, refuse) -> bytes:
    """Pixels only: EXIF would tell who took the photo and where. Orientation is applied first so the picture
    still stands up; an animated GIF keeps its frames."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if PILLOW_FORMATS.get(image.format) != ext:
                refuse("图片内容无法读取")
            if image.width * image.height > MAX_PIXELS:
                refuse("图片像素过大，请压缩后再上传")
            image.load()
            out = io.BytesIO()
            if ext == "gif":
                image.save(out, "GIF", save_all=getattr(image, "n_frames", 1) > 1)
                return out.getvalue()
            upright = ImageOps.exif_transpose(image)
            if ext == "jpg" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.save(
                out,
                {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[ext],
                **({"quality": 90} if ext in ("jpg", "webp") else {}),
            )
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        refuse("图片已损坏或无法读取，请重新拍摄或选择后上传")


def accept_upload(upload, *, kinds, max_bytes: int, field: str | None, label: str = "附件") -> Accepted:
    """The upload as what it really is, or a ValidationError that names the file in Chinese (on ``field``,
    or a plain one for a form field's own ``clean``)."""
    name = _base_name(getattr(upload, "name", ""))

    def refuse(reason: str):
        message = f"{label}“{name}”{reason}。"
        raise ValidationError({field: message} if field else message)

    data = _read(upload, max_bytes)
    if not data:
        refuse("是空文件")
    if len(data) > max_bytes:
        refuse(f"不能超过 {megabytes(max_bytes)}，请压缩后再上传")
    claimed = _claimed_extension(name)
    real = detect(data, claimed)
    allowed = "、".join(k.label for k in KINDS.values() if k.ext in kinds)
    if real == "":
        images = all(KINDS[k].image for k in kinds)
        refuse(f"不是图片文件，请上传 {allowed}" if images else f"不是可以识别的文件，这里只能上传 {allowed}")
    if claimed and claimed != real:
        refuse(f"的内容是 {_describe(real)}，与扩展名 .{claimed} 不符，请上传原文件")
    if real not in kinds:
        refuse(f"的内容是 {_describe(real)}，这里只能上传 {allowed}")
    kind = KINDS[real]
    if kind.image:
        data = _reencoded(data, real, refuse)
    stem = PurePosixPath(name).stem if claimed else name
    return Accepted(name=f"{stem}.{real}", data=data, kind=kind)


class SpreadsheetField(forms.FileField):
    """An Excel import's file field: an .xlsx by its content, within the spreadsheet size limit."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        accepted = accept_upload(
            upload, kinds=SPREADSHEETS, max_bytes=limit("spreadsheet"), field=None, label="Excel 文件"
        )
        return accepted.as_file()


# Serving a stored file --------------------------------------------------------------------------------


def _real_kind(head: bytes, name: str) -> Kind | None:
    ext = detect(head, _claimed_extension(name))
    return KINDS.get(ext)


def _named_as(name: str, kind: Kind | None) -> str:
    if kind is None or _claimed_extension(name) == kind.ext:
        return name
    return f"{PurePosixPath(name).stem}.{kind.ext}"


def file_response(handle, *, filename: str, as_attachment: bool = True) -> FileResponse:
    """A stored file served as what its bytes are (never what its name says), with a name to match."""
    head = handle.read(8192)
    handle.seek(0)
    kind = _real_kind(head, filename)
    # Old uploads of an Office file are zips whose parts lie past the first 8 KiB; read the whole file then.
    if kind is None and head.startswith(b"PK"):
        kind = KINDS.get(_zip_kind(handle.read()))
        handle.seek(0)
    content_type = kind.mime if kind else "application/octet-stream"
    return FileResponse(
        handle, as_attachment=as_attachment, filename=_named_as(filename, kind), content_type=content_type
    )


def bytes_response(data: bytes, *, filename: str = "photo", as_attachment: bool = False) -> HttpResponse:
    kind = KINDS.get(detect(data))
    response = HttpResponse(data, content_type=kind.mime if kind else "application/octet-stream")
    disposition = "attachment" if as_attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{_named_as(filename, kind)}"'
    return response


def download_name(response: HttpResponse, filename: str) -> HttpResponse:
    """Name a download in words (工作告知单-…docx), encoded so every browser keeps it (RFC 6266 filename*);
    a raw Chinese name in the header makes the browser fall back to the URL's last segment (2.docx)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
