"""The ``cxviz`` command: parses arguments and calls the public API, nothing more.

Exit codes: 0 success, 1 invalid input (a spec with errors, or a diagram that
could not be drawn), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__, api

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
SPEC_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A command line that cannot be carried out as written."""


# -- inputs and outputs -----------------------------------------------------------

def expand_inputs(paths: list[str]) -> list[tuple[str, Path | None]]:
    """Spec files named on the command line, folders searched for ``*.yaml``.

    Each entry is (path as given or found, the folder argument it was found
    under, if any), so outputs can mirror the folder tree.
    """
    found: list[tuple[str, Path | None]] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())
            if not files:
                raise UsageError(f"{raw}: no .yaml or .yml spec files in this folder")
            found.extend((str(p), path) for p in files)
        else:
            found.append((raw, None))
    return found


def output_path(spec_path: str, folder: Path | None, out: str | None, suffix: str, many: bool) -> str:
    """Where one spec's output goes; ``-`` is standard output."""
    if out == "-":
        return "-"
    if out is None:
        if spec_path == "-":
            return "-"
        return str(Path(spec_path).with_suffix(suffix))
    target = Path(out)
    if many or target.is_dir() or out.endswith(("/", os.sep)):
        if spec_path == "-":
            return str(target / f"stdin{suffix}")
        relative = Path(spec_path).relative_to(folder) if folder is not None else Path(Path(spec_path).name)
        return str(target / relative.with_suffix(suffix))
    return out


# -- reporting ---------------------------------------------------------------------

def diagnostic_text(diagnostics, error_format: str) -> str:
    """Diagnostics as printed: one JSON object a line, or compiler-style text with excerpts."""
    if error_format == "json":
        return "\n".join(json.dumps(d.as_dict(), ensure_ascii=False) for d in diagnostics)
    return api.format_diagnostics(list(diagnostics))


def print_diagnostics(diagnostics, error_format: str) -> None:
    """Print diagnostics on stderr in the command's --error-format."""
    if diagnostics:
        print(diagnostic_text(diagnostics, error_format), file=sys.stderr)


def notice(args, severity: str, message: str, *, field: str = "", file: str = "") -> None:
    """Print one error or warning that no spec line carries, in the command's --error-format.

    As text: ``cxviz: warning: --lang: message``; as JSON, the shape of every
    other diagnostic, with line and column 0.
    """
    if getattr(args, "error_format", "text") == "json":
        diagnostic = api.Diagnostic(api.Severity(severity), file, 0, 0, field, message)
        print(diagnostic_text([diagnostic], "json"), file=sys.stderr)
        return
    where = f"{file}: " if file else ""
    subject = f"{field}: " if field else ""
    print(api.printable(f"cxviz: {severity}: {where}{subject}{message}"), file=sys.stderr)


def check_language(args) -> bool:
    """Warn when --lang has no built-in words; False when --strict makes that a failure."""
    lang = getattr(args, "lang", None)
    message = api.language_warning(lang) if lang else None
    if message is None:
        return True
    notice(args, "warning", message, field="--lang")
    return not getattr(args, "strict", False)


def quiet(args) -> bool:
    """Whether lines saying what was written are left out: -q, or JSON on stderr."""
    return getattr(args, "quiet", False) or getattr(args, "error_format", "text") == "json"


def report_written(args, what: str, target: str) -> None:
    """Say that ``what`` was written to ``target``, as ``render`` does for each spec."""
    if target != "-" and not quiet(args):
        print(f"cxviz: {what} -> {target}", file=sys.stderr)


def access_from(args):
    """The file access the command line allows (see cxviz.access)."""
    root = Path(args.root).resolve() if getattr(args, "root", None) else None
    return api.FileAccess(root=root, allow_outside=getattr(args, "allow_outside_root", False),
                      allow_remote=getattr(args, "allow_remote", False))


def _limit(value: str) -> tuple[str, float]:
    import dataclasses

    names = [f.name for f in dataclasses.fields(api.Limits)]
    name, _, number = value.partition("=")
    name = name.strip().replace("-", "_")
    if name not in names:
        raise argparse.ArgumentTypeError(f"unknown limit {name!r} (must be one of {', '.join(names)})")
    try:
        amount = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: the limit needs a number, as in {name}=5000") from None
    if not 0 < amount <= 1e12:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{value!r}: a limit must be above zero and at most 1e12")
    return name, amount


def limits_from(args):
    """The limits given with --limit, over the defaults."""
    values = {}
    for name, amount in getattr(args, "limit", None) or ():
        values[name] = amount if name == "layout_seconds" else int(amount)
    return api.Limits(**values)


def load_all(inputs, args):
    """Load and validate every input; returns [(spec or None, path, folder)] and whether all passed."""
    error_format, strict = args.error_format, args.strict
    access = access_from(args)
    limits = limits_from(args)
    loaded = []
    ok = True
    for raw, folder in inputs:
        try:
            spec = api.load(raw, access=access, limits=limits)
        except api.SpecError as exc:
            print_diagnostics(exc.diagnostics, error_format)
            loaded.append((None, raw, folder))
            ok = False
            continue
        print_diagnostics(spec.warnings, error_format)
        if strict and spec.warnings:
            ok = False
            loaded.append((None, raw, folder))
            continue
        loaded.append((spec, raw, folder))
    return loaded, ok


class Progress:
    """A progress bar on a terminal; one plain line per file in CI logs and pipes."""

    def __init__(self, total: int, quiet: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.quiet = quiet
        self.bar = (not quiet and total > 1 and hasattr(self.stream, "isatty") and self.stream.isatty()
                    and not os.environ.get("CI"))

    def _draw(self, label: str) -> None:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        label = label if len(label) <= 40 else "…" + label[-39:]
        self.stream.write(f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label}")
        self.stream.flush()

    def log(self, text: str) -> None:
        """Print a message (diagnostics) without breaking the bar."""
        if self.bar:
            self.stream.write("\r\033[K")
        print(text, file=self.stream)
        if self.bar:
            self._draw("")

    def step(self, line: str, label: str) -> None:
        """One job finished; ``line`` is what a log shows for it."""
        self.done += 1
        if self.bar:
            self._draw(label)
        elif not self.quiet and line:
            print(line, file=self.stream)

    def close(self) -> None:
        if self.bar:
            self.stream.write("\r\033[K")
            self.stream.flush()


# -- commands ----------------------------------------------------------------------

def cmd_validate(args) -> int:
    inputs = expand_inputs(args.paths)
    loaded, ok = load_all(inputs, args)
    valid = sum(1 for spec, _, _ in loaded if spec is not None)
    if args.error_format == "text":
        print(f"cxviz: {valid} of {len(loaded)} specs valid", file=sys.stderr)
    return EXIT_OK if ok else EXIT_INVALID


def _diff_names(raw: str) -> tuple[str, str]:
    """The names a unified diff gives the spec before and after: a/ and b/ paths, as git writes them."""
    if raw == "-":
        return "<stdin>", "<stdin>"
    if Path(raw).is_absolute():
        return raw, raw
    return f"a/{raw}", f"b/{raw}"


def cmd_fmt(args) -> int:
    import difflib

    inputs = expand_inputs(args.paths)
    ok, changed = True, []
    for raw, _folder in inputs:
        name = "<stdin>" if raw == "-" else raw
        if raw != "-" and Path(raw).is_symlink():
            # A link out of its folder is refused as load refuses it; check() reports only that then.
            refused = [d for d in api.check(raw) if d.is_error and d.line == 0]
            if refused:
                print_diagnostics(refused, "text")
                ok = False
                continue
        try:
            data = sys.stdin.buffer.read() if raw == "-" else Path(raw).read_bytes()
        except OSError:
            print_diagnostics(api.check(raw), "text")  # says why, as every command does
            ok = False
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            print_diagnostics(api.check(raw) if raw != "-" else [], "text")
            if raw == "-":
                notice(args, "error", "is not valid UTF-8; save it as UTF-8", file=name)
            ok = False
            continue
        base_dir = None if raw == "-" else Path(raw).resolve().parent
        try:
            formatted = api.format_spec(text, name, base_dir=base_dir)
        except api.SpecError as exc:
            print_diagnostics(exc.diagnostics, "text")
            ok = False
            continue
        if raw == "-" and not (args.check or args.diff):
            sys.stdout.write(formatted)
        if formatted == text:
            continue
        changed.append(name)
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(keepends=True), formatted.splitlines(keepends=True), *_diff_names(raw)))
        if args.check:
            print(name)
        elif not args.diff and raw != "-":
            api.write_output(raw, formatted)
            if not args.quiet:
                print(f"cxviz: reformatted {raw}", file=sys.stderr)
    if not args.quiet and (len(inputs) > 1 or args.check):
        verb = "would be reformatted" if args.check or args.diff else "reformatted"
        print(f"cxviz: {len(changed)} of {len(inputs)} specs {verb}", file=sys.stderr)
    if not ok or (args.check and changed):
        return EXIT_INVALID
    return EXIT_OK


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in ("svg", "png", "dot", "pdf")]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {unknown[0] if unknown else value!r} "
            "(must be svg, png, dot or pdf, or several: svg,png)"
        )
    return formats


def _png_number(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        example = "--scale 2" if what == "scale" else "--dpi 192"
        raise argparse.ArgumentTypeError(f"{value!r}: the {what} must be a number, as in {example}") from None
    try:
        api.Options(**{what: number})
    except api.OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return number


def _scale(value: str) -> float:
    return _png_number(value, "scale")


def _dpi(value: str) -> float:
    return _png_number(value, "dpi")


def cmd_render(args) -> int:
    formats = args.format
    if (args.scale is not None or args.dpi is not None) and "png" not in formats:
        raise UsageError("--scale and --dpi size PNG images; add --format png")
    inputs = expand_inputs(args.paths)
    many = len(inputs) > 1 or any(folder is not None for _, folder in inputs)
    if args.output == "-" and (many or len(formats) > 1):
        raise UsageError("-o - writes one diagram to standard output; name a folder for several")
    if args.output and args.output != "-" and len(formats) > 1 and not many and Path(args.output).suffix:
        raise UsageError(f"{args.output}: several formats need a folder, not a file name")
    resolved_inputs = {Path(raw).resolve() for raw, _ in inputs if raw != "-"}
    targets = []
    for raw, folder in inputs:
        outputs = {fmt: output_path(raw, folder, args.output, "." + fmt, many or len(formats) > 1)
                   for fmt in formats}
        for target in outputs.values():
            if target != "-" and Path(target).resolve() in resolved_inputs:
                raise UsageError(f"{target}: refusing to write over an input spec")
        targets.append(outputs)
    options = api.Options(
        lang=args.lang, embed_font=not args.no_embed_font, scale=args.scale, dpi=args.dpi, paper=args.paper,
        orientation=args.orientation, min_text_pt=args.min_text, blank=args.blank, tile=args.tile,
        limits=limits_from(args),
        templates=str(Path(args.templates).resolve()) if args.templates else None, locale_dir=args.locale_dir)
    if not check_language(args):
        return EXIT_INVALID
    cache = False if args.no_cache else (args.cache_dir or True)
    silent = quiet(args)
    progress = Progress(len(inputs), quiet=silent)
    counts = {"written": 0, "cached": 0, "failed": 0}

    def report(result: api.FileResult) -> None:
        if result.diagnostics:
            progress.log(diagnostic_text(result.diagnostics, args.error_format))
        for failure in result.failures:
            problem = api.Diagnostic(api.Severity.ERROR, result.source, 0, 0, "", str(failure))
            progress.log(diagnostic_text([problem], args.error_format))
            counts["failed"] += 1
        if not result.valid:
            counts["failed"] += 1
        counts["cached" if result.cached else "written"] += bool(result.written)
        files = [target for target in result.written if target != "-"]
        note = " (cached)" if result.cached else ""
        progress.step(f"{result.source} -> {', '.join(files)}{note}" if files else "", result.source)

    api.render_files([raw for raw, _ in inputs], formats, targets=targets, options=options,
                     access=access_from(args), strict=args.strict, cache=cache, jobs=args.jobs, on_result=report)
    progress.close()
    if not silent and len(inputs) > 1:
        rendered = counts["written"] + counts["cached"]
        print(f"cxviz: rendered {rendered} of {len(inputs)} specs ({counts['cached']} from the cache)",
              file=sys.stderr)
    return EXIT_OK if counts["failed"] == 0 else EXIT_INVALID


def _check_paper(value: str) -> str:
    try:
        api.Options(paper=value)
    except api.OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _paper_names() -> str:
    return _one_of(api.papers())


def _check_locale_dir(value: str) -> str:
    try:
        api.Options(locale_dir=value)
    except api.OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("locale_dir: ")) from None
    return value


def _min_text(value: str) -> float:
    try:
        size = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size in points") from None
    try:
        api.Options(min_text_pt=size)
    except api.OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return size


def _check_templates(value: str) -> str:
    if not Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value}: not a folder of templates")
    return value


def cmd_canvas(args) -> int:
    stages: list[str] | int | None = None
    if args.stages:
        stages = int(args.stages) if args.stages.isdigit() else [s.strip() for s in args.stages.split(",") if s.strip()]
    lanes = [lane.strip() for lane in args.lanes.split(",")] if args.lanes else None
    if not check_language(args):
        return EXIT_INVALID
    with api.noting_missing_words() as missed:
        data = api.render_blank(args.kind, lang=args.lang, paper=args.paper, orientation=args.orientation,
                                title=args.title, stages=stages, lanes=lanes, templates=args.templates, tile=args.tile)
    for word in missed:
        notice(args, "warning", word.message, field="--lang")
    target = args.output or f"{args.kind}-canvas.pdf"
    api.write_output(target, data)
    report_written(args, f"{args.kind} canvas", target)
    return EXIT_OK


def cmd_pack(args) -> int:
    inputs = expand_inputs(args.paths)
    if not check_language(args):
        return EXIT_INVALID
    loaded, ok = load_all(inputs, args)
    specs = [spec for spec, _, _ in loaded if spec is not None]
    if not ok:
        if args.error_format == "text":
            print("cxviz: the pack was not written because some specs have errors", file=sys.stderr)
        return EXIT_INVALID
    warned = [len(spec.warnings) for spec in specs]
    data = api.render_pack(specs, blank=args.blank, title=args.title, lang=args.lang, paper=args.paper,
                           templates=args.templates, min_text_pt=args.min_text)
    # Warnings found while printing: a canvas whose body text prints below the floor.
    printing = [warning for spec, before in zip(specs, warned) for warning in spec.warnings[before:]]
    print_diagnostics(printing, args.error_format)
    if args.strict and printing:
        if args.error_format == "text":
            print("cxviz: the pack was not written because some canvases have warnings", file=sys.stderr)
        return EXIT_INVALID
    api.write_output(args.output, data)
    report_written(args, f"{len(specs)} spec{'' if len(specs) == 1 else 's'}", args.output)
    return EXIT_OK


def cmd_init(args) -> int:
    target = args.output or "-"
    if target != "-" and Path(target).exists() and not args.force:
        raise UsageError(f"{target} already exists; pass --force to replace it")
    if not check_language(args):
        return EXIT_INVALID
    api.write_output(target, api.starter(args.kind, args.lang))
    report_written(args, f"{args.kind} starter spec", target)
    return EXIT_OK


def cmd_import(args) -> int:
    words = args.file
    if len(words) == 2 and words[0].lower() in ("csv", "xlsx"):
        fmt, source = words[0].lower(), words[1]
    elif len(words) == 1:
        fmt, source = None, words[0]
    else:
        raise UsageError("name one sheet: cxviz import [csv|xlsx] FILE --kind KIND")
    target = args.output or "-"
    if target != "-":
        if Path(target).resolve() == Path(source).resolve():
            raise UsageError(f"{target}: refusing to write over the sheet being imported")
        if Path(target).exists() and not args.force:
            raise UsageError(f"{target} already exists; pass --force to replace it")
    if not check_language(args):
        return EXIT_INVALID
    try:
        warnings: list = []
        text = api.import_notes(source, args.kind, title=args.title, lang=args.lang, format=fmt,
                                on_warning=warnings.append)
    except api.SpecError as exc:
        print_diagnostics(exc.diagnostics, args.error_format)
        return EXIT_INVALID
    if warnings:
        print_diagnostics(warnings, args.error_format)
    api.write_output(target, text)
    report_written(args, f"{args.kind} spec from {source}", target)
    return EXIT_OK


def cmd_schema(args) -> int:
    text = api.reference(args.kind) if args.markdown else api.schema(args.kind)
    target = args.output or "-"
    api.write_output(target, text)
    report_written(args, f"{args.kind} {'field reference' if args.markdown else 'JSON Schema'}", target)
    return EXIT_OK


def cmd_export(args) -> int:
    raw = args.path
    target = "-" if args.output is None else output_path(raw, None, args.output, ".mmd", False)
    if target != "-" and raw != "-" and Path(target).resolve() == Path(raw).resolve():
        raise UsageError(f"{target}: refusing to write over the spec being exported")
    [(spec, _, _)], ok = load_all([(raw, None)], args)
    if not ok:
        return EXIT_INVALID
    try:
        text = api.export_mermaid(spec)
    except api.OptionError as exc:
        notice(args, "error", str(exc), file=raw)
        return EXIT_USAGE
    api.write_output(target, text)
    report_written(args, f"{'standard input' if raw == '-' else raw} as Mermaid", target)
    return EXIT_OK


def _spec_text(raw: str) -> str | None:
    """A spec file's text, or None after printing why it cannot be read."""
    try:
        return Path(raw).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        print_diagnostics(api.check(raw), "text")  # says why, as every command does
        return None


def cmd_diff(args) -> int:
    git_path = getattr(args, "git_path", None)
    if git_path is None:
        if len(args.versions) != 2:
            raise UsageError("compare two files (cxviz diff OLD NEW) or a file with git (cxviz diff REV [REV] -- PATH)")
        old_name, name = args.versions
        old_text, new_text = _spec_text(old_name), _spec_text(name)
        base_dir = Path(args.base_dir) if args.base_dir else Path(name).resolve().parent
    else:
        if len(args.versions) not in (1, 2):
            raise UsageError("name one or two revisions before --, as in cxviz diff HEAD -- journey.yaml")
        old_rev = args.versions[0]
        name = git_path
        old_name = f"{old_rev}:{git_path}"
        old_text = api.read_revision(old_rev, git_path)
        if len(args.versions) == 2:
            name = f"{args.versions[1]}:{git_path}"
            new_text = api.read_revision(args.versions[1], git_path)
        else:
            new_text = _spec_text(git_path)
        base_dir = Path(args.base_dir) if args.base_dir else Path(git_path).resolve().parent
    output = getattr(args, "output", None)
    drawn = "svg" if output is None or output == "-" else Path(output).suffix.lower().lstrip(".")
    if drawn not in ("svg", "png", "pdf"):
        raise UsageError(f"{output}: cxviz diff -o draws an SVG, PNG or PDF (name the file .svg, .png or .pdf, "
                         "or - for an SVG on standard output)")
    if old_text is None or new_text is None:
        return EXIT_INVALID
    try:
        old_spec = api.loads(old_text, name=old_name, base_dir=base_dir, access=access_from(args))
        new_spec = api.loads(new_text, name=name, base_dir=base_dir, access=access_from(args))
    except api.SpecError as exc:
        print_diagnostics(exc.diagnostics, args.error_format)
        return EXIT_INVALID
    changes = api.diff_specs(old_spec, new_spec)
    shown = args.label or git_path or name
    if output is not None:
        try:
            drawing = api.mark_changes(new_spec, changes, old_spec=old_spec, format=drawn,
                                       scale=args.scale, dpi=args.dpi)
        except api.RenderError as exc:
            notice(args, "error", str(exc), file=name)
            return EXIT_INVALID
        api.write_output(output, drawing)
        report_written(args, "the changes", output)
        if output == "-":
            return EXIT_INVALID if changes else EXIT_OK
    if args.format == "json":
        print(json.dumps([change.as_dict() for change in changes], ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(api.format_changes(changes, shown))
    return EXIT_INVALID if changes else EXIT_OK


def cmd_outline(args) -> int:
    text = _spec_text(args.path)
    if text is None:
        return EXIT_OK if args.textconv else EXIT_INVALID
    folders = [Path(args.base_dir)] if args.base_dir else [Path(args.path).resolve().parent]
    if args.textconv and not args.base_dir:
        # An old version arrives as a copy elsewhere: the files it names sit beside the tracked file.
        folders += api.tracked_folders(Path(args.path).name)
    exc = None
    for folder in dict.fromkeys(folders):
        try:
            outline = api.outline_spec(api.loads(text, name=args.path, base_dir=folder, access=access_from(args)))
            break
        except (api.SpecError, api.RenderError) as error:
            exc = exc or error  # the spec's own folder says best what is wrong
    else:
        if not args.textconv:
            if isinstance(exc, api.SpecError):
                print_diagnostics(exc.diagnostics, args.error_format)
            else:
                notice(args, "error", str(exc), file=args.path)
            return EXIT_INVALID
        # git's textconv must not fail, or no diff shows at all: the version is shown as written.
        first = exc.diagnostics[0].message if isinstance(exc, api.SpecError) and exc.diagnostics else str(exc)
        sys.stdout.write(f"# cxviz outline: this version has errors ({api.printable(first)}); as written:\n{text}")
        return EXIT_OK
    sys.stdout.write(outline)
    return EXIT_OK


def cmd_serve(args) -> int:
    if not check_language(args):
        return EXIT_INVALID
    options = api.Options(lang=args.lang, locale_dir=args.locale_dir)
    live = api.preview(args.path, port=args.port, options=options, interval=args.interval).start()
    try:
        print(f"cxviz serve: {live.url}  (Ctrl-C stops)", file=sys.stderr, flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(live.url)
        live.wait()
    except KeyboardInterrupt:
        print("cxviz serve: stopped", file=sys.stderr)
    finally:
        live.stop()
    return EXIT_OK


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0 to 65535; 0 picks a free one)")
    return int(value)


def cmd_kinds(args) -> int:
    for kind in api.kinds():
        print(f"{kind.name:<10} {kind.summary}")
    return EXIT_OK


# -- argument parsing -------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _kind_choice(value: str) -> str:
    # Installed plugins are looked for only here, when a kind is named: listing them costs a start-up.
    names = api.kind_names(discover=value not in api.kind_names())
    if value not in names:
        raise argparse.ArgumentTypeError(f"unknown kind {value!r} (must be one of {', '.join(names)})")
    return value


def _language(value: str) -> str:
    try:
        api.language_warning(value)  # warned about later, once the output format is known
    except api.OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _one_of(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    # Listed from the registry, the paper table and the locale folder, so that --help never goes stale.
    kind_list, paper_list = _one_of(api.kind_names()), _paper_names()
    languages = _one_of(api.languages())
    parser = _Parser(
        prog="cxviz",
        description="Customer-experience diagrams as code: YAML specs to SVG, PNG and printable PDF canvases.",
        epilog=f"kinds: {kind_list}\nlanguages: {languages} (another uses English words, with a warning)\n"
        f"papers: {paper_list}\n\n"
        "examples:\n  cxviz render samples -o build/\n  cxviz validate journey.yaml\n"
        "  cxviz init journey --lang id -o journey.yaml",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"cxviz {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def add_print_options(sub, orientation=True):
        sub.add_argument("--paper", type=_check_paper, metavar="SIZE",
                         help=f"{paper_list} (default: the kind's, A3 or A4)")
        if orientation:
            sub.add_argument("--orientation", choices=("landscape", "portrait"),
                             help="default: whichever prints the diagram larger")
        sub.add_argument("--templates", type=_check_templates, metavar="DIR",
                         help="a folder of canvas templates used before the built-in ones")
        if orientation:
            sub.add_argument("--tile", type=_check_paper, metavar="SIZE",
                             help="print across sheets of this paper, with overlap, cut marks and a sheet map "
                             f"({paper_list})")

    def add_min_text(sub):
        sub.add_argument("--min-text", type=_min_text, default=7.0, metavar="PT",
                         help="the smallest size body text prints at (default 7): a long journey takes more "
                         "pages, a large diagram a larger sheet (up to A0); below it on the --paper given, "
                         "a warning (an error with --strict)")

    def add_locale_dir(sub):
        sub.add_argument("--locale-dir", type=_check_locale_dir, metavar="DIR",
                         help="a folder of your own words: xx.yaml files laid out as cxviz/locales/*.yaml with "
                         "each kind's sections added; adds languages or changes single words "
                         "(default: $CXVIZ_LOCALE_DIR)")

    def add_strict(sub, consequence=""):
        sub.add_argument("--strict", action="store_true",
                         help="treat warnings as errors" + (f": {consequence}" if consequence else ""))

    def add_quiet(sub, help="do not say which file was written"):
        sub.add_argument("-q", "--quiet", action="store_true", help=help)

    def add_kind(sub):
        sub.add_argument("kind", type=_kind_choice, metavar="KIND", help=f"the diagram kind: {kind_list}")

    def add_resolution(sub, when):
        resolution = sub.add_mutually_exclusive_group()
        resolution.add_argument("--scale", type=_scale, metavar="FACTOR",
                                help=f"{when}: size relative to the SVG, 1 being 96 dpi (default 2; from 0.25 to 12.5)")
        resolution.add_argument("--dpi", type=_dpi, metavar="DPI",
                                help=f"{when}: resolution in dots per inch instead of --scale (from 24 to 1200)")

    def add_error_format(sub, help="how to print errors on stderr: text, or one JSON object per line"):
        sub.add_argument("--error-format", choices=("text", "json"), default="text", help=help)

    def add_diagnostic_options(sub, strict=""):
        add_error_format(sub, "how to print errors and warnings on stderr. json: one JSON object per line "
                         "for each (a diagram that could not be drawn too) and nothing else on stderr: "
                         "no line per written file, no summary; usage errors (exit 2) stay text")
        add_strict(sub, strict)
        sub.add_argument("--root", metavar="DIR",
                         help="files a spec refers to must be inside DIR (default: the spec's own folder)")
        sub.add_argument("--allow-outside-root", action="store_true",
                         help="also follow absolute paths, '..', links leading out and file:// references")
        sub.add_argument("--allow-remote", action="store_true",
                         help="also fetch http(s):// references (photos, persona specs)")
        sub.add_argument("--limit", type=_limit, action="append", metavar="NAME=VALUE",
                         help="raise or lower a limit, e.g. max_items=5000 or layout_seconds=60 "
                         "(see 'Security and limits' in the README)")

    validate = commands.add_parser(
        "validate", help="check specs and print every error and warning",
        description="Check specs and print every error and warning with its file, line and column.",
        epilog="example:\n  cxviz validate samples/\n  cat map.yaml | cxviz validate -",
        formatter_class=formatter,
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="spec files, folders of specs, or - for stdin")
    add_diagnostic_options(validate)
    add_locale_dir(validate)
    validate.set_defaults(run=cmd_validate)

    fmt = commands.add_parser(
        "fmt", help="put the keys of specs in the order the format declares, keeping comments",
        description="Format specs: every mapping's keys in the order the spec format declares them (the header "
        "first), level by level. Comments, blank lines, quotes and flow or block style stay as written; "
        "a spec with errors is not formatted. Without --check or --diff, files are rewritten in place.",
        epilog="examples:\n  cxviz fmt samples/\n  cxviz fmt --check diagrams/      # in CI: exit 1 if any "
        "would change\n  cxviz fmt --diff journey.yaml\n  cat map.yaml | cxviz fmt - > tidy.yaml",
        formatter_class=formatter,
    )
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="spec files, folders of specs, or - for stdin "
                     "(formatted to stdout)")
    fmt.add_argument("--check", action="store_true",
                     help="write nothing; list the specs that would change and exit 1 if any would")
    fmt.add_argument("--diff", action="store_true", help="write nothing; print the changes as a unified diff")
    add_quiet(fmt, "do not say which files were reformatted")
    fmt.set_defaults(run=cmd_fmt)

    render = commands.add_parser(
        "render", help="draw specs as SVG, PNG, PDF canvases, or Graphviz DOT",
        description="Validate specs and draw them. Without -o each output is written next to its spec.",
        epilog="examples:\n  cxviz render journey.yaml                 # writes journey.svg\n"
        "  cxviz render samples -o build/            # mirrors the folder\n"
        "  cxviz render flow.yaml -o - > flow.svg\n  cxviz render whys.yaml --format dot\n"
        "  cxviz render journey.yaml --format png    # twice the SVG's size\n"
        "  cxviz render samples -o build/ --format svg,png --dpi 300\n"
        "  cxviz render journey.yaml --format pdf --paper A3\n"
        "  cxviz render journey.yaml --format pdf --paper A0 --tile A4",
        formatter_class=formatter,
    )
    render.add_argument("paths", nargs="+", metavar="PATH", help="spec files, folders of specs, or - for stdin")
    render.add_argument("-o", "--output", metavar="OUT", help="output file, folder, or - for stdout")
    render.add_argument("--format", type=_formats, default=("svg",), metavar="FORMATS",
                        help="svg (default), png (an image for slides, chat and wikis), "
                        "dot (the Graphviz source), pdf (a printable canvas), or several: svg,png")
    add_resolution(render, "with --format png")
    render.add_argument("-j", "--jobs", type=int, metavar="N",
                        help="worker processes (default: one per core)")
    render.add_argument("--no-cache", action="store_true", help="render everything, ignoring the cache")
    render.add_argument("--cache-dir", metavar="DIR",
                        help="where cached outputs live (default ~/.cache/cxviz/renders; delete it to clear)")
    render.add_argument("--no-embed-font", action="store_true",
                        help="do not embed the font in SVGs (smaller files; the page must provide IBM Plex Sans Arabic)")
    render.add_argument("--lang", type=_language, metavar="LANG",
                        help=f"language of cxviz's own words (lane names, headings, legends): {languages}; "
                        "overrides each spec's lang: (another language uses English words, with a warning)")
    add_locale_dir(render)
    add_quiet(render, "print only errors and warnings, no line per file")
    add_print_options(render)
    add_min_text(render)
    render.add_argument("--blank", action="store_true",
                        help="with --format pdf: a blank canvas of the spec's kind, titled and staged like the spec")
    add_diagnostic_options(render, "a spec that warns is not drawn, an unknown --lang draws nothing (exit 1)")
    render.set_defaults(run=cmd_render)

    canvas = commands.add_parser(
        "canvas", help="print a blank canvas of a kind for a workshop",
        description="Write a blank canvas (PDF) with each area's guiding question, to fill with sticky notes.",
        epilog="examples:\n  cxviz canvas empathy --lang id --paper A1 -o empati.pdf\n"
        "  cxviz canvas journey --stages 'Discover,Order,Deliver,Cook' --lanes actions,emotions,pains\n"
        "  cxviz canvas journey --paper A0 --tile A4 -o wall.pdf",
        formatter_class=formatter,
    )
    add_kind(canvas)
    canvas.add_argument("--lang", type=_language, default="en", metavar="LANG",
                        help=f"language of the headings and questions: {languages} "
                        "(default en; another uses English words, with a warning)")
    add_locale_dir(canvas)
    canvas.add_argument("--title", help="the title printed in the header (default: the kind's name)")
    canvas.add_argument("--stages", metavar="N|NAMES", help="journey: a number of stages, or their names separated by commas")
    canvas.add_argument("--lanes", metavar="NAMES", help="journey: lanes to draw, e.g. actions,touchpoints,emotions,pains")
    canvas.add_argument("-o", "--output", metavar="FILE", help="PDF to write (default KIND-canvas.pdf; - for stdout)")
    add_print_options(canvas)
    add_strict(canvas, "an unknown --lang writes nothing (exit 1)")
    add_quiet(canvas)
    canvas.set_defaults(run=cmd_canvas)

    pack = commands.add_parser(
        "pack", help="put several canvases into one PDF with a cover page",
        description="Render several specs, filled or blank, into one PDF, each on its own sheet size.",
        epilog="examples:\n  cxviz pack samples/persona-dewi.yaml samples/journey-grocery.yaml -o pack.pdf\n"
        "  cxviz pack workshop/ --blank --paper A3 -o blank-pack.pdf",
        formatter_class=formatter,
    )
    pack.add_argument("paths", nargs="+", metavar="PATH", help="spec files or folders of specs")
    pack.add_argument("-o", "--output", required=True, metavar="FILE", help="PDF to write")
    pack.add_argument("--blank", action="store_true", help="blank canvases of each spec's kind instead of filled ones")
    pack.add_argument("--title", help="the cover's title (default: Workshop pack, in --lang)")
    pack.add_argument("--lang", type=_language, default="en", metavar="LANG",
                      help=f"language of the cover: {languages} (default en; another uses English words, "
                      "with a warning)")
    add_locale_dir(pack)
    add_quiet(pack, "print only errors and warnings, not which file was written")
    add_print_options(pack, orientation=False)
    add_min_text(pack)
    add_diagnostic_options(pack, "a spec that warns, or an unknown --lang, writes no pack (exit 1)")
    pack.set_defaults(run=cmd_pack)

    init = commands.add_parser(
        "init", help="print a commented starter spec",
        description="Write a commented starter spec for a kind.",
        epilog="examples:\n  cxviz init persona > rina.yaml\n  cxviz init empathy --lang ar -o empathy.yaml",
        formatter_class=formatter,
    )
    add_kind(init)
    init.add_argument("--lang", type=_language, default="en", metavar="LANG",
                      help=f"the language the spec asks for (its lang:): {languages} "
                      "(default en; another uses English words, with a warning)")
    add_locale_dir(init)
    init.add_argument("-o", "--output", metavar="FILE", help="file to write (default stdout)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    add_strict(init, "an unknown --lang writes nothing (exit 1)")
    add_quiet(init)
    init.set_defaults(run=cmd_init)

    importer = commands.add_parser(
        "import", help="turn a spreadsheet of sticky notes (CSV or XLSX) into a spec",
        description="Read sticky notes exported from a workshop board, one row a note, and write a spec "
        "that validates. The first row names the columns, in English, Indonesian, Arabic or Javanese "
        "(see 'Importing sticky notes' in the README).",
        epilog="examples:\n  cxviz import csv notes.csv --kind journey -o journey.yaml\n"
        "  cxviz import xlsx board.xlsx --kind empathy --title 'Omar sends money home'\n"
        "  cxviz import whys.csv --kind whys --lang id",
        formatter_class=formatter,
    )
    importer.add_argument("file", nargs="+", metavar="[csv|xlsx] FILE",
                          help="the sheet; csv or xlsx first when its name does not end so")
    importer.add_argument("--kind", required=True, type=_kind_choice, metavar="KIND",
                          help=f"the diagram the notes make: {kind_list}")
    importer.add_argument("-o", "--output", metavar="FILE", help="spec to write (default stdout)")
    importer.add_argument("--force", action="store_true", help="replace an existing file")
    importer.add_argument("--title", help="the spec's title (default: the sheet's file name)")
    importer.add_argument("--lang", type=_language, metavar="LANG",
                          help=f"the spec's lang: {languages} (default: the language of the header row, else en)")
    add_error_format(importer)
    add_quiet(importer)
    importer.set_defaults(run=cmd_import)

    exporter = commands.add_parser(
        "export", help="write a journey or user flow as Mermaid, for places that render only Mermaid",
        description="Write a journey or user-flow spec as Mermaid text (a journey diagram, or a flowchart), "
        "for wikis and code hosts that render Mermaid but not SVG files. The export is lossy: Mermaid has "
        "no place for a journey's other lanes, its persona card or a flow's legend ('Exporting to Mermaid' "
        "in the README lists what is lost). Other kinds are an error (exit 2).",
        epilog="examples:\n  cxviz export mermaid journey.yaml > journey.mmd\n"
        "  cxviz export mermaid samples/userflow-checkout.yaml -o docs/checkout.mmd",
        formatter_class=formatter,
    )
    exporter.add_argument("format", choices=("mermaid",), metavar="FORMAT", help="the language to write: mermaid")
    exporter.add_argument("path", metavar="SPEC", help="a journey or user-flow spec, or - for stdin")
    exporter.add_argument("-o", "--output", metavar="OUT",
                          help="file to write, or a folder for SPEC's name with .mmd (default stdout)")
    add_quiet(exporter)
    add_diagnostic_options(exporter, "a spec that warns writes nothing (exit 1)")
    exporter.set_defaults(run=cmd_export)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a kind, for editors",
        description="Print the JSON Schema of a kind's spec, for editor completion and checking.",
        epilog="example:\n  cxviz schema journey > journey.schema.json\n"
        "  # then in a spec:  # yaml-language-server: $schema=journey.schema.json",
        formatter_class=formatter,
    )
    add_kind(schema)
    schema.add_argument("-o", "--output", metavar="FILE", help="file to write (default stdout)")
    add_quiet(schema)
    schema.add_argument("--markdown", action="store_true",
                        help="print the field reference as Markdown instead of JSON Schema")
    schema.set_defaults(run=cmd_schema)

    differ = commands.add_parser(
        "diff", help="show what changed between two versions of a spec",
        description="Compare two versions of one spec thing by thing: stages, steps, pains, causes, nodes. "
        "Things are matched by their text and where they sit, so an inserted step is one addition. "
        "Exit 0 when nothing changed, 1 when something did (or a version has errors), 2 for a usage error "
        "(including an unknown git revision or a file not in it).",
        epilog="examples:\n  cxviz diff old/journey.yaml journey.yaml\n"
        "  cxviz diff HEAD -- journey.yaml            # the last commit against the working tree\n"
        "  cxviz diff main HEAD -- journey.yaml --format json\n"
        "  cxviz diff old/journey.yaml journey.yaml -o changes.svg   # the new version, changes marked\n"
        "  cxviz diff HEAD -- journey.yaml -o changes.png",
        formatter_class=formatter,
    )
    differ.add_argument("versions", nargs="+", metavar="OLD NEW | REV [REV]",
                        help="two spec files, or one or two git revisions followed by -- PATH")
    differ.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or a JSON list of changes")
    add_error_format(differ)
    differ.add_argument("-o", "--output", metavar="FILE",
                        help="also draw the new version with the changes marked, removed things as ghosts "
                        "and a legend: FILE.svg, FILE.png or FILE.pdf (- for an SVG on standard output, "
                        "which then holds only the SVG)")
    add_resolution(differ, "with -o FILE.png")
    differ.add_argument("--label", metavar="NAME",
                        help="the name the report gives the spec (git difftool: \"$MERGED\", not its temporary copy)")
    differ.add_argument("--base-dir", metavar="DIR",
                        help="find the files both versions name (a persona, photos) in DIR; by default the "
                        "new version's folder (git difftool hands over copies kept elsewhere)")
    differ.set_defaults(run=cmd_diff)

    outliner = commands.add_parser(
        "outline", help="print what a spec shows as an indented outline (a git textconv driver)",
        description="Print the things a spec shows, one a line, indented under their parent, text whole: "
        "stages, steps, pains, causes, nodes, then the connections between user-flow steps. A line diff "
        "of two outlines shows what changed thing by thing, which is how git diff uses it as a textconv "
        "driver.",
        epilog="examples:\n  cxviz outline journey.yaml\n"
        "  git config diff.cxviz.textconv 'cxviz outline --textconv'   # with '*.yaml diff=cxviz' in "
        ".gitattributes",
        formatter_class=formatter,
    )
    outliner.add_argument("path", metavar="SPEC", help="the spec file")
    outliner.add_argument("--textconv", action="store_true",
                          help="never fail: a version with errors is printed as written, after one line "
                          "saying why (git shows no diff at all when a textconv driver fails)")
    outliner.add_argument("--base-dir", metavar="DIR",
                          help="find the files the spec names (a persona, photos) in DIR; by default its folder")
    add_error_format(outliner)
    outliner.set_defaults(run=cmd_outline)

    serve = commands.add_parser(
        "serve", help="preview specs live in the browser, redrawn on every save",
        description="Serve a page on 127.0.0.1 (this machine only) listing the specs of a folder, each drawn "
        "as SVG. Saving a spec redraws it and the page follows without a reload; a spec with errors shows "
        "them at their lines and keeps its last picture; clicking a part of a diagram shows the line it is "
        "written on. Ctrl-C stops.",
        epilog="examples:\n  cxviz serve samples/                 # then open http://127.0.0.1:8737/\n"
        "  cxviz serve journey.yaml --port 0     # one spec, on a free port\n"
        "  cxviz serve workshop/ --lang id --open",
        formatter_class=formatter,
    )
    serve.add_argument("path", metavar="PATH", help="a folder of specs (searched below), or one spec file")
    serve.add_argument("--port", type=_port, default=8737,
                       help="the port on 127.0.0.1 (default 8737; 0 picks a free one)")
    serve.add_argument("--lang", type=_language, metavar="LANG",
                       help=f"language of cxviz's own words: {languages}; overrides each spec's lang:")
    add_locale_dir(serve)
    serve.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                       help="how often the files are checked for changes (default 0.5)")
    serve.add_argument("--open", action="store_true", help="open the page in the default browser")
    serve.set_defaults(run=cmd_serve)

    kinds = commands.add_parser(
        "kinds", help="list the diagram kinds", description="List the diagram kinds cxviz draws.",
        epilog="example:\n  cxviz kinds", formatter_class=formatter,
    )
    kinds.set_defaults(run=cmd_kinds)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    git_path = None
    if "diff" in argv and "--" in argv[argv.index("diff"):]:
        # cxviz diff REV [REV] -- PATH: the file follows --, as git writes it; options may follow the file.
        split = argv.index("--", argv.index("diff"))
        before, after = argv[:split], argv[split + 1:]
        git_path = after[:1]
        argv = before + after[1:]
        revisions = len(parser.parse_args(before).versions)
    args = parser.parse_args(argv)
    if git_path is not None:
        if len(git_path) != 1 or len(args.versions) != revisions:
            notice(args, "error", "name one file after --, as in cxviz diff HEAD -- journey.yaml")
            return EXIT_USAGE
        args.git_path = git_path[0]
    try:
        if getattr(args, "locale_dir", None):
            # For the whole run: loading, language checks and worker processes all see it.
            with api.use_locale_dir(args.locale_dir):
                return args.run(args)
        return args.run(args)
    except (UsageError, api.OptionError) as exc:
        notice(args, "error", str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        if getattr(args, "error_format", "text") == "json":
            notice(args, "error", "interrupted")
        else:
            print("cxviz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # an output that cannot be written, a folder that cannot be read
        notice(args, "error", str(exc.strerror or exc), file=str(exc.filename or ""))
        return EXIT_INVALID
    except Exception as exc:  # a bug: say so plainly instead of a traceback
        if isinstance(exc, api.SpecError):
            print_diagnostics(exc.diagnostics, getattr(args, "error_format", "text"))
            return EXIT_INVALID
        if isinstance(exc, api.CxvizError):
            notice(args, "error", str(exc))
            return EXIT_INVALID
        if getattr(args, "error_format", "text") == "json":
            notice(args, "error", f"internal error: {type(exc).__name__}: {exc}; this is a bug in cxviz, "
                   "please report it with the spec that caused it")
        else:
            print(
                f"cxviz: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in cxviz; please report it with the spec that caused it.",
                file=sys.stderr,
            )
        return EXIT_INTERNAL
