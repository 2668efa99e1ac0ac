"""The plan's rules as pure functions: numbering and sorting, reading "by when", overdue and BRAG."""

from datetime import date

import pytest

from improvement_plans import rules


def test_5a_10_sorts_after_5a_9_not_after_5a_1():
    numbers = ["5a 10", "5a 2", "5a 9", "5a 1"]
    assert sorted(numbers, key=rules.natural_key) == ["5a 1", "5a 2", "5a 9", "5a 10"]
    assert sorted(numbers, key=rules.sort_key) == ["5a 1", "5a 2", "5a 9", "5a 10"]


def test_a_lettered_sub_step_sits_under_its_action_and_before_the_next():
    numbers = ["6.2", "6.1 b.", "6.1", "6.1 a.", "10.1", "7.2 b)", "7.2 a)"]
    expected = ["6.1", "6.1 a.", "6.1 b.", "6.2", "7.2 a)", "7.2 b)", "10.1"]
    assert sorted(numbers, key=rules.natural_key) == expected
    assert sorted(numbers, key=rules.sort_key) == expected


def test_database_sort_key_has_no_punctuation_for_linguistic_collations():
    assert rules.sort_key("6.1 a.").isalnum()
    assert rules.sort_key("5 a)").isalnum()


def test_sub_step_knows_its_parent_and_prints_only_its_own_letter():
    assert rules.parent_number("6.1 a.", ["6.1", "6.2"]) == "6.1"
    assert rules.parent_number("7.2 b)", ["7.1", "7.2", "7.2 a)"]) == "7.2"
    assert rules.parent_number("7.3", ["7.1", "7.2"]) is None
    assert rules.own_label("7.2 b)", "7.2") == "b)"


def test_action_numbers_belong_to_their_element():
    assert rules.is_under("5a 3", "5 a)")
    assert not rules.is_under("5b 3", "5 a)")
    assert not rules.is_under("10.1", "1")


@pytest.mark.parametrize(
    ("text", "due", "tentative"),
    [
        ("February 2006", date(2006, 2, 28), False),
        ("June / July 2006", date(2006, 7, 31), False),
        ("July / August 2006", date(2006, 8, 31), False),
        ("TBC", None, True),
        ("TBC as one of the priorities within the Herefordshire Connects programme", None, True),
        ("TBD in July following discussion with the IPC", None, True),
        ("May 2006. Assessment of performance - September 2006, December 2006, March 2007.", date(2006, 5, 31), False),
        ("14/02/06", date(2006, 2, 14), False),
        ("20th April 2006", date(2006, 4, 20), False),
        ("1 st April 2006", date(2006, 4, 1), False),
        ("Report to Annual Council in May 2006", date(2006, 5, 31), False),
        ("October 2006 TBC", date(2006, 10, 31), True),
        ("February 2007 (TBC)", date(2007, 2, 28), True),
        ("Yearly revisions building on the national improvement cycle.", None, False),
        ("", None, False),
    ],
)
def test_by_when_is_read_as_the_council_writes_it(text, due, tentative):
    reading = rules.parse_by_when(text)
    assert (reading.due, reading.tentative) == (due, tentative)
    assert reading.text == text


def test_an_impossible_date_is_not_read_as_a_due_date():
    assert rules.parse_by_when("31/02/06").due is None


def test_due_at_month_end_is_not_overdue_on_the_day_but_is_the_day_after():
    due = rules.parse_by_when("February 2006").due
    assert not rules.is_overdue(due=due, status=rules.IN_PROGRESS, on=date(2006, 2, 28))
    assert rules.is_overdue(due=due, status=rules.IN_PROGRESS, on=date(2006, 3, 1))


def test_an_exact_date_is_overdue_from_the_next_day():
    due = rules.parse_by_when("20th April 2006").due
    assert not rules.is_overdue(due=due, status=rules.NOT_STARTED, on=date(2006, 4, 20))
    assert rules.is_overdue(due=due, status=rules.NOT_STARTED, on=date(2006, 4, 21))


def test_achieved_or_complete_is_never_overdue_and_tbc_never_is():
    assert not rules.is_overdue(due=date(2006, 2, 28), status=rules.ACHIEVED, on=date(2007, 1, 1))
    assert not rules.is_overdue(due=date(2006, 2, 28), status=rules.COMPLETE, on=date(2007, 1, 1))
    assert not rules.is_overdue(due=None, status=rules.IN_PROGRESS, on=date(2030, 1, 1))


def test_brag_blue_when_done_red_when_overdue_amber_at_risk_green_otherwise():
    on, due = date(2006, 6, 1), date(2006, 5, 31)
    assert rules.brag(due=due, status=rules.COMPLETE, on=on) == "B"
    assert rules.brag(due=due, status=rules.IN_PROGRESS, on=on) == "R"
    assert rules.brag(due=date(2006, 7, 31), status=rules.AT_RISK, on=on) == "A"
    assert rules.brag(due=date(2006, 7, 31), status=rules.IN_PROGRESS, on=on) == "G"


def test_overdue_cannot_be_typed_as_a_status():
    assert rules.read_status("Overdue") is None
    assert rules.read_status("In progress") == rules.IN_PROGRESS
    assert rules.read_status("complete") == rules.COMPLETE
    assert rules.read_status("") == rules.NOT_STARTED


def test_success_criteria_split_into_intermediate_and_ultimate():
    parts = rules.split_success_criteria(
        "Intermediate: Better, more effective plans. Ultimately: Improved / better VFM services"
    )
    assert parts == rules.SuccessCriteria("", "Better, more effective plans.", "Improved / better VFM services")
    assert rules.split_success_criteria("Level 5 by 2010") == rules.SuccessCriteria(general="Level 5 by 2010")


def test_commentary_becomes_bullets_without_their_marks():
    assert rules.bullets("• First point\n\n- Second point\n") == ["First point", "Second point"]
