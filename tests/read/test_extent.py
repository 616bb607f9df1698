"""Cell references and the grid a reader would build: what the guard counts before any reader runs."""

import pytest

from pipeline.read.extent import Extent, capped_number, parse_range, parse_ref


@pytest.mark.parametrize("ref, expected", [
    ("A1", (1, 1)), ("Z9", (9, 26)), ("AA10", (10, 27)), ("xfd1048576", (1048576, 16384)), ("$B$7", (7, 2)),
    ("B", None), ("7", None), ("", None), ("B7C", None), ("甲1", None),
])
def test_a_reference_gives_row_and_column_from_one(ref, expected):
    assert parse_ref(ref) == expected


def test_an_absurd_row_number_is_capped_not_parsed_digit_by_digit():
    assert parse_ref("A" + "9" * 40) == (10 ** 12, 1)
    assert capped_number("123") == 123 and capped_number("1" * 13) == 10 ** 12


@pytest.mark.parametrize("ref, expected", [
    ("A1:C3", (1, 1, 3, 3)), ("C3:A1", (1, 1, 3, 3)), ("B2", (2, 2, 2, 2)), ("$A$1:$B$2", (1, 1, 2, 2)),
    ("A1:", (1, 1, 1, 1)), ("A1:?", None),
])
def test_a_range_is_normalised_to_top_left_and_bottom_right(ref, expected):
    assert parse_range(ref) == expected


def test_the_grid_is_a1_to_the_last_row_and_column_with_content():
    extent = Extent("Sheet1", rows=20, cols=7)
    assert (extent.cells, extent.corner) == (140, "G20")
    assert Extent("empty").corner == "A1"


def test_merges_are_filled_only_inside_the_grid_and_count_at_least_one():
    extent = Extent("S", rows=10, cols=5)
    extent.add_merge(1, 1, 1, 5)                     # across the table: 4 cells filled
    assert extent.merged == 4
    extent.add_merge(2, 1, 1048576, 16384)           # out to XFD1048576: clipped to the 9 × 5 left
    assert extent.merged == 4 + 9 * 5 - 1
    extent.add_merge(50, 50, 60, 60)                 # wholly outside: counts one, nothing filled
    assert extent.merged == 4 + 44 + 1
