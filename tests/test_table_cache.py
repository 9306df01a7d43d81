"""The verified on-disk cache of validated bundled tables (migstats.datasets._table_cache), and the units fast path.

A "new process" is simulated by clearing the in-process caches of the schema module, so the next
read goes to the disk cache or the source. The package used here is written by the tests: one
table of every column kind (text with empty cells, integer, number, boolean, a unit column) and
a table its foreign key points to.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from migstats import units
from migstats.datasets import _table_cache, schema
from migstats.datasets._paths import data_dir
from migstats.errors import CacheWarning, ReaderWarning, UnitError, ValidationError

PARENT = "code\nAAA\nBBB\nCCC\n"
CHILD = (
    "id,code,year,value,flag,unit\n"
    "1,AAA,1990,1.5,true,thousand person\n"
    "2,,1995,,false,person\n"
    "3,BBB,,2.25,,thousand person\n"
    "4,CCC,2000,-0.0,true,\n"
)


def _package(root, child=CHILD, year_minimum=1950):
    root.mkdir(exist_ok=True)
    (root / "parent.csv").write_text(PARENT, encoding="utf-8")
    (root / "child.csv").write_text(child, encoding="utf-8")
    (root / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "parent", "path": "parent.csv", "schema": {"fields": [{"name": "code", "type": "string"}]}},
        {"name": "child", "path": "child.csv", "schema": {
            "fields": [
                {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
                {"name": "code", "type": "string"},
                {"name": "year", "type": "integer", "constraints": {"minimum": year_minimum}},
                {"name": "value", "type": "number"},
                {"name": "flag", "type": "boolean"},
                {"name": "unit", "type": "string"},
            ],
            "foreignKeys": [{"fields": ["code"], "reference": {"resource": "parent", "fields": ["code"]}}],
            "x-migstats-checks": [{"rule": "unit", "field": "unit"}]}},
    ]}), encoding="utf-8")
    return root


def _new_process():
    """Forget what this process has read, as a new process would."""
    schema._read_validated.cache_clear()
    schema._table_key.cache_clear()
    schema._source_sha256.cache_clear()
    schema._descriptor_at.cache_clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MIGSTATS_CACHE", str(folder))
    monkeypatch.delenv("MIGSTATS_TABLE_CACHE", raising=False)
    _new_process()
    yield folder / "validated-tables"
    _new_process()


def _files(folder, name="child"):
    return sorted(folder.glob(f"{name}-*.table"))


def _read(root, name="child"):
    _new_process()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean read issues no warning
        return schema.read_table(name, root=root)


def _assert_identical(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.dtypes) == list(b.dtypes)
    for col in a.columns[a.dtypes == object]:
        assert [type(v) for v in a[col]] == [type(v) for v in b[col]], col


def _uncached(root, monkeypatch, name="child"):
    with monkeypatch.context() as m:
        m.setenv("MIGSTATS_TABLE_CACHE", "off")
        return _read(root, name)


def test_cached_load_is_the_validated_table_and_skips_validation(tmp_path, cache, monkeypatch):
    root = _package(tmp_path / "pkg")
    plain = _uncached(root, monkeypatch)
    assert not cache.exists()  # cache off: nothing written
    first = _read(root)  # a miss: read, validated, stored
    assert len(_files(cache)) == 1 and len(_files(cache, "parent")) == 1
    # a hit must not read or validate anything
    monkeypatch.setattr(schema, "_validated", lambda *a: pytest.fail("validated again on a cache hit"))
    second = _read(root)
    for table in (first, second):
        _assert_identical(table, plain)
    # the values themselves, by hand from CHILD: empty cells stay empty, -0.0 keeps its sign
    assert second["id"].tolist() == [1, 2, 3, 4]
    assert pd.isna(second["code"].iloc[1]) and second["unit"].iloc[3] in (None, "") or pd.isna(second["unit"].iloc[3])
    assert second["year"].isna().tolist() == [False, False, True, False]
    assert second["value"].iloc[1] != second["value"].iloc[1] and str(second["value"].iloc[3]) == "-0.0"
    assert second["flag"].tolist()[:2] == [True, False] and pd.isna(second["flag"].iloc[2])
    assert second.attrs["resource"] == "child"


def test_cached_bundled_table_equals_the_uncached_one(cache, monkeypatch):
    name = "official-wpp-vital"  # text with empty cells (flags), integers, numbers, 24,544 rows
    plain = _uncached(data_dir(), monkeypatch, name)
    _read(data_dir(), name)
    monkeypatch.setattr(schema, "_validated", lambda *a: pytest.fail("validated again on a cache hit"))
    _assert_identical(_read(data_dir(), name), plain)


@pytest.mark.parametrize("damage", ["flip a data byte", "flip a header byte", "truncate", "empty", "garbage",
                                    "another key", "another format", "bytes beyond the columns",
                                    "codes outside the values", "an object dtype"])
def test_a_damaged_cache_file_is_detected_and_rebuilt(tmp_path, cache, monkeypatch, damage):
    root = _package(tmp_path / "pkg")
    plain = _uncached(root, monkeypatch)
    _read(root)
    (path,) = _files(cache)
    data = bytearray(path.read_bytes())
    if damage == "flip a data byte":
        data[-5] ^= 0x01
    elif damage == "flip a header byte":
        data[data.index(b'"AAA"') + 1] = ord("X")
    elif damage == "truncate":
        data = data[:-8]
    elif damage == "empty":
        data = b""
    elif damage == "garbage":
        data = b"\x00\xff" * 50
    else:
        # a consistent file (checksum recomputed) stored for something else
        digest, _, body = bytes(data).partition(b"\n")
        head, _, rest = body.partition(b"\n")
        header = json.loads(head)
        code = next(c for c in header["columns"] if c["name"] == "code")
        if damage == "another key":
            header["key"] = "0" * 64
        elif damage == "another format":
            header["format"] = 0
        elif damage == "bytes beyond the columns":
            rest += b"\x00" * 8
        elif damage == "codes outside the values":
            code["values"] = code["values"][:1]  # AAA only: the codes of BBB and CCC point past it
        else:
            code["dtypes"] = ["|O"]
        body = json.dumps(header).encode() + b"\n" + rest
        data = _table_cache.hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    path.write_bytes(bytes(data))
    _new_process()
    with pytest.warns(CacheWarning, match="did not verify"):
        table = schema.read_table("child", root=root)
    _assert_identical(table, plain)
    # rebuilt: the next process reads the cache again, without a warning
    assert path.read_bytes() != bytes(data)
    _assert_identical(_read(root), plain)


def test_a_table_the_file_format_would_change_is_not_stored(cache):
    """Stored only if decoding the bytes gives the table back: not a table with another index, nor
    one with two columns of one name, nor a text column holding a number."""
    for table in (pd.DataFrame({"a": [1.0, 2.0]}, index=[5, 6]),
                  pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]),
                  pd.DataFrame({"a": pd.Series(["x", 1], dtype=object)})):
        _table_cache.store("t", "0" * 64, table)
        assert not cache.exists() or _files(cache, "t") == []
    _table_cache.store("t", "0" * 64, pd.DataFrame({"a": [1.0, 2.0]}))
    assert len(_files(cache, "t")) == 1


def test_a_changed_source_file_invalidates_the_cache(tmp_path, cache):
    root = _package(tmp_path / "pkg")
    assert _read(root)["value"].iloc[0] == 1.5
    (old,) = _files(cache)
    (root / "child.csv").write_text(CHILD.replace("1,AAA,1990,1.5", "1,AAA,1990,7.5"), encoding="utf-8")
    assert _read(root)["value"].iloc[0] == 7.5
    (new,) = _files(cache)  # the older entry of the table is removed
    assert new != old


def test_a_changed_reference_or_schema_invalidates_the_cache(tmp_path, cache):
    root = _package(tmp_path / "pkg")
    _read(root)
    # the parent loses BBB: the child's cached table must not be used, its row 3 now fails
    (root / "parent.csv").write_text("code\nAAA\nCCC\n", encoding="utf-8")
    _new_process()
    with pytest.raises(ValidationError, match="'BBB' is not a code of resource 'parent'"):
        schema.read_table("child", root=root)
    # a stricter schema: 1990 is now below the minimum
    _package(root, year_minimum=1991)
    _new_process()
    with pytest.raises(ValidationError, match="1990 is outside the minimum 1991") as err:
        schema.read_table("child", root=root)
    assert (err.value.row, err.value.column) == (1, "year")


@pytest.mark.parametrize("part", ["pandas", "pyarrow", "code"])
def test_a_new_library_or_code_version_invalidates_the_cache(tmp_path, cache, monkeypatch, part):
    root = _package(tmp_path / "pkg")
    _read(root)
    (old,) = _files(cache)
    environment = {**_table_cache._environment(), part: "another"}
    monkeypatch.setattr(_table_cache, "_environment", lambda: environment)
    validated = []
    real = schema._validated
    monkeypatch.setattr(schema, "_validated", lambda *a: validated.append(a[1]) or real(*a))
    _read(root)
    assert validated == ["child", "parent"]  # read and validated again, not loaded
    (new,) = _files(cache)
    assert new != old


def test_a_file_changed_while_it_is_read_is_not_stored_under_the_old_key(tmp_path, cache, monkeypatch):
    """The key is made from the file's bytes before it is read; if the file changes in between, the
    table read is of other bytes and must not be stored under that key."""
    root = _package(tmp_path / "pkg")
    before = _uncached(root, monkeypatch)
    _new_process()
    schema._table_key(str(root), "child")  # the key, from the bytes as they were
    validated = schema._validated

    def edit_then_read(r, name, res, path):
        if name == "child":
            path.write_text(CHILD.replace("1.5", "9.5"), encoding="utf-8")
        return validated(r, name, res, path)

    monkeypatch.setattr(schema, "_validated", edit_then_read)
    assert schema.read_table("child", root=root)["value"].iloc[0] == 9.5
    assert _files(cache) == []
    monkeypatch.setattr(schema, "_validated", validated)
    (root / "child.csv").write_text(CHILD, encoding="utf-8")  # the old bytes again: the old key
    _assert_identical(_read(root), before)


def test_storing_one_resource_keeps_another_whose_name_it_begins(tmp_path, cache):
    """Older keys of a resource are removed when it is stored, but only its own files: "wpp" must not
    take "wpp-vital"'s."""
    cache.mkdir(parents=True)
    other = cache / f"child-extra-{'0' * 64}.table"
    other.write_bytes(b"x")
    stale = cache / f"child-{'1' * 64}.table"
    stale.write_bytes(b"x")
    _read(_package(tmp_path / "pkg"))
    assert other.exists() and not stale.exists() and len(_files(cache)) == 2


def test_threads_reading_tables_at_once_validate_one_at_a_time(tmp_path, cache, monkeypatch):
    """The warnings of a read are caught with catch_warnings, which is process-wide: two threads in
    it at once can leave every later warning of the process in a list nobody reads."""
    import threading
    import time

    root = _package(tmp_path / "pkg")
    _new_process()
    validated, inside, most = schema._validated, set(), []

    def slow(*args):
        inside.add(threading.get_ident())
        most.append(len(inside))
        time.sleep(0.2)
        try:
            return validated(*args)
        finally:
            inside.discard(threading.get_ident())

    monkeypatch.setattr(schema, "_validated", slow)
    threads = [threading.Thread(target=schema.read_table, args=(name,), kwargs={"root": root})
               for name in ("parent", "child")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(most) == 1 and len(_files(cache)) == len(_files(cache, "parent")) == 1


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this platform")
def test_a_process_forked_while_another_thread_validates_can_validate():
    import os
    import threading

    held, release = threading.Event(), threading.Event()

    def hold():
        with schema._VALIDATING:
            held.set()
            release.wait()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    try:
        pid = os.fork()
        if pid == 0:  # the child: exit at once, 0 if it can take the lock
            os._exit(0 if schema._VALIDATING.acquire(timeout=2) else 3)
        _, status = os.waitpid(pid, 0)
    finally:
        release.set()
        thread.join()
    assert os.waitstatus_to_exitcode(status) == 0


def test_an_invalid_table_is_never_stored(tmp_path, cache):
    root = _package(tmp_path / "pkg", child=CHILD.replace("2,,1995", "2,,1900"))
    for _ in range(2):
        _new_process()
        with pytest.raises(ValidationError, match="1900 is outside the minimum 1950"):
            schema.read_table("child", root=root)
    assert _files(cache) == []


def test_a_read_that_warns_is_not_stored_and_warns_every_time(tmp_path, cache):
    root = _package(tmp_path / "pkg")
    (root / "parent.csv").write_bytes(PARENT.encode() + b"D\xe9U\n")  # not UTF-8: read as Windows-1252
    for _ in range(2):
        _new_process()
        with pytest.warns(ReaderWarning, match="Windows-1252"):
            assert schema.read_table("parent", root=root)["code"].tolist()[-1] == "D\u00e9U"
    assert _files(cache, "parent") == []


def test_an_unwritable_cache_folder_warns_and_the_table_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MIGSTATS_CACHE", str(blocker))
    root = _package(tmp_path / "pkg")
    _new_process()
    try:
        with pytest.warns(CacheWarning, match="cannot write the table cache"):
            table = schema.read_table("child", root=root)
    finally:
        _new_process()
    assert table["id"].tolist() == [1, 2, 3, 4]


def test_without_the_source_files_the_cache_is_off_and_tables_load(tmp_path, cache, monkeypatch):
    """The key hashes migstats' own source files; an install with only .pyc files has none to hash."""
    monkeypatch.setattr(_table_cache, "_CODE", _table_cache._CODE + ("datasets/no_such_module.py",))
    root = _package(tmp_path / "pkg")
    assert _read(root)["id"].tolist() == [1, 2, 3, 4]
    assert not cache.exists()


def test_clearing_the_cache_removes_the_validated_tables(tmp_path, cache):
    from migstats.catalog import clear_cache

    root = _package(tmp_path / "pkg")
    _read(root)
    assert len(_files(cache)) == 1
    clear_cache(source="wdi_remittances")  # one source's vintages only: the tables stay
    assert len(_files(cache)) == 1
    clear_cache()
    assert not cache.exists()


def test_the_cache_folder_is_the_catalog_one(monkeypatch, tmp_path):
    import pooch

    from migstats.catalog import cache_dir

    monkeypatch.delenv("MIGSTATS_CACHE", raising=False)
    assert cache_dir() == pooch.os_cache("migstats")  # the location pooch gave before, without importing it
    monkeypatch.setenv("MIGSTATS_CACHE", str(tmp_path))
    assert _table_cache.folder() == tmp_path / "validated-tables"


def test_own_units_convert_exactly_as_the_registry_does():
    forms = [*units._OWN_UNITS, *(f"{s} {u}" for s, u in itertools.product(units._SCALES, units._OWN_UNITS))]
    registry = units._registry()
    for a, b in itertools.product(forms, units._OWN_UNITS):
        if units._own_factor(a)[1] != b:
            with pytest.raises(UnitError, match="cannot convert"):
                units.conversion_factor(a, b)
            continue
        expected = float(registry.Quantity(1.0, registry.parse_units(a)).to(registry.parse_units(b)).magnitude)
        assert units.conversion_factor(a, b) == expected, (a, b)
    # by hand: the scale words' factors
    assert units.conversion_factor("thousand person", "person") == 1000.0
    assert units.conversion_factor("billion USD", "USD") == 1e9
    # not the registry-free form: still parsed by pint (an alias, a spacing, a scale on the target)
    assert units.conversion_factor("thousand persons", "person") == 1000.0
    assert units.conversion_factor("person", "thousand person") == 0.001
    assert units._own_factor("thousand  person") is None and units._own_factor("thousands person") is None


def test_flows_from_a_warm_table_cache_need_no_pint(cache):
    code = ("import sys; from migstats.flows import global_flows; "
            "global_flows('2015-2020', method='sd_drop_neg'); print('pint' in sys.modules)")
    env = {**__import__("os").environ, "MIGSTATS_CACHE": str(cache.parent)}
    for expected in ("False", "False"):  # cold cache (validation of migstats' own units needs no pint), then warm
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == expected
    assert len(list(cache.glob("*.table"))) == 3
