"""When is a goal area's name another one mistyped, and which name is nearest?"""

import pytest

from app.ledger.rules import area_key, closest_name, edit_distance, is_probable_typo

SEED_2020 = [
    "Regional samordning", "Stärka barn och ungas psykiska hälsa",
    "Förbättra omhändertagandet av särskilt utsatta grupper",
    "Förbättra omhändertagandet av personer med lindrig psykisk ohälsa",
    "Psykisk hälsa kopplat till Coronapandemin", "Stärka äldres psykiska hälsa",
    "Stärkt brukarmedverkan", "Suicidpreventiv samordning",
    "Utåtriktat arbete och utbildningsinsatser", "Projektutlysning",
]


@pytest.mark.parametrize("a, b, distance", [
    ("Stäkra", "Stärka", 1),  # two letters swapped count once
    ("Regional samordning", "Regional samordning", 0),
    ("samordning", "samordningen", 2),
])
def test_the_distance_counts_each_slip_once(a, b, distance):
    assert edit_distance(a, b) == distance


def test_the_seeds_typo_is_a_slip_of_its_area():
    assert is_probable_typo("Stäkra äldres psykiska hälsa", "Stärka äldres psykiska hälsa")
    assert closest_name("Stäkra äldres psykiska hälsa", SEED_2020) == "Stärka äldres psykiska hälsa"


def test_the_seeds_own_areas_are_no_slips_of_each_other():
    assert not [(a, b) for a in SEED_2020 for b in SEED_2020
                if a != b and is_probable_typo(a, b)]


@pytest.mark.parametrize("a, b", [
    ("Område 1", "Område 2"),  # short names are not judged
    ("Utvecklingsområde 2021", "Utvecklingsområde 2022"),  # differ in digits only
    ("regional  Samordning", "Regional samordning"),  # the same name, not a slip
])
def test_different_or_equal_names_are_no_slips(a, b):
    assert not is_probable_typo(a, b)


def test_case_and_spacing_do_not_tell_names_apart():
    assert area_key("  Regional   Samordning ") == area_key("regional samordning")


def test_a_name_far_from_every_other_has_no_suggestion():
    assert closest_name("Helt nytt område", SEED_2020) is None
