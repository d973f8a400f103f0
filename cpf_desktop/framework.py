"""The Classified Performance Framework, loaded from resources/framework.json and validated.

The framework is data: its clusters, competencies and descriptions live in the JSON file, never
in Python. Loading checks the file's shape and refuses a malformed one with a sentence that says
what is wrong, so a damaged install is reported rather than shown half-empty.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .paths import resource_path

LEVEL_IDS = ("developing", "effective", "highly_effective")
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class FrameworkError(Exception):
    """The framework file is missing or malformed; the message says what and where."""


@dataclass(frozen=True)
class RatingLevel:
    id: str
    label: str
    meaning: str


@dataclass(frozen=True)
class Plus:
    label: str
    meaning: str
    allowed_with: tuple[str, ...]


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    aligned_with: tuple[str, ...]
    description: str
    cluster_id: str


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    definition: str
    supervisors_only: bool
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class Framework:
    title: str
    source: str
    version: str
    rating_levels: tuple[RatingLevel, ...]
    plus: Plus
    clusters: tuple[Cluster, ...]

    @cached_property
    def _competencies_by_id(self) -> dict[str, Competency]:
        return {c.id: c for cluster in self.clusters for c in cluster.competencies}

    @cached_property
    def _clusters_by_id(self) -> dict[str, Cluster]:
        return {c.id: c for c in self.clusters}

    def competencies(self) -> tuple[Competency, ...]:
        """Return every competency in document order."""
        return tuple(self._competencies_by_id.values())

    def competency(self, competency_id: str) -> Competency:
        return self._competencies_by_id[competency_id]

    def has_competency(self, competency_id: str) -> bool:
        return competency_id in self._competencies_by_id

    def cluster(self, cluster_id: str) -> Cluster:
        return self._clusters_by_id[cluster_id]

    def cluster_of(self, competency_id: str) -> Cluster:
        return self._clusters_by_id[self.competency(competency_id).cluster_id]

    def level(self, level_id: str) -> RatingLevel:
        for level in self.rating_levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)


def default_framework_path() -> Path:
    return resource_path("framework.json")


def load_framework(path: Path | None = None) -> Framework:
    """Load and validate the framework file; raise FrameworkError with a plain message if it is unusable."""
    path = Path(path) if path else default_framework_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(f"The framework file {path} could not be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"The framework file {path} is not UTF-8 text.") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FrameworkError(
            f"The framework file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    try:
        return _parse(data)
    except FrameworkError as exc:
        raise FrameworkError(f"The framework file {path} is malformed: {exc}") from None


def _text(obj: dict, key: str, where: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{where} needs a non-empty text '{key}'.")
    return value


def _list(obj: dict, key: str, where: str) -> list:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, list) or not value:
        raise FrameworkError(f"{where} needs a non-empty list '{key}'.")
    return value


def _identifier(obj: dict, where: str) -> str:
    ident = _text(obj, "id", where)
    if not _KEBAB.match(ident):
        raise FrameworkError(f"{where} has id '{ident}', which is not lower-case kebab-case.")
    return ident


def _parse(data: object) -> Framework:
    if not isinstance(data, dict):
        raise FrameworkError("the top level must be an object.")
    levels = []
    for i, item in enumerate(_list(data, "rating_levels", "The framework")):
        where = f"rating level {i + 1}"
        levels.append(RatingLevel(_text(item, "id", where), _text(item, "label", where), _text(item, "meaning", where)))
    if tuple(level.id for level in levels) != LEVEL_IDS:
        raise FrameworkError(f"the rating levels must be {', '.join(LEVEL_IDS)} in that order.")

    plus_raw = data.get("plus")
    allowed = tuple(_list(plus_raw, "allowed_with", "'plus'"))
    if not set(allowed) <= set(LEVEL_IDS) or "developing" in allowed:
        raise FrameworkError("'plus' may only be allowed with effective or highly_effective.")
    plus = Plus(_text(plus_raw, "label", "'plus'"), _text(plus_raw, "meaning", "'plus'"), allowed)

    clusters: list[Cluster] = []
    seen: set[str] = set()
    for ci, raw_cluster in enumerate(_list(data, "clusters", "The framework")):
        where = f"cluster {ci + 1}"
        cluster_id = _identifier(raw_cluster, where)
        name = _text(raw_cluster, "name", where)
        where = f"cluster '{name}'"
        supervisors_only = raw_cluster.get("supervisors_only")
        if not isinstance(supervisors_only, bool):
            raise FrameworkError(f"{where} needs 'supervisors_only' true or false.")
        competencies = []
        for ki, raw in enumerate(_list(raw_cluster, "competencies", where)):
            cwhere = f"competency {ki + 1} of {where}"
            comp_id = _identifier(raw, cwhere)
            comp_name = _text(raw, "name", cwhere)
            aligned = _list(raw, "aligned_with", f"competency '{comp_name}'")
            if not all(isinstance(a, str) and a.strip() for a in aligned):
                raise FrameworkError(f"competency '{comp_name}' has an empty or non-text 'aligned_with' entry.")
            if comp_id in seen:
                raise FrameworkError(f"the id '{comp_id}' is used twice.")
            seen.add(comp_id)
            competencies.append(
                Competency(comp_id, comp_name, tuple(aligned), _text(raw, "description", f"competency '{comp_name}'"), cluster_id)
            )
        if cluster_id in seen:
            raise FrameworkError(f"the id '{cluster_id}' is used twice.")
        seen.add(cluster_id)
        clusters.append(
            Cluster(cluster_id, name, _text(raw_cluster, "definition", where), supervisors_only, tuple(competencies))
        )
    return Framework(
        title=_text(data, "title", "The framework"),
        source=_text(data, "source", "The framework"),
        version=_text(data, "version", "The framework"),
        rating_levels=tuple(levels),
        plus=plus,
        clusters=tuple(clusters),
    )
