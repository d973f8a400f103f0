"""The program validates framework.json at load and refuses a malformed one with a clear message."""
import json

import pytest

from cpf_desktop.framework import FrameworkError, load_framework
from cpf_desktop.paths import resource_path


def test_real_framework_loads(framework):
    assert len(framework.clusters) == 7
    assert len(framework.competencies()) == 24
    assert [c.id for c in framework.clusters if c.supervisors_only] == ["leadership"]
    assert framework.cluster_of("culture-environment").name == "Leadership"


def _broken(tmp_path, mutate):
    data = json.loads(resource_path("framework.json").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["clusters"][0]["competencies"][0].pop("description"), "needs a non-empty text 'description'"),
        (lambda d: d["clusters"][1]["competencies"][0].update(id="Bad Id"), "not lower-case kebab-case"),
        (lambda d: d["rating_levels"].reverse(), "rating levels must be"),
        (lambda d: d["plus"].update(allowed_with=["developing"]), "only be allowed with effective"),
        (lambda d: d["clusters"][2].update(supervisors_only="no"), "'supervisors_only' true or false"),
        (lambda d: d["clusters"][3]["competencies"].append(d["clusters"][3]["competencies"][0]), "used twice"),
    ],
)
def test_malformed_framework_refused(tmp_path, mutate, message):
    with pytest.raises(FrameworkError, match=message) as info:
        load_framework(_broken(tmp_path, mutate))
    assert "malformed" in str(info.value)


def test_not_json_refused(tmp_path):
    path = tmp_path / "framework.json"
    path.write_text("{ nope", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid JSON"):
        load_framework(path)


def test_missing_file_refused(tmp_path):
    with pytest.raises(FrameworkError, match="could not be read"):
        load_framework(tmp_path / "absent.json")
