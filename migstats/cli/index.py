"""`migstats index ...`: composite indices."""

from __future__ import annotations

import time

from ._common import positive_int, print_table, table_path, write_table


def _spec(text: str):
    """A spec path, or ``exposure`` for the bundled migration and remittance exposure index."""
    from pathlib import Path

    from ..composite import exposure_spec_path, load_spec

    path = Path(text)
    if text == "exposure" and not path.exists():
        path = exposure_spec_path()
    return load_spec(path)


def _emit(frame, args, what: str, spec) -> None:
    """Write ``frame`` to ``--out`` (csv or parquet, atomically), or print it in ``--format``."""
    out = table_path(args.out, make_folder=True)
    if out is None:
        print_table(frame, args.format)
        return
    # what the table was built from, for the provenance file written beside it
    frame.attrs = {"index": spec.title, "spec": str(spec.path), "choices": spec.choices, **frame.attrs}
    write_table(frame, out)
    print(f"wrote {out}: {what}")


def _cmd_build(args) -> int:
    from ..composite import build

    spec = _spec(args.spec)
    result = build(spec.data, spec.framework, **spec.choices)
    if args.stage:
        if args.stage not in result.stages:
            from ..errors import UnknownNameError

            raise UnknownNameError(f"unknown stage {args.stage!r}; choose from {', '.join(result.stages)}")
        frame = result.stages[args.stage].reset_index()
    else:
        frame = result.results()
    removed = f", {len(result.removed)} screened out" if result.removed else ""
    _emit(frame, args, f"{spec.title}, {len(result.stages['Aggregated'])} units{removed}", spec)
    return 0


def _uncertain(spec, args) -> dict:
    kw = {k: v for k, v in spec.uncertainty.items() if k not in ("draws", "seed")}
    for key in ("winmax_range",):
        if key in kw:
            kw[key] = tuple(kw[key])
    return kw


def _cmd_uncertainty(args) -> int:
    from ..composite import uncertainty

    spec = _spec(args.spec)
    draws = args.draws if args.draws is not None else spec.uncertainty.get("draws", 1000)
    seed = args.seed if args.seed is not None else spec.uncertainty.get("seed", 0)
    start = time.perf_counter()
    run = uncertainty(spec.data, spec.framework, draws=draws, seed=seed, executor=args.executor,
                      progress=args.progress, **_uncertain(spec, args), **spec.choices)
    seconds = time.perf_counter() - start
    frame = run.summary() if not args.all_draws else run.ranks.reset_index()
    _emit(frame, args, f"{spec.title}, {run.ranks.shape[1]} units, {draws} draws (seed {seed}) in {seconds:.1f} s",
          spec)
    return 0


def _cmd_sensitivity(args) -> int:
    from ..composite import sensitivity

    spec = _spec(args.spec)
    seed = args.seed if args.seed is not None else spec.uncertainty.get("seed", 0)
    start = time.perf_counter()
    table = sensitivity(spec.data, spec.framework, samples=args.samples, seed=seed, executor=args.executor,
                        progress=args.progress, **_uncertain(spec, args), **spec.choices)
    seconds = time.perf_counter() - start
    _emit(table, args, f"{spec.title}, {table.attrs['runs']} builds (seed {seed}) in {seconds:.1f} s", spec)
    return 0


def register(sub, command, common) -> None:
    """Add this command group to the ``migstats`` parser.

    ``sub`` is the top-level subparsers object; ``command(name, func, help, table=True)``
    adds a subcommand with the shared ``--debug`` (and ``--format`` when ``table``);
    ``common`` is the parent parser holding ``--debug``, for nested subcommands.
    """
    from .._format import FORMATS

    group = sub.add_parser("index", help="composite indices: build one from a spec, and how much its ranks move",
                           parents=[common])
    nested = group.add_subparsers(dest="index_command", metavar="COMMAND", required=True)

    def nested_command(name, func, help):
        p = nested.add_parser(name, help=help, parents=[common])
        p.add_argument("spec", metavar="SPEC.toml",
                       help="index spec (TOML); 'exposure' for the bundled migration and remittance exposure index")
        p.add_argument("--out", metavar="FILE", help="write the table here, .csv or .parquet (atomically), instead of printing")
        p.add_argument("--format", choices=FORMATS, default="table", help="output format when printing (default table)")
        p.set_defaults(func=func)
        return p

    def parallel(p):
        p.add_argument("--seed", type=int, help="random seed (default: the spec's, else 0)")
        p.add_argument("--executor", choices=("sequential", "process"), default="sequential",
                       help="run the builds here or in a local process pool (same results)")
        bar = p.add_mutually_exclusive_group()
        bar.add_argument("--progress", action="store_true", default=None, help="always show a progress bar")
        bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show one")

    p = nested_command("build", _cmd_build, "build the index: rank, index, aggregates and indicator scores per unit")
    # stage names are checked when the command runs: importing migstats.composite here would load pandas
    p.add_argument("--stage", metavar="STAGE", help="write this stage's table instead of the results "
                   "(Raw, Denominated, Imputed, Screened, Treated, Normalised or Aggregated)")
    p = nested_command("uncertainty", _cmd_uncertainty,
                       "rebuild over random draws of the spec's [uncertainty] choices: nominal, median, 5-95 %% ranks")
    p.add_argument("--draws", type=positive_int, help="number of draws (default: the spec's, else 1000)")
    p.add_argument("--all-draws", action="store_true", help="write every draw's ranks instead of the summary")
    parallel(p)
    p = nested_command("sensitivity", _cmd_sensitivity,
                       "first-order and total sensitivity indices of the mean absolute rank shift")
    p.add_argument("--samples", type=positive_int, default=200, help="rows of each Saltelli sample (default 200)")
    parallel(p)
