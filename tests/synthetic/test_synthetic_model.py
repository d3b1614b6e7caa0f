from __future__ import annotations

from extractors.synthetic import build_unit_models, check_identities
from extractors.synthetic.anomalies import plant


def test_identities_hold_in_every_unit_year():
    for seed in (1, 7, 42):
        series = build_unit_models(units=16, years=(2022, 2023, 2024), seed=seed)
        plant(series, seed)  # the cross-unit outlier rewrites 三公 and must keep the identities
        for unit in series:
            for model in unit:
                assert check_identities(model) == [], (model.unit_name, model.fiscal_year)


def test_prior_year_figures_come_from_last_years_model():
    for unit in build_unit_models(units=7):
        first, second = unit
        last_year = first.metrics()
        for key, value in second.prev.items():
            assert value == last_year[key.removesuffix("_prev")]


def test_models_are_deterministic_and_seed_sensitive():
    a = [m.metrics() for u in build_unit_models(units=5, seed=3) for m in u]
    b = [m.metrics() for u in build_unit_models(units=5, seed=3) for m in u]
    c = [m.metrics() for u in build_unit_models(units=5, seed=4) for m in u]
    assert a == b
    assert a != c


def test_bench_size_keeps_units_unique_and_names_repeat_across_places():
    series = build_unit_models(units=150)
    units = [(u[0].region_name, u[0].unit_name) for u in series]
    assert len(set(units)) == len(units)  # a unit is (region, name)
    names = [u[0].unit_name for u in series]
    assert len(set(names)) < len(names)  # county departments have namesakes in other cities (issue 18)


def test_admin_units_have_operating_cost_and_public_units_do_not():
    for unit in build_unit_models(units=7):
        for model in unit:
            m = model.metrics()
            if model.profile.admin:
                assert m["admin.operating_cost"] == m["gpb.public"] > 0
            else:
                assert m["admin.operating_cost"] == 0
