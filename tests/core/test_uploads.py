"""One upload module for the whole platform (core.uploads): content checked by its bytes, sizes as parameters,
images re-encoded without EXIF, files served as what they really are."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jianfu.core import uploads
from tests.files import PDF, docx_bytes, jpeg_with_exif, png_bytes, xlsx_bytes


def _accept(name, data, kinds=uploads.DOCUMENTS, max_bytes=1024 * 1024, **kwargs):
    return uploads.accept_upload(
        SimpleUploadedFile(name, data), kinds=kinds, max_bytes=max_bytes, field="file", **kwargs
    )


def _refusal(*args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        _accept(*args, **kwargs)
    return caught.value.message_dict["file"][0]


def test_it_recognises_documents_by_their_bytes():
    assert _accept("方案.docx", docx_bytes()).kind.ext == "docx"
    assert _accept("名册.xlsx", xlsx_bytes()).content_type.endswith("spreadsheetml.sheet")
    assert _accept("通知.PDF", PDF).name == "通知.pdf"
    assert _accept("扫描件", PDF).name == "扫描件.pdf"  # no extension: named by what it is


def test_it_refuses_a_png_named_as_a_word_document():
    message = _refusal("方案.docx", png_bytes())
    assert message == "附件“方案.docx”的内容是 PNG 图片，与扩展名 .docx 不符，请上传原文件。"


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("run.exe", b"MZ\x90\x00" + b"\0" * 200, "这里只能上传"),
        ("通知.pdf", b"MZ\x90\x00" + b"\0" * 200, "与扩展名 .pdf 不符"),
        ("资料.zip", b"PK\x05\x06" + b"\0" * 18, "的内容是 压缩包，这里只能上传"),
        ("空.docx", b"", "是空文件"),
        ("notes.txt", "纯文本".encode(), "不是可以识别的文件"),
    ],
)
def test_it_refuses_what_is_not_an_allowed_document(name, data, words):
    assert words in _refusal(name, data)


def test_it_takes_size_limits_as_parameters():
    assert "不能超过 0.01 MB" in _refusal("大.pdf", PDF + b"0" * 20_000, max_bytes=10_486)
    assert _accept("大.pdf", PDF + b"0" * 20_000, max_bytes=30_000).kind.ext == "pdf"


def test_it_reencodes_photos_without_exif_and_stands_them_up():
    original = jpeg_with_exif(size=(16, 8))
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif()[0x013B] == "Zhang San"
    accepted = _accept("IMG_1.jpg", original, kinds=uploads.PHOTOS, label="照片")
    with Image.open(io.BytesIO(accepted.data)) as after:
        assert after.size == (8, 16)  # orientation applied
        assert (
            not after.getexif() and b"Phone X" not in accepted.data and "张三".encode() not in accepted.data
        )
    assert "不是图片文件" in _refusal("x.jpg", b"not an image", kinds=uploads.PHOTOS, label="照片")
    assert "这里只能上传 JPEG 图片、PNG 图片、WebP 图片、GIF 图片" in _refusal(
        "a.pdf", PDF, kinds=uploads.PHOTOS
    )


def test_it_refuses_a_decompression_bomb():
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")  # small file, 64 megapixels
    assert "像素过大" in _refusal("bomb.png", buffer.getvalue(), kinds=uploads.PHOTOS)


# Every app uses it ---------------------------------------------------------------------------------------


def test_the_admission_attachment_refuses_a_disguised_png_and_serves_files_as_what_they_are(
    world, login, settings, tmp_path
):
    from jianfu.admission.models import Application
    from tests.admission.test_pages import _form

    settings.MEDIA_ROOT = tmp_path
    client = login(world.dept_clerk)
    client.post(reverse("admission:create"), _form())
    application = Application.objects.get()
    attach = reverse("admission:attach", args=[application.pk])
    page = client.post(attach, {"file": SimpleUploadedFile("方案.docx", png_bytes())}, follow=True)
    assert "与扩展名 .docx 不符" in page.content.decode() and not application.attachments.exists()
    client.post(attach, {"file": SimpleUploadedFile("实施方案.docx", docx_bytes())})
    attachment = application.attachments.get()
    response = client.get(reverse("admission:attachment", args=[application.pk, attachment.pk]))
    assert response["Content-Type"] == uploads.KINDS["docx"].mime
    assert "%E5%AE%9E%E6%96%BD%E6%96%B9%E6%A1%88.docx" in response["Content-Disposition"]


def test_a_file_stored_before_the_check_is_served_as_what_it_really_is(world, login, settings, tmp_path):
    """A PNG uploaded as 方案.docx before this module existed goes out as an image named .png."""
    from django.core.files.base import ContentFile

    from jianfu.admission.models import Application, Attachment
    from tests.admission.test_pages import _form

    settings.MEDIA_ROOT = tmp_path
    client = login(world.dept_clerk)
    client.post(reverse("admission:create"), _form())
    application = Application.objects.get()
    old = Attachment.objects.create(
        application=application,
        file=ContentFile(png_bytes(), name="方案.docx"),
        name="方案.docx",
        uploaded_by=world.dept_clerk,
    )
    response = client.get(reverse("admission:attachment", args=[application.pk, old.pk]))
    assert response["Content-Type"] == "image/png" and ".png" in response["Content-Disposition"]


def test_the_photo_limit_is_one_setting_for_monitoring_supervision_and_grid(world, settings):
    from jianfu.grid.rules import read_photo

    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "photo": 1000}
    big = SimpleUploadedFile("big.png", png_bytes(size=(200, 200), colour="red") + b"\0" * 2000)
    with pytest.raises(ValidationError, match="不能超过"):
        read_photo(big)
    data, content_type = read_photo(SimpleUploadedFile("p.jpg", jpeg_with_exif()))
    assert content_type == "image/jpeg" and b"Phone X" not in data


def test_the_excel_imports_refuse_what_is_not_a_spreadsheet(world, client):
    client.force_login(world.admin)
    disguised = SimpleUploadedFile("departments.xlsx", docx_bytes())
    page = client.post("/orgs/import/", {"kind": "departments", "file": disguised})
    assert page.status_code == 200
    assert "Excel 文件“departments.xlsx”的内容是 Word（.docx）" in page.content.decode()
