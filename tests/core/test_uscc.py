import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.uscc import check_character, is_valid_uscc, uscc_problem, validate_uscc


def test_the_issue_examples():
    assert is_valid_uscc("91110000600037341L")
    assert not is_valid_uscc("91350100M000100Y4Z")


def test_check_character_is_computed_from_the_first_17():
    assert check_character("91110000600037341") == "L"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9111000060003734", "18位"),
        ("91110000600037341I", "不允许的字符"),
        ("91110000600037341O", "不允许的字符"),
        ("91110000600037341A", "校验位错误"),
        ("91350100M000100Y4Z", "不允许的字符"),
    ],
)
def test_problems_are_named_in_chinese(code, fragment):
    assert fragment in uscc_problem(code)


def test_validator_allows_blank_and_rejects_invalid():
    validate_uscc("")
    with pytest.raises(ValidationError):
        validate_uscc("91110000600037341A")
