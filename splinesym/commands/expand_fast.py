"""The fast paths of ``splinesym expand``: ``--numeric`` (sampled census) and the incremental,
resumable, parallel exact expansion (``--incremental``, ``--state``, ``--resume``, ``--jobs``,
``--scheduler``). Not a command of its own (not listed in ``COMMANDS``).

Exit status: 0 complete, 2 bad input or options, 3 a budget stopped the expansion (the finished
cells are written, labelled incomplete, the rest listed by region, the state saved).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from ..errors import InvalidInputError


def _model_and_state(args: argparse.Namespace):
    from ..io.model_io import default_model, read_model
    from ..nn.model import model_from_dict, model_to_dict
    from ..numeric.state import read_state

    model = read_model(args.model, drop_layernorm=args.drop_layernorm) if args.model else None
    if args.resume:
        st = read_state(args.resume)
        saved = model_from_dict(st.model)
        if model is not None and model_to_dict(model) != model_to_dict(saved):
            raise InvalidInputError("the state file was made for another model", "model",
                                    args.resume)
        return saved, st, f"state: {args.resume}"
    if model is None:
        return default_model(), None, "model: built-in default"
    return model, None, f"model: {args.model}"


def _check(args: argparse.Namespace) -> None:
    from ..numeric.options import check_parallel_options, positive_int

    check_parallel_options(args)
    if args.time_limit is not None and not args.time_limit > 0:
        raise InvalidInputError(f"must be positive, got {args.time_limit!r}", "--time-limit")
    if args.max_cells is not None:
        positive_int(args.max_cells, "--max-cells")
    if args.numeric and (args.resume or args.state or args.incremental):
        raise InvalidInputError("--numeric (a sampled census) cannot be combined with the "
                                "incremental expansion options", "--numeric")


def run_fast(args: argparse.Namespace) -> int:
    _check(args)
    model, st, title = _model_and_state(args)
    if args.numeric:
        from .cells import run_census

        text = run_census(args, model, args.model or "built-in default")
        _emit(args, text)
        return 0
    sp, st = _expand(args, model, st)
    state_path = args.state or (f"{args.out}.state" if args.out and not st.complete else None)
    if state_path:
        from ..numeric.state import write_state

        write_state(st, state_path)
    if args.format == "json":
        from ..io.spline_io import spline_to_dict

        d = spline_to_dict(sp)
        d["stats"] = sp.stats
        text = json.dumps(d, indent=1) + "\n"
    elif args.format == "latex":
        from ..display import spline_latex

        text = spline_latex(sp) + "\n"
    else:
        from ..display import spline_text

        text = spline_text(sp, title) + "\n"
    _emit(args, text)
    if not st.complete:
        where = state_path or "(no state written: give --state FILE or --out FILE)"
        print(f"splinesym expand: stopped ({st.stopped}); {len(st.finished)} finished cell(s) "
              f"written, {len(st.pending)} region(s) pending; resume with --resume {where}",
              file=sys.stderr)
        return 3
    return 0


def _emit(args: argparse.Namespace, text: str) -> None:
    from ..io.jsonio import write_atomic

    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")


def _expand(args: argparse.Namespace, model, st):
    from ..nn.expand import attained_degree, structural_degree
    from ..numeric.incremental import expand_incremental
    from ..numeric.state import state_spline

    t0 = time.monotonic()
    try:
        st = expand_incremental(model, state=st, time_limit=args.time_limit,
                                max_cells=args.max_cells, solver_timeout=args.solver_timeout,
                                jobs=args.jobs, scheduler=args.scheduler)
    except InvalidInputError as exc:
        raise exc.located(source=args.model or args.resume) from None
    sp = state_spline(st, model, merge=not args.no_merge)
    sp.stats = {"method": "incremental (depth first, cell by cell)",
                "patterns_examined": st.patterns, "units_processed": st.units_processed,
                "decisions": dict(sorted(st.decisions.items())),
                "finished_cells": len(st.finished), "pending_regions": len(st.pending),
                "structural_degree": structural_degree(model),
                "attained_degree": attained_degree(sp, model)}
    print(f"splinesym expand: {time.monotonic() - t0:.2f} s", file=sys.stderr)
    return sp, st
