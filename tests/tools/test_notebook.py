"""The analysts' notebook runs headless against a run's tables and answers with plots."""

import importlib.util
import json
from pathlib import Path

import pytest
from fixture_tables import fixture_documents, write_fixture_tables

from pipeline.batch.run import run

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"


def _load_execute_script():
    spec = importlib.util.spec_from_file_location("execute", NOTEBOOKS / "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """explore.ipynb executed (not saved) against the fixture tables."""
    output = write_fixture_tables(tmp_path_factory.mktemp("output"))
    return _load_execute_script().execute(NOTEBOOKS / "explore.ipynb", output, timeout=120)


def _outputs(nb):
    return [output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs]


def test_notebook_runs_without_error_and_plots(executed):
    outputs = _outputs(executed)
    assert not [output for output in outputs if output.output_type == "error"]
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == 7
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1))


def test_notebook_provenance_shows_each_fact_in_its_sentence(executed):
    html = "".join(output.get("data", {}).get("text/html", "") for output in _outputs(executed))
    assert "The project has a total budget of «189.982 EUR», of which the EU contributes" in html
    assert "It runs for «24 months», from 1 September 2020 to 31 August 2022." in html


def test_notebook_saved_without_run_metadata(executed):
    assert executed.metadata == {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    assert not any("execution" in cell.metadata for cell in executed.cells)


def test_notebook_parameter_cell_reads_the_environment():
    nb = json.loads((NOTEBOOKS / "explore.ipynb").read_text(encoding="utf-8"))
    parameters = [cell for cell in nb["cells"] if "parameters" in cell["metadata"].get("tags", [])]
    assert len(parameters) == 1
    source = "".join(parameters[0]["source"])
    assert 'OUTPUT_DIR = os.environ.get("NEWSFACTS_OUTPUT", "../output")' in source


def test_notebook_execute_writes_a_copy_beside_the_tables_never_the_tracked_file(
    tmp_path, capsys
):
    script = _load_execute_script()
    tracked = (NOTEBOOKS / "explore.ipynb").read_bytes()
    output = write_fixture_tables(tmp_path / "output")
    into = NOTEBOOKS / "explore.ipynb"
    assert script.main([str(output), "--into", str(into)]) == 2
    assert "refusing to write over" in capsys.readouterr().err
    assert script.main([str(output)]) == 0
    assert (NOTEBOOKS / "explore.ipynb").read_bytes() == tracked
    copy = json.loads((output / "explore.ipynb").read_text(encoding="utf-8"))
    pngs = [
        out for cell in copy["cells"] for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]  # fmt: skip
    assert len(pngs) == 7


def test_notebook_tracked_file_has_no_outputs():
    nb = json.loads((NOTEBOOKS / "explore.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    assert code and all(not c["outputs"] and c["execution_count"] is None for c in code)


def test_notebook_runs_on_a_run_without_projects(tmp_path):
    failed = [doc for doc in fixture_documents() if doc.status != "ok"]
    output = write_fixture_tables(tmp_path / "output", failed)
    nb = _load_execute_script().execute(NOTEBOOKS / "explore.ipynb", output, timeout=120)
    outputs = _outputs(nb)
    assert not [output for output in outputs if output.output_type == "error"]
    assert sum("image/png" in output.get("data", {}) for output in outputs) == 1
    notes = "".join(output.get("data", {}).get("text/markdown", "") for output in outputs)
    assert "*No projects in this run.*" in notes
    assert "*No mention is linked to a project in this run.*" in notes


def test_notebook_runs_against_a_fresh_pipeline_run(tmp_path):
    run(Path(__file__).parents[1] / "corpus" / "seeds", tmp_path / "output", workers=1)
    nb = _load_execute_script().execute(
        NOTEBOOKS / "explore.ipynb", tmp_path / "output", timeout=120
    )
    outputs = _outputs(nb)
    assert not [output for output in outputs if output.output_type == "error"]
    assert sum("image/png" in output.get("data", {}) for output in outputs) == 7
    html = "".join(output.get("data", {}).get("text/html", "") for output in outputs)
    assert "Skills4Cities" in html
