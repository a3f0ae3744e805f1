"""Photos of placards: an image (Pillow can read it) and not over the size limit, or a Chinese message."""

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "HEIF", "MPO"}
# The stored name and the served type come from what Pillow found, never from the uploaded name: a file named
# "x.html" that is also a valid GIF must not be served back as a page.
EXTENSIONS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
    "WEBP": "webp",
    "GIF": "gif",
    "BMP": "bmp",
    "HEIF": "heif",
}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif",
                 "bmp": "image/bmp", "heif": "image/heif"}  # fmt: skip


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def check_photo(upload) -> str:
    """The file's extension by its real format, or a ValidationError with a Chinese message."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > PHOTO_MAX_BYTES:
        raise ValidationError(
            f"照片不能超过 {PHOTO_MAX_BYTES // (1024 * 1024)} MB（这张约 {size / 1024 / 1024:.1f} MB），请压缩后再上传。"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("照片须为图片文件（JPEG、PNG 等），这个文件无法识别为图片。") from None
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(f"照片格式 {kind} 不受支持，请上传 JPEG 或 PNG 图片。")
    return EXTENSIONS[kind]
