"""A monitor's photo: it must really be an image (Pillow reads it), of a common format, under the size limit."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, UnidentifiedImageError

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
    return SimpleUploadedFile(f"photo.{FORMATS[kind]}", data, content_type=f"image/{FORMATS[kind]}")
