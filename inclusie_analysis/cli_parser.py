"""The command line of `inclusie`: its subcommands and their options, in Dutch for staff.

Kept apart from `cli` (what each command does) so the options of every step read together."""

from __future__ import annotations

import argparse
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    """The `inclusie` argument parser: one subcommand per step staff run."""
    parser = argparse.ArgumentParser(
        prog="inclusie",
        description="Leernoden, activiteiten en feedback van het netwerk digitale inclusie: "
        "opschonen, analyseren en het jaarrapport maken.",
    )
    parser.add_argument(
        "--settings", type=Path, help="instellingenbestand (standaard: inclusie.toml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_demo(sub)
    _add_inspect(sub)
    _add_codebook(sub)
    _add_targets(sub)
    _add_key(sub)
    _add_themes(sub)
    for name, text in (
        ("clean", "schoon de exports op: tabellen, grootboek en datakwaliteitsrapport"),
        ("report", "schoon de exports op en maak alle rapporten van het jaar"),
        ("run", "alles in één keer: (demo,) opschonen en rapport"),
    ):
        _add_pipeline(sub, name, text)
    return parser


def _add_demo(sub) -> None:
    """`inclusie demo`: write the synthetic demo exports."""
    demo = sub.add_parser("demo", help="schrijf synthetische demo-exports")
    demo.add_argument(
        "--out", type=Path, help="doelmap (standaard: paths.demo uit de instellingen)"
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=1,
        help="toevalsgetal: zelfde getal, zelfde bestanden (standaard: 1)",
    )
    demo.add_argument("--scale", type=int, default=1, help="vermenigvuldig het aantal rijen")
    demo.add_argument("--only", choices=("surveys",), help="schrijf alleen de bevragingen")


def _add_inspect(sub) -> None:
    """`inclusie inspect`: show how one export is read."""
    inspect = sub.add_parser(
        "inspect", help="toon hoe een export gelezen wordt: platform, kopregels, kolommen"
    )
    inspect.add_argument("file", type=Path, help="het exportbestand (.xlsx, .csv, .sav, ...)")
    inspect.add_argument("--sheet", help="naam van het Excel-blad (standaard: het eerste)")


def _add_codebook(sub) -> None:
    """`inclusie codebook draft`: a draft codebook for a new export."""
    codebook = sub.add_parser("codebook", help="codeboeken van de bevragingen")
    codebook_sub = codebook.add_subparsers(dest="codebook_command", required=True)
    draft = codebook_sub.add_parser(
        "draft", help="maak een ontwerp-codeboek voor een nieuwe export, om na te kijken"
    )
    draft.add_argument("export", type=Path, help="het exportbestand (.xlsx, .csv, ...)")
    draft.add_argument(
        "--from", dest="previous", type=Path, help="codeboek van de vorige golf (namen overnemen)"
    )
    draft.add_argument("--out", type=Path, help="schrijf naar dit bestand (standaard: scherm)")
    draft.add_argument("--wave", type=int, help="jaar van de golf (standaard: uit de bestandsnaam)")
    draft.add_argument("--instrument", help="naam van de vragenlijst (bv. leernoden)")


def _add_targets(sub) -> None:
    """`inclusie targets draft`: a new year's targets from an earlier year's."""
    targets = sub.add_parser("targets", help="de doelen van het actieplan per jaar")
    targets_sub = targets.add_subparsers(dest="targets_command", required=True)
    draft_targets = targets_sub.add_parser(
        "draft",
        help="maak de doelen van een nieuw jaar uit die van een vorig jaar, om na te kijken",
    )
    draft_targets.add_argument("--year", type=int, required=True, help="het nieuwe jaar")
    draft_targets.add_argument(
        "--from",
        dest="previous",
        help="vertrek van dit jaar of dit bestand (standaard: het laatste jaar ervoor)",
    )
    draft_targets.add_argument(
        "--out", type=Path, help="schrijf naar dit bestand (standaard: <paths.targets>/<jaar>.yaml)"
    )


def _themes_learn_parser(themes_sub) -> None:
    """`inclusie themes learn`: train the learnt coder on answers coded by people."""
    learn = themes_sub.add_parser(
        "learn",
        help="train de geleerde codeerder op door mensen gecodeerde antwoorden",
        description="Train de geleerde codeerder (open antwoorden → codeergroepen) op "
        "gecodeerde antwoorden: werkboeken (.xlsx: id, text en per groep ja/nee) of csv "
        "(id, text, themes). Toont de kruisvalidatie per groep en voorgestelde trefwoorden.",
    )
    learn.add_argument("files", type=Path, nargs="+", help="gecodeerde antwoorden (.xlsx/.csv)")
    learn.add_argument(
        "--out", type=Path, help="modelbestand (standaard: paths.theme_model uit de instellingen)"
    )
    learn.add_argument(
        "--kappa", type=float, help="Cohens kappa van de twee codeerders (bewaard in het model)"
    )


def _add_key(sub) -> None:
    """`inclusie key`: show or create the pseudonym key."""
    key = sub.add_parser(
        "key",
        help="toon of maak de geheime sleutel voor pseudoniemen",
        description="De geheime sleutel voor pseudoniemen (paths.pseudonym_key, of de "
        "omgevingsvariabele INCLUSIE_PSEUDONYM_KEY). Elke opdracht op echte gegevens vraagt "
        "hem; de openbare demosleutel geldt alleen voor 'inclusie run --demo' op de map die "
        "'inclusie demo' schreef. Een sleutel heeft minstens 32 tekens waarvan minstens 8 "
        "verschillende. Zonder --create: waar hij staat en zijn vingerafdruk (die ook in "
        "manifest.json staat).",
    )
    key.add_argument(
        "--create",
        action="store_true",
        help="maak een nieuwe sleutel (eenmalig; bestand 0600, map 0700; overschrijft nooit)",
    )


def _add_themes(sub) -> None:
    """`inclusie themes`: code open answers by hand, measure how well coders agree, learn."""
    themes = sub.add_parser(
        "themes", help="open antwoorden coderen: steekproef, overeenstemming, geleerde codeerder"
    )
    themes_sub = themes.add_subparsers(dest="themes_command", required=True)
    _themes_sample_agree_parsers(themes_sub)
    _themes_learn_parser(themes_sub)


def _themes_sample_agree_parsers(themes_sub) -> None:
    """`inclusie themes sample` and `inclusie themes agree`."""
    sample = themes_sub.add_parser(
        "sample",
        help="schrijf een werkboek met een steekproef van open antwoorden om met de hand te "
        "coderen",
    )
    sample.add_argument("--n", type=int, default=150, help="aantal antwoorden (standaard: 150)")
    sample.add_argument(
        "--second-coder",
        action="store_true",
        help="schrijf ook een werkboek voor een tweede codeur (zelfde rijen, andere volgorde)",
    )
    sample.add_argument("--year", type=int, help="jaar van de opgeschoonde gegevens")
    sample.add_argument(
        "--data", type=Path, help="map met opgeschoonde gegevens (standaard: <reports>/<jaar>/data)"
    )
    sample.add_argument("--seed", type=int, default=1, help="toevalsgetal (standaard: 1)")
    sample.add_argument(
        "--out", type=Path, help="het werkboek (standaard: <reports>/<jaar>/coderen/...xlsx)"
    )
    agree = themes_sub.add_parser(
        "agree",
        help="meet de overeenstemming tussen codeurs en zet de verschillen op een rij; met "
        "--gold: de gouden standaard na het overleg",
    )
    agree.add_argument(
        "workbooks", type=Path, nargs="+", help="de ingevulde werkboeken (2 of meer)"
    )
    agree.add_argument(
        "--out", type=Path, help="overeenstemmingsbestand (standaard: overeenstemming.xlsx)"
    )
    agree.add_argument(
        "--decisions", type=Path, help="overeenstemming.xlsx met de ingevulde besluiten"
    )
    agree.add_argument("--gold", type=Path, help="schrijf de gouden standaard (xlsx en csv)")


def _add_pipeline(sub, name: str, text: str) -> None:
    """`inclusie clean|report|run`: the year's options; report and run add the report's."""
    p = sub.add_parser(name, help=text)
    p.add_argument(
        "--year",
        type=int,
        help="rapportjaar (standaard: report.year, of de recentste map met gegevens)",
    )
    p.add_argument("--input", type=Path, help="map met een submap per jaar (standaard: paths.raw)")
    p.add_argument(
        "--as-of", help="stand op deze datum (JJJJ-MM-DD) voor een rapport halfweg het jaar"
    )
    if name == "clean":
        return
    _add_report_options(p)
    if name == "run":
        p.add_argument(
            "--demo",
            action="store_true",
            help="maak de demodata en gebruik ze met de openbare demosleutel (met --input: "
            "alleen een ongewijzigde map van 'inclusie demo')",
        )


def _add_report_options(p) -> None:
    """The options of `report` and `run` that choose which reports, how and how fast."""
    p.add_argument("--lang", choices=("nl", "en"), help="taal van de rapporten")
    p.add_argument(
        "--only",
        action="append",
        metavar="GEBIED|ACTIVITEIT",
        help="maak alleen dit rapport: een gebied (bv. Limburg), een activiteit (bv. "
        "2025-003), 'jaarrapport' of 'activiteiten'; mag meermaals",
    )
    p.add_argument(
        "--formats",
        default="html,xlsx,pdf",
        help="uitvoerformaten, komma-gescheiden (standaard: html,xlsx,pdf)",
    )
    p.add_argument(
        "--jobs", type=int, help="zoveel rapporten tegelijk (standaard: het aantal kernen)"
    )
    p.add_argument(
        "--kernel-per-report",
        action="store_true",
        help="start voor elk rapport een nieuwe kernel (trager, maar volledig gescheiden)",
    )
    p.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
