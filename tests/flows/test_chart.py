"""The chord diagram of flows: a Figure with a finding title, units and a source line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.charts import CATEGORY_COLOURS
from migstats.charts.flows import flow_diagram
from migstats.errors import InputError
from migstats.flows import example_stocks, ffs_demo


def _od():
    return pd.DataFrame([[0, 50, 10], [5, 0, 20], [0, 15, 0]], index=list("ABC"), columns=list("ABC"),
                        dtype=float)


def test_figure_title_units_and_source():
    import matplotlib.pyplot as plt

    fig = flow_diagram(_od(), source="Source: test data")
    ax = fig.axes[0]
    # largest flow A -> B = 50 of 100 moving
    assert ax.get_title(loc="left") == "Largest flow: A \u2192 B, 50 persons (50% of all 100 persons moving)"
    texts = [t.get_text() for t in fig.texts]
    assert "Source: test data" in texts
    src = next(t for t in fig.texts if t.get_text() == "Source: test data")
    x, y = src.get_position()
    assert x < 0.1 and y < 0.1 and src.get_ha() == "left"
    labels = [t.get_text() for t in ax.texts]
    assert "A\nout 60 / in 5" in labels
    assert any("(persons)" in t for t in labels)
    face = {tuple(np.round(p.get_facecolor()[:3], 3)) for p in ax.patches}
    from matplotlib.colors import to_rgb

    assert tuple(np.round(to_rgb(CATEGORY_COLOURS[0]), 3)) in face
    plt.close(fig)


def test_deterministic_and_lumps_to_top():
    import matplotlib.pyplot as plt

    s1, s2 = example_stocks(10, seed=5)
    od = ffs_demo(s1, s2).od(zero_diagonal=True)
    figs = [flow_diagram(od, top=4) for _ in range(2)]
    verts = [[p.get_path().vertices.copy() for p in f.axes[0].patches] for f in figs]
    assert len(verts[0]) == len(verts[1])
    for a, b in zip(*verts):
        np.testing.assert_array_equal(a, b)
    names = [t.get_text().split("\n")[0] for t in figs[0].axes[0].texts if "\nout" in t.get_text()]
    assert names[-1] == "Other" and len(names) == 5
    for f in figs:
        plt.close(f)


def test_draws_into_given_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert flow_diagram(_od(), ax=ax, title="Custom") is fig
    assert ax.get_title(loc="left") == "Custom"
    plt.close(fig)


def test_bad_inputs():
    with pytest.raises(InputError):
        flow_diagram(_od().to_numpy())
    with pytest.raises(InputError):
        flow_diagram(_od() * 0)
    with pytest.raises(InputError, match="top"):
        flow_diagram(_od(), top=9)


def test_example_stocks_are_seeded_and_consistent():
    a1, a2 = example_stocks(6, seed=1)
    b1, b2 = example_stocks(6, seed=1)
    pd.testing.assert_frame_equal(a1, b1)
    pd.testing.assert_frame_equal(a2, b2)
    np.testing.assert_array_equal(a1.sum(axis=1).to_numpy(), a2.sum(axis=1).to_numpy())
    assert (a1.to_numpy() >= 0).all() and (a2.to_numpy() >= 0).all()
    assert not example_stocks(6, seed=2)[0].equals(a1)


def test_example_flow_diagram_is_deterministic():
    import matplotlib.pyplot as plt

    from migstats.charts.flows import example_flow_diagram

    a, b = example_flow_diagram(), example_flow_diagram()
    assert a.axes[0].get_title(loc="left") == b.axes[0].get_title(loc="left")
    assert a.axes[0].get_title(loc="left").startswith("Largest flow: Region ")
    assert any("seed=2024" in t.get_text() for t in a.texts)
    plt.close(a)
    plt.close(b)
