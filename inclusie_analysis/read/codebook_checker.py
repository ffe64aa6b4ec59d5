"""Checking a codebook's YAML completely: every key, type, scale, option and change, before
anything is matched, so a typo is an InputError naming the codebook, the variable and the key.

`parse_codebook` (codebook.py) loads the YAML and hands the data to `CodebookChecker`, which
builds the `Codebook`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import (
    CHANGE_KEYS,
    CHANGE_KINDS,
    FIND_KEYS,
    NAME,
    OPTION_KEYS,
    OTHER_KEYS,
    PLATFORMS,
    REQUIRED_TOP_KEYS,
    SCALE_KEYS,
    TOP_KEYS,
    VARIABLE_KEYS,
    VARIABLE_TYPES,
    Change,
    Codebook,
    Option,
    Variable,
    _Map,
)


def _suggest(word: object, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), sorted(allowed), n=1, cutoff=0.6)
    return f" (bedoelde u '{close[0]}'?)" if close else ""


class CodebookChecker:
    """Checks a parsed codebook; every error names the file, the variable and the key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, message: str, hint: str | None = None):
        raise InputError(message, file=str(self.path), hint=hint)

    def keys(self, mapping: Mapping, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fail(
                    f"{where}: onbekende sleutel '{key}'{_suggest(key, allowed)}.",
                    hint=f"Toegestaan: {', '.join(sorted(allowed))}.",
                )

    def text(self, value: object, where: str, key: str, *, empty: bool = False) -> str:
        if isinstance(value, bool) or value is None or isinstance(value, list | dict):
            self.fail(f"{where}, sleutel '{key}': verwacht een tekst, niet {value!r}.")
        text = str(value)
        if not empty and not text.strip():
            self.fail(f"{where}, sleutel '{key}': mag niet leeg zijn.")
        return text

    def codebook(self, data: object) -> Codebook:
        if not isinstance(data, dict):
            self.fail("het codeboek moet een lijst van sleutels zijn (instrument, wave, ...).")
        self.keys(data, TOP_KEYS, "codeboek")
        for key in REQUIRED_TOP_KEYS:
            if key not in data:
                self.fail(f"het codeboek mist de sleutel '{key}'.")
        instrument = self.text(data["instrument"], "codeboek", "instrument")
        wave = data["wave"]
        if isinstance(wave, bool) or not str(wave).strip().isdigit():
            self.fail(f"codeboek, sleutel 'wave': verwacht een jaartal, niet {wave!r}.")
        platform = self.text(data["platform"], "codeboek", "platform")
        if platform not in PLATFORMS:
            self.fail(
                f"codeboek, sleutel 'platform': onbekend platform {platform!r}"
                f"{_suggest(platform, PLATFORMS)}.",
                hint=f"Kies uit: {', '.join(sorted(PLATFORMS))}.",
            )
        files = data.get("files") or [f"*{instrument}*{wave}*"]
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list):
            self.fail("codeboek, sleutel 'files': verwacht een lijst van bestandspatronen.")
        scales = self.scales(data.get("scales") or {})
        variables = self.variables(data["variables"], scales)
        title = data.get("title")
        return Codebook(
            path=self.path,
            instrument=instrument,
            wave=int(wave),
            platform=platform,
            files=tuple(self.text(f, "codeboek", "files") for f in files),
            variables=variables,
            scales=scales,
            title=None if title is None else self.text(title, "codeboek", "title"),
        )

    def scales(self, scales: object) -> dict:
        if not isinstance(scales, dict):
            self.fail("codeboek, sleutel 'scales': verwacht een lijst van schalen met een naam.")
        out = {}
        for name, spec in scales.items():
            where = f"schaal '{name}'"
            if not isinstance(spec, dict):
                self.fail(f"{where}: verwacht de sleutels levels (en eventueel missing, codes).")
            self.keys(spec, SCALE_KEYS, where)
            levels = self.labels_list(spec.get("levels"), where, "levels", required=True)
            missing = self.labels_list(spec.get("missing") or [], where, "missing")
            if set(levels) & set(missing):
                both = ", ".join(sorted(set(levels) & set(missing)))
                self.fail(f"{where}: '{both}' staat zowel in levels als in missing.")
            codes = spec.get("codes") or {}
            if not isinstance(codes, dict):
                self.fail(f"{where}, sleutel 'codes': verwacht 'ruwe waarde: niveau'-paren.")
            known = levels + missing
            for raw, target in codes.items():
                target = self.text(target, where, "codes")
                if target not in known:
                    self.fail(
                        f"{where}, sleutel 'codes': {raw!r} verwijst naar {target!r}, dat geen "
                        f"niveau (levels) of ontbrekende waarde (missing) van de schaal is"
                        f"{_suggest(target, known)}.",
                        hint=f"Niveaus: {', '.join(known)}.",
                    )
            out[str(name)] = {
                "levels": levels,
                "missing": missing,
                "codes": {str(k): str(v) for k, v in codes.items()},
            }
        return out

    def labels_list(self, value: object, where: str, key: str, required: bool = False) -> list:
        if not isinstance(value, list) or (required and not value):
            order = " (van laag naar hoog)" if key == "levels" else ""
            self.fail(f"{where}, sleutel '{key}': verwacht een lijst van labels{order}.")
        labels = [self.text(v, where, key) for v in value]
        if len(set(labels)) != len(labels):
            self.fail(f"{where}, sleutel '{key}': een label staat er twee keer in.")
        return labels

    def variables(self, specs: object, scales: dict) -> tuple[Variable, ...]:
        if not isinstance(specs, list) or not specs:
            self.fail("codeboek, sleutel 'variables': verwacht een lijst van variabelen.")
        variables = [self.variable(i, spec, scales) for i, spec in enumerate(specs, start=1)]
        names = [v.name for v in variables]
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            self.fail(f"variabelen staan dubbel in het codeboek: {', '.join(dupes)}.")
        identities = [v.name for v in variables if v.identity]
        if len(identities) > 1:
            self.fail(
                f"variabelen {', '.join(identities)}, sleutel 'identity': maar één kolom kan de "
                "respondent identificeren."
            )
        for v in variables:
            if v.changed and v.name in v.changed.from_:
                self.fail(
                    f"variabele '{v.name}', sleutel 'changed.from': een variabele kan niet uit "
                    "zichzelf ontstaan."
                )
        return tuple(variables)

    def variable(self, i: int, spec: object, scales: dict) -> Variable:
        line = f", regel {spec.line}" if isinstance(spec, _Map) else ""
        if not isinstance(spec, dict):
            self.fail(f"variabele {i}{line}: verwacht sleutels (name, type, find, ...).")
        name = spec.get("name")
        where = f"variabele '{name}' (nr. {i}{line})" if name else f"variabele {i}{line}"
        self.keys(spec, VARIABLE_KEYS, where)
        for key in ("name", "type", "find"):
            if key not in spec:
                self.fail(f"{where}: de sleutel '{key}' ontbreekt.")
        name = self.text(name, where, "name")
        if not NAME.match(name):
            self.fail(
                f"{where}, sleutel 'name': {name!r} is geen geldige naam.",
                hint="Gebruik letters, cijfers en '_' (bv. need_outreach).",
            )
        kind = spec["type"]
        if kind not in VARIABLE_TYPES:
            self.fail(
                f"{where}, sleutel 'type': onbekend type {kind!r}{_suggest(kind, VARIABLE_TYPES)}.",
                hint=f"Kies uit: {', '.join(sorted(VARIABLE_TYPES))}.",
            )
        find = self.find(spec["find"], where)
        self.only_for(spec, where, kind)
        scale = self.scale_ref(spec, where, kind, scales)
        options, separator = self.options(spec, where, kind, find)
        return Variable(
            name=name,
            type=kind,
            find=find,
            labels=self.label_map(spec.get("labels"), where),
            scale=scale,
            theme=None if spec.get("theme") is None else self.text(spec["theme"], where, "theme"),
            spec=spec,
            label=None if spec.get("label") is None else self.text(spec["label"], where, "label"),
            options=options,
            separator=separator,
            other=self.other(spec.get("other"), where, kind, separator),
            changed=self.changed(spec.get("changed"), where),
            asked_of=self.asked_of(spec.get("asked_of"), where),
            identity=self.flag(spec, "identity", where),
            required=self.flag(spec, "required", where),
            note=None if spec.get("note") is None else self.text(spec["note"], where, "note"),
        )

    def find(self, find: object, where: str) -> dict[str, str]:
        if not isinstance(find, dict) or not find:
            self.fail(
                f"{where}, sleutel 'find': verwacht code, header en/of text.",
                hint="Bv. find: {code: Q1} of find: {text: 'Wat is uw functie?'}.",
            )
        self.keys(find, FIND_KEYS, f"{where}, find")
        return {k: self.text(v, where, f"find.{k}") for k, v in find.items()}

    def only_for(self, spec: Mapping, where: str, kind: str) -> None:
        rules = {
            "scale": {"scale"},
            "options": {"check_all"},
            "separator": {"check_all"},
            "other": {"check_all", "single_choice"},
            "labels": {"single_choice"},
        }
        for key, types in rules.items():
            if spec.get(key) is not None and kind not in types:
                self.fail(
                    f"{where}, sleutel '{key}': hoort niet bij type '{kind}' "
                    f"(alleen bij {', '.join(sorted(types))})."
                )
        if spec.get("identity") is True and kind != "pii_drop":
            self.fail(
                f"{where}, sleutel 'identity': alleen een variabele van type pii_drop (de kolom "
                "met het e-mailadres) kan de respondent identificeren."
            )

    def scale_ref(self, spec: Mapping, where: str, kind: str, scales: dict) -> str | None:
        if kind != "scale":
            return None
        if not spec.get("scale"):
            self.fail(
                f"{where}, sleutel 'scale': een variabele van type scale moet een schaal noemen.",
                hint=f"Schalen in dit codeboek: {', '.join(scales) or 'geen (voeg scales: toe)'}.",
            )
        name = self.text(spec["scale"], where, "scale")
        if name not in scales:
            self.fail(
                f"{where}, sleutel 'scale': schaal '{name}' is niet gedefinieerd"
                f"{_suggest(name, scales)}.",
                hint=f"Schalen in dit codeboek: {', '.join(scales) or 'geen'}.",
            )
        return name

    def options(
        self, spec: Mapping, where: str, kind: str, find: dict
    ) -> tuple[tuple[Option, ...], str | None]:
        if kind != "check_all":
            return (), None
        separator = spec.get("separator")
        if separator is not None:
            separator = self.text(separator, where, "separator", empty=True)
            if separator == "":
                self.fail(f"{where}, sleutel 'separator': mag niet leeg zijn.")
        elif not ({"code", "text"} & set(find)):
            self.fail(
                f"{where}, sleutel 'find': een check_all-vraag zonder 'separator' heeft een kolom "
                "per optie; geef find.code (bv. Q5 voor Q5[SQ001] of Q5_1) of find.text "
                "(voor '<vraag> - <optie>').",
            )
        raw = spec.get("options")
        if not isinstance(raw, list) or not raw:
            self.fail(f"{where}, sleutel 'options': een check_all-vraag heeft een lijst opties.")
        options = []
        for n, item in enumerate(raw, start=1):
            at = f"{where}, options nr. {n}"
            if not isinstance(item, dict):
                self.fail(f"{at}: verwacht value, label en code.")
            self.keys(item, OPTION_KEYS, at)
            for key in sorted(OPTION_KEYS):
                if key not in item:
                    self.fail(f"{at}: de sleutel '{key}' ontbreekt.")
            options.append(Option(*(self.text(item[k], at, k) for k in ("value", "label", "code"))))
        for attr in ("value", "code"):
            seen = [getattr(o, attr) for o in options]
            if len(set(seen)) != len(seen):
                dupes = sorted({s for s in seen if seen.count(s) > 1})
                self.fail(f"{where}, sleutel 'options': {attr} {', '.join(dupes)} staat dubbel.")
        return tuple(options), separator

    def label_map(self, labels: object, where: str) -> dict[str, str]:
        if labels is None:
            return {}
        if not isinstance(labels, dict):
            self.fail(f"{where}, sleutel 'labels': verwacht 'ruwe waarde: label'-paren.")
        return {str(k): self.text(v, where, "labels") for k, v in labels.items()}

    def other(self, other: object, where: str, kind: str, separator: str | None) -> dict | None:
        if other is None:
            return None
        if not isinstance(other, dict) or len(other) != 1:
            self.fail(f"{where}, sleutel 'other': verwacht {{code: <kolom>}} of {{in_list: true}}.")
        self.keys(other, OTHER_KEYS, f"{where}, other")
        if "in_list" in other:
            if other["in_list"] is not True:
                self.fail(f"{where}, sleutel 'other.in_list': verwacht true.")
            if kind == "check_all" and separator is None:
                self.fail(
                    f"{where}, sleutel 'other.in_list': een vraag met een kolom per optie heeft "
                    "geen lijst; geef other: {code: <kolom met de andere antwoorden>}."
                )
            return {"in_list": True}
        return {"code": self.text(other["code"], where, "other.code")}

    def changed(self, changed: object, where: str) -> Change | None:
        if changed is None:
            return None
        if not isinstance(changed, dict):
            self.fail(f"{where}, sleutel 'changed': verwacht kind (en previous of from).")
        self.keys(changed, CHANGE_KEYS, f"{where}, changed")
        kind = changed.get("kind")
        if kind not in CHANGE_KINDS:
            self.fail(
                f"{where}, sleutel 'changed.kind': onbekende soort {kind!r}"
                f"{_suggest(kind, CHANGE_KINDS)}.",
                hint=f"Kies uit: {', '.join(sorted(CHANGE_KINDS))}.",
            )
        previous = changed.get("previous")
        sources = changed.get("from")
        if kind == "reworded" and previous is None:
            self.fail(f"{where}, sleutel 'changed.previous': 'reworded' vraagt de vorige tekst.")
        if kind in ("split", "merged") and sources is None:
            self.fail(
                f"{where}, sleutel 'changed.from': '{kind}' vraagt de naam van de vorige "
                "variabele(n)."
            )
        if kind == "new" and (previous is not None or sources is not None):
            self.fail(f"{where}, sleutel 'changed': een nieuwe vraag heeft geen previous of from.")
        names = sources if isinstance(sources, list) else ([] if sources is None else [sources])
        names = tuple(self.text(n, where, "changed.from") for n in names)
        for n in names:
            if not NAME.match(n):
                self.fail(f"{where}, sleutel 'changed.from': {n!r} is geen variabelenaam.")
        comparable = changed.get("comparable", False)
        if not isinstance(comparable, bool):
            self.fail(
                f"{where}, sleutel 'changed.comparable': verwacht true of false, niet "
                f"{comparable!r}."
            )
        if comparable and kind != "reworded":
            self.fail(
                f"{where}, sleutel 'changed.comparable': alleen een anders geformuleerde vraag "
                f"(kind: reworded) kan vergelijkbaar zijn, niet een vraag van soort '{kind}'.",
                hint="Haal 'comparable: true' weg: een nieuwe, gesplitste of samengevoegde vraag "
                "telt nooit mee in een vergelijking met de vorige bevraging.",
            )
        return Change(
            kind,
            None if previous is None else self.text(previous, where, "changed.previous"),
            names,
            comparable,
        )

    def asked_of(self, value: object, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        return tuple(self.text(v, where, "asked_of") for v in values)

    def flag(self, spec: Mapping, key: str, where: str) -> bool:
        value = spec.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{where}, sleutel '{key}': verwacht true of false, niet {value!r}.")
        return value
