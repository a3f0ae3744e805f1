"""A monitor's photo: it must really be an image (Pillow reads it), of a common format, under the size limit."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not opened


def validate_photo(upload) -> SimpleUploadedFile:
    """The upload as a file named by its real format; a Chinese message naming the field otherwise."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_PHOTO_BYTES:
        raise ValidationError(
            {"photo": f"照片不能超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB，请压缩后重新上传。"}
        )
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError({"photo": "照片像素过大，请压缩后重新上传。"})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            {"photo": "上传的文件不是图片，请上传 JPG、PNG、WEBP 或 GIF 格式的照片。"}
        ) from None
    if kind not in FORMATS:
        raise ValidationError({"photo": "请上传 JPG、PNG、WEBP 或 GIF 格式的照片。"})
    clean = _without_metadata(data, kind)
    return SimpleUploadedFile(f"photo.{FORMATS[kind]}", clean, content_type=CONTENT_TYPES[kind])


CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def _without_metadata(data: bytes, kind: str) -> bytes:
    """Re-encode the pixels only: EXIF (GPS position, phone model, owner name) would tell a department who
    took the photo of an anonymous clue. The orientation is applied first so the picture still stands up."""
    try:
        with Image.open(BytesIO(data)) as image:
            if kind == "GIF":
                out = BytesIO()
                image.save(out, "GIF", save_all=getattr(image, "n_frames", 1) > 1)
                return out.getvalue()
            upright = ImageOps.exif_transpose(image)
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = BytesIO()
            upright.save(out, kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
            return out.getvalue()
    except (OSError, ValueError, SyntaxError):
        raise ValidationError({"photo": "照片无法读取，请重新拍摄后上传。"}) from None
