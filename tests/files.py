"""Real files for upload tests, made in memory: the upload module reads bytes, so a test file must be one."""

import io

from PIL import Image


def png_bytes(size=(8, 8), colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_exif(size=(16, 8)) -> bytes:
    """A phone photo: EXIF with a GPS position, the camera owner and an orientation (rotated 90°)."""
    image = Image.new("RGB", size, "blue")
    exif = Image.Exif()
    exif[0x013B] = "Zhang San"  # Artist
    exif[0x0110] = "Phone X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[2] = (30.0, 35.0, 0.0)  # GPSLatitude
    gps[4] = (114.0, 17.0, 0.0)  # GPSLongitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def docx_bytes(text="周报：本周完成摸排") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows=(("编码", "事项内容"),)) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
