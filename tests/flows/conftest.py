"""Readers for the migest 2.0.5 reference CSVs (see the folder READMEs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


class MigestRef:
    """Read reference inputs/outputs under ``reference/migest/<folder>/``."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        p = self.root / rel
        if not p.is_file():
            pytest.fail(f"migest reference file missing: {p}")
        return p

    def matrix(self, rel: str) -> pd.DataFrame:
        df = pd.read_csv(self.path(rel), index_col=0, keep_default_na=False)
        df.index = df.index.astype(str)
        df.columns = df.columns.astype(str)
        return df.astype(float)

    def vector(self, rel: str) -> pd.Series:
        df = pd.read_csv(self.path(rel), keep_default_na=False)
        return pd.Series(df.iloc[:, 1].to_numpy(dtype=float), index=df.iloc[:, 0].astype(str).to_numpy())

    def long(self, rel: str) -> pd.DataFrame:
        return pd.read_csv(self.path(rel), keep_default_na=False)

    def array3(self, rel: str, labels=None) -> np.ndarray:
        """A long orig,dest,pob,value file (first index fastest) as an (n, n, n) array."""
        df = self.long(rel)
        n = round(len(df) ** (1 / 3))
        values = df["value"].to_numpy(dtype=float).reshape((n, n, n), order="F")
        if labels is not None:
            first = list(df.iloc[:n, 0].astype(str))
            assert first == [str(x) for x in labels], (first, labels)
        return values

    def measures(self, rel: str) -> pd.Series:
        df = self.long(rel)
        return pd.Series(df["value"].to_numpy(dtype=float), index=df["measure"].astype(str).to_numpy())


@pytest.fixture(scope="session")
def ref(migest_ref) -> MigestRef:
    return MigestRef(migest_ref)
