"""Numbers typed by users, bounded by the PostgreSQL column that stores them.

SQLite stores any 64-bit integer, PostgreSQL refuses an `integer` above 2 147 483 647 with
a DataError (a 500 page). Every integer column a form writes declares these validators, so
that a value out of range gets a message on every database; tests/pole/test_input_bounds.py
walks the models and fails when a column forgets.
"""

from django.core.validators import MaxValueValidator, MinValueValidator

# PostgreSQL's `integer` and `smallint`.
MAX_INTEGER = 2_147_483_647
MAX_SMALL_INTEGER = 32_767


def positive_integer_validators() -> list:
    """For a PositiveIntegerField a user types (a headcount, a number of patents)."""
    return [MaxValueValidator(MAX_INTEGER)]


def positive_small_integer_validators() -> list:
    return [MaxValueValidator(MAX_SMALL_INTEGER)]


def non_negative_amount_validators() -> list:
    """For an amount that cannot be below zero (a turnover, a budget)."""
    return [MinValueValidator(0)]
