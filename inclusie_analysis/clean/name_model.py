"""The name detector of the de-identification: the library ``deduce`` (Dutch, offline lists of
first names and surnames), loaded lean, and its word lists read as text.

Apart from `deidentify` (the Belgian patterns and the Flemish rules around names and
addresses) because loading deduce is its own concern: a reduced lookup cache with only the
name lists, built once per machine (`make` does it at install time) and safe when report
kernels build it at once, and a model with only the name annotators, once per process.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

# deduce's annotators left out (see DEDUCE_ANNOTATORS for the ones kept): dates, times and
# ages are the answer's content; institutions and place names are the subject ("het OCMW
# van Aalst", "de bib van Leuven"); phone, e-mail, url and identifiers (Dutch BSN) are done
# by the Belgian patterns (`deidentify`); eponymous diseases are a medical list we do not need; the
# Dutch street list (30 MB, most of the load time) misses Flemish streets that the suffix
# rules of `deidentify` catch, and postal codes there are Dutch (1234 AB).
DEDUCE_DISABLED = frozenset(
    {
        "dates",
        "ages",
        "institutions",
        "identifiers",
        "phone_numbers",
        "email_addresses",
        "urls",
        "placename",
        "street_pattern",
        "street_lookup",
        "housenumber",
        "postal_code",
        "postbus",
        "eponymous_disease",
    }
)

_DEDUCE = None
_DEDUCE_LOCK = threading.Lock()
# The lookup structures the kept annotators use. deduce's own cache (76 MB, all lists, ~7 s
# to load) also holds Dutch streets, place names and care institutions; a cache of only
# these lists loads in well under a second. Streets come from the suffix rules in `deidentify`.
DEDUCE_LISTS = (
    "first_name",
    "surname",
    "interfix_surname",
    "prefix",
    "interfix",
    "initial",
    "whitelist",
    "common_word",
    "stop_word",
)
DEDUCE_ANNOTATORS = frozenset(
    {
        "prefix_with_initial",
        "prefix_with_interfix",
        "prefix_with_name",
        "interfix_with_name",
        "initial_with_name",
        "initial_interfix",
        "first_name_lookup",
        "surname_lookup",
        "patient_name",
        "name_context",
    }
)


def cache_dir() -> Path:
    """The reduced deduce cache: $INCLUSIE_CACHE_DIR, else ~/.cache/inclusie-analysis."""
    import os

    base = os.environ.get("INCLUSIE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "inclusie-analysis"
    )
    return Path(base) / f"deduce-{_deduce().__version__}"


def _deduce():
    """The deduce module, imported without its side effect on logging: on import it calls
    `logging.basicConfig(stream=sys.stdout, level=DEBUG)`, which would print every library's
    debug messages (papermill, traitlets) into a user's terminal. The root logger's handlers
    and level are put back as they were."""
    import logging
    import sys

    if "deduce" in sys.modules:
        return sys.modules["deduce"]
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import deduce
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return deduce


def _build_lists():
    """DEDUCE_LISTS built from deduce's source lists, as deduce builds them (seconds; its own
    full build, with the Dutch streets and institutions, takes about 2 minutes)."""
    _deduce()
    from deduce import lookup_structs as structs
    from deduce.data.lookup.src import all_lists
    from deduce.deduce import _LOOKUP_LIST_PATH, Deduce
    from docdeid.ds import DsCollection, LookupSet

    tokenizer = Deduce._initialize_tokenizer(Path(_LOOKUP_LIST_PATH))
    needed = {*DEDUCE_LISTS, "medical_term"}  # the whitelist includes medical terms
    subdirs = [d for d in all_lists if d.split("/")[-1].removeprefix("lst_") in needed]
    raw = structs.load_raw_itemsets(base_path=Path(_LOOKUP_LIST_PATH), subdirs=subdirs)
    lists = DsCollection()
    for name in DEDUCE_LISTS:
        if name in structs._LOOKUP_SET_LOADERS:
            lists[name] = structs._LOOKUP_SET_LOADERS[name](raw)
        elif name in structs._LOOKUP_TRIE_LOADERS:
            lists[name] = structs._LOOKUP_TRIE_LOADERS[name](raw, tokenizer)
        else:
            lookup = LookupSet()
            lookup.add_items_from_iterable(raw[name])
            lists[name] = lookup
    return lists


def _reduced_cache(path: Path) -> None:
    """Write the lists of DEDUCE_LISTS from deduce's full cache (built if need be)."""
    import os
    import pickle
    import tempfile
    from datetime import datetime

    from docdeid.ds import DsCollection

    deduce = _deduce()
    try:
        lists = _build_lists()
    except Exception:  # deduce's internals moved: take the lists from its full cache
        full = deduce.Deduce().lookup_structs
        lists = DsCollection()
        for name in DEDUCE_LISTS:
            lists[name] = full[name]
    target = path / "cache" / "lookup_structs.pickle"
    target.parent.mkdir(parents=True, exist_ok=True)
    cache = {
        "deduce_version": deduce.__version__,
        "saved_datetime": str(datetime.now()),
        "lookup_structs": lists,
    }
    with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False) as f:
        pickle.dump(cache, f)
    os.replace(f.name, target)  # atomic: parallel report kernels may build it at once


def deduce_model():
    """deduce's de-identifier with only the name annotators, loaded once per process.

    The first call on a machine writes a reduced lookup cache (see `cache_dir`); `make`
    does that at install time.
    """
    global _DEDUCE
    with _DEDUCE_LOCK:
        if _DEDUCE is None:
            import json
            import logging

            deduce = _deduce()
            root = logging.getLogger()
            previous, root.disabled = root.disabled, True  # deduce logs to the root logger
            try:
                path = cache_dir()
                if not (path / "cache" / "lookup_structs.pickle").is_file():
                    try:
                        _reduced_cache(path)
                    except OSError:  # no writable cache folder: use a temporary one
                        import tempfile

                        path = Path(tempfile.mkdtemp(prefix="inclusie-deduce-"))
                        _reduced_cache(path)
                config = json.loads(
                    (Path(deduce.__file__).parent / "base_config.json").read_text("utf-8")
                )
                config["annotators"] = {
                    name: spec
                    for name, spec in config["annotators"].items()
                    if name in DEDUCE_ANNOTATORS
                }
                _DEDUCE = deduce.Deduce(load_base_config=False, config=config, cache_path=path)
            finally:
                root.disabled = previous
    return _DEDUCE


# --- word lists (deduce's own lists, read as text) ------------------------------------------


def _deduce_lists() -> Path:
    return Path(_deduce().__file__).parent / "data" / "lookup" / "src"


@cache
def word_list(relative: str) -> frozenset[str]:
    """One of deduce's source word lists (e.g. "names/lst_first_name"), lower case."""
    path = _deduce_lists() / relative / "items.txt"
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines())
