"""One money field for the whole site (pole.money): amounts read as the page's language
writes them, or refused with a message — never "12 500,50" stored as 1 250 050."""

from decimal import Decimal

import pytest
from django.utils import translation

from members.models import DuesRate
from pole.money import AmountError, MoneyField, format_amount, format_euros, parse_amount
from pole.templatetags.money import euros
from tests.conftest import login

NNBSP = "\u202f"
NBSP = "\u00a0"

# (typed, French page, English page); "ambiguous" or "invalid" for a refusal.
TABLE = [
    ("12 500,50", Decimal("12500.50"), "ambiguous"),
    ("12 500", Decimal("12500"), Decimal("12500")),
    (f"12{NBSP}500", Decimal("12500"), Decimal("12500")),
    (f"12{NNBSP}500,50", Decimal("12500.50"), "ambiguous"),
    ("12,500.50", Decimal("12500.50"), Decimal("12500.50")),
    ("12500.50", Decimal("12500.50"), Decimal("12500.50")),
    ("1,5", Decimal("1.5"), "ambiguous"),
    ("12,500", "ambiguous", Decimal("12500")),
    ("12.500", "ambiguous", "ambiguous"),
    ("1.250.000", Decimal("1250000"), "invalid"),
    ("1,250,000", "invalid", Decimal("1250000")),
    ("12.500,50", Decimal("12500.50"), Decimal("12500.50")),
    ("12 500 €", Decimal("12500"), Decimal("12500")),
    ("1 25", "invalid", "invalid"),
    ("1e5", "invalid", "invalid"),
    ("abc", "invalid", "invalid"),
    ("", None, None),
]


@pytest.mark.parametrize(("typed", "french", "english"), TABLE)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_money_table(typed, french, english, language):
    expected = french if language == "fr" else english
    if isinstance(expected, str):
        with pytest.raises(AmountError) as caught:
            parse_amount(typed, language=language)
        assert caught.value.code == expected
    else:
        assert parse_amount(typed, language=language) == expected


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("en", "12 500,50", "“12 500,50” can be read two ways. Write it without thousands separators, "
         "for example 12,500.50."),
        ("en", "1,5", "“1,5” can be read two ways. Write it without thousands separators, for example 12,500.50."),
        ("fr", "12,500", "«\u00a012,500\u00a0» peut se lire de deux façons. Écrivez-le sans séparateur de milliers, "
         f"par exemple 12{NNBSP}500,50."),
        ("fr", "abc", f"Saisissez un nombre, par exemple 12{NNBSP}500,50."),
        ("en", "abc", "Enter a number, for example 12,500.50."),
        ("fr", "-5", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ("en", "-5", "Ensure this value is greater than or equal to 0."),
        ("en", "1234567890123,5", "“1234567890123,5” can be read two ways. Write it without thousands "
         "separators, for example 12,500.50."),
        ("fr", "123456789012345", "Assurez-vous qu’il n’y a pas plus de 14 chiffres au total."),
        ("fr", "1,555", "«\u00a01,555\u00a0» peut se lire de deux façons. Écrivez-le sans séparateur de milliers, "
         f"par exemple 12{NNBSP}500,50."),
        ("fr", "1,5555", "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule."),
    ],
)  # fmt: skip
def test_the_field_refuses_with_a_message_in_the_page_language(language, typed, message):
    field = MoneyField()
    with translation.override(language):
        errors = []
        try:
            field.clean(typed)
        except Exception as error:  # noqa: BLE001 - ValidationError, read below
            errors = error.messages
    assert errors == [message]


@pytest.mark.parametrize(
    ("language", "shown"),
    [("fr", f"12{NNBSP}500,50"), ("en", "12,500.50")],
)
def test_the_input_shows_the_amount_back_in_the_page_language_and_reads_it_again(language, shown):
    field = MoneyField()
    with translation.override(language):
        rendered = field.widget.format_value(Decimal("12500.5"))
        assert rendered == shown
        assert field.clean(rendered) == Decimal("12500.50")
    assert format_amount(Decimal("-1234567.891"), language=language) == (
        f"-1{NNBSP}234{NNBSP}567,89" if language == "fr" else "-1,234,567.89"
    )


def test_euros_are_shown_the_french_way_from_one_home():
    assert format_euros(Decimal("1234.5")) == f"1{NNBSP}234,50{NBSP}€"
    assert euros(Decimal("1234.5")) == format_euros(Decimal("1234.5"))
    assert format_euros(None) == format_euros("") == format_euros("x") == ""


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    return client


@pytest.mark.parametrize(
    ("language", "typed", "stored", "message"),
    [
        ("fr", "12 500,50", Decimal("12500.50"), None),
        ("fr", "1,5", Decimal("1.50"), None),
        ("en", "12,500.50", Decimal("12500.50"), None),
        ("en", "12 500,50", None, "“12 500,50” can be read two ways."),
        ("en", "1,5", None, "“1,5” can be read two ways."),
    ],
)
def test_the_dues_scale_page_stores_what_the_user_means(staff_client, language, typed, stored, message):
    url = f"/{language}/members/staff/dues/scale/2026/"
    response = staff_client.post(url, {"rate_research_any": typed})
    amounts = list(DuesRate.objects.filter(kind="research").values_list("amount", flat=True))
    if stored is None:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert amounts == []
    else:
        assert response.status_code == 302
        assert amounts == [stored]


def amount_forms():
    from members.forms.applications import ApplicationForm
    from members.forms.dues import DuesScaleForm
    from members.forms.space import OrganisationProfileForm
    from members.models import Organisation
    from projects.forms.calls import CallForm
    from projects.forms.followup import FundingApplicationForm, ProjectOutcomeForm
    from projects.forms.submission import BudgetGridForm, RequestedAidForm
    from projects.models import Call, FundingApplication, ProjectOutcome

    return {
        "join": ApplicationForm(),
        "profile": OrganisationProfileForm(instance=Organisation()),
        "dues scale": DuesScaleForm(),
        "call": CallForm(instance=Call()),
        "funding": FundingApplicationForm(instance=FundingApplication(), partners=[]),
        "outcome": ProjectOutcomeForm(instance=ProjectOutcome()),
        "budget": BudgetGridForm(),
        "aid": RequestedAidForm(),
    }


@pytest.mark.django_db
def test_every_amount_input_of_the_site_is_read_by_the_one_field():
    from django import forms

    from pole.money import LocalDecimalField

    plain = [
        f"{name}.{field_name}"
        for name, form in amount_forms().items()
        for field_name, field in form.fields.items()
        if isinstance(field, forms.DecimalField) and not isinstance(field, LocalDecimalField)
    ]
    assert plain == []
    amounts = {
        f"{name}.{field_name}"
        for name, form in amount_forms().items()
        for field_name, field in form.fields.items()
        if isinstance(field, MoneyField)
    }
    expected = {"join.turnover", "join.balance_sheet", "profile.turnover", "profile.balance_sheet"}
    expected |= {"call.budget_floor", "call.budget_ceiling", "outcome.turnover", "aid.amount"}
    assert expected <= amounts
    assert any(name.startswith("budget.") for name in amounts)
    assert any(name.startswith("dues scale.") for name in amounts)


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [("fr", "12 500,50", Decimal("12500.50")), ("en", "12,500.50", Decimal("12500.50")), ("en", "12 500,50", None)],
)
def test_the_budget_grid_reads_amounts_in_the_page_language(language, typed, stored):
    from projects.forms.submission import BudgetGridForm
    from projects.models import CostCategory

    category = CostCategory.values[0]
    with translation.override(language):
        form = BudgetGridForm({f"budget-{category}": typed})
        valid = form.is_valid()
    assert valid is (stored is not None)
    assert form.cleaned_data.get(category) == stored
