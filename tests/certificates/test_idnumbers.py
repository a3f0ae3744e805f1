"""Resident ID numbers: GB 11643 check digit, the errors people make typing them, and masking."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jianfu.certificates.idnumbers import (
    ID_PATTERN,
    check_char,
    found_id,
    id_problem,
    mask_id,
    mask_ids_in_text,
    mask_name,
    normalise_id,
    sample_id,
    validate_id_number,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        ("11010519491231002X", "11010519491231002X"),  # the two worked examples of GB 11643-1999
        ("440524188001010014", "440524188001010014"),
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
    ],
)
def test_it_accepts_numbers_with_a_correct_check_character(number, stored):
    assert id_problem(number, TODAY) == ""
    assert validate_id_number(number) == stored


def test_it_computes_the_iso_7064_check_character():
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"
    # Every position counts: changing any one of the 17 digits changes the check character.
    base = "11010519491231002"
    for i in range(17):
        changed = base[:i] + str((int(base[i]) + 1) % 10) + base[i + 1 :]
        assert check_char(changed) != "X"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("", "请填写公民身份号码"),
        ("1101051949123100", "应为 18 位，您填写了 16 位"),
        ("11010519491231002X1", "您填写了 19 位"),
        ("1101051949A231002X", "前 17 位只能是数字"),
        ("11010519491231002Y", "第 18 位只能是数字或 X"),
        ("010105194912310021", "不是有效的行政区划代码"),
        ("110105194902300026", "第 7–14 位“19490230”不是有效的出生日期"),
        ("110105203001010011", "不在合理范围内"),
        ("110105194912310021", "校验码错误：按 GB 11643 第 18 位应为 X"),
    ],
)
def test_it_names_what_is_wrong_with_a_bad_number(number, words):
    assert words in id_problem(number, TODAY)


def test_it_raises_on_the_named_field():
    with pytest.raises(ValidationError) as caught:
        validate_id_number("110105194912310021")
    assert list(caught.value.message_dict) == ["resident_id_number"]


def test_it_normalises_spaces_lower_case_and_full_width_characters():
    assert normalise_id(" 110105 1949 1231 002x ") == "11010519491231002X"
    assert normalise_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_it_makes_well_formed_sample_numbers():
    number = sample_id("428521", date(1990, 11, 23), 37)
    assert len(number) == 18 and id_problem(number, TODAY) == ""


def test_it_masks_all_but_the_first_six_and_last_four():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("") == "" and mask_id("123") == "********"


def test_it_masks_every_id_number_in_free_text_but_no_other_number():
    text = "兹证明张三（公民身份号码：11010519491231002x）与李四（440524188001010014）；电话 13800000001，编号 428521101201-2025-0001"
    masked = mask_ids_in_text(text)
    assert "110105********002X" in masked and "440524********0014" in masked
    assert "13800000001" in masked and "428521101201-2025-0001" in masked
    assert not ID_PATTERN.search(masked)


@pytest.mark.parametrize(
    "typed",
    [
        "110105 19491231 002X",  # grouped 6-8-4 as on the card
        "110105 1949 1231 002x",
        "110105-19491231-002X",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width, as a Chinese input method types it
        "１１０１０５　１９４９１２３１　００２ｘ",  # and grouped by full-width spaces
        "11010519491231002xiao",  # a letter straight after the number
        "11010519491231002X号",
    ],
)
def test_it_masks_an_id_number_however_it_is_typed(typed):
    masked = mask_ids_in_text(f"张三（{typed}）的证明")
    assert masked.startswith("张三（110105********002X") and not ID_PATTERN.search(masked)
    assert "19491231" not in normalise_id(masked).replace("-", "")
    assert [found_id(m) for m in ID_PATTERN.findall(typed)] == ["11010519491231002X"]


@pytest.mark.parametrize(
    "text",
    [
        "电话 138 0000 0001，139-0000-0002",
        "编号 428521101201-2025-0001、428521101201-2025-BY0003",
        "银行卡 6222 0212 3456 7890 123",  # 19 digits
        "4405241880010100141",  # 19 digits in a row: not an ID number
        "１２３４５６７８９０１２３４５６７８９０",  # 20 full-width digits
    ],
)
def test_it_leaves_other_numbers_alone(text):
    assert mask_ids_in_text(text) == text


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"), ("王", "王"), ("", "")]
)
def test_it_masks_names_for_the_public(name, masked):
    assert mask_name(name) == masked
