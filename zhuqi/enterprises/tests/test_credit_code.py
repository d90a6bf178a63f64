import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhuqi.enterprises.credit_code import ALPHABET, credit_code_problem, make_credit_code

# Codes published on the companies' own licences (华为, 腾讯, 阿里巴巴, 小米, 国家电网).
REAL_CODES = [
    "914403001922038216",
    "91440300708461136T",
    "91330100799655058B",
    "91110108551385082Q",
    "91110000600037341L",
]

code_parts = st.builds(
    lambda a, k, d, o: make_credit_code(authority=a, kind=k, division=d, organisation8=o),
    st.sampled_from("159NY"),
    st.sampled_from("123"),
    st.from_regex(r"\A[1-6][0-9]{5}\Z"),
    st.from_regex(r"\A[0-9A-HJ-NP-RTUW-Y]{8}\Z"),
)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_published_codes_are_accepted(code):
    assert credit_code_problem(code) is None


def test_lower_case_and_spaces_are_forgiven():
    assert credit_code_problem(" 91440300708461136t ") is None


@given(code_parts)
def test_generated_codes_are_accepted(code):
    assert credit_code_problem(code) is None


@given(code_parts, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_any_single_changed_character_is_refused(code, position, replacement):
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    assert credit_code_problem(changed) is not None


def test_wrong_check_character_says_which_it_should_be():
    problem = credit_code_problem("914403001922038217")
    assert "第18位应为“6”" in problem and "实际为“7”" in problem


def test_wrong_length_says_how_long_it_is():
    assert "当前为17位" in credit_code_problem("91440300192203821")


def test_letters_the_standard_leaves_out_are_named():
    problem = credit_code_problem("9144030019220382I6")
    assert "第17位“I”" in problem


def test_empty_code_is_refused_in_chinese():
    assert credit_code_problem("") == "统一社会信用代码不能为空"
