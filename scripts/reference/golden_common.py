"""Shared writer for the golden fixtures that the Swift tests compare against.

Every generator script in this folder builds a list of cases and calls `write_fixture`.
A case is {"name", "attributes": {...}, "inputs": {key: tensor}, "outputs": {key: tensor}}
where a tensor is {"shape": [...], "values": [flat row-major floats]}. Integer tensors
(class targets, indices) are written as floats too. Output goes to Tests/Fixtures/golden/.
"""
import json
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "golden")


def tensor_json(t):
    t = torch.as_tensor(t).detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1).tolist()]}


def case(name, inputs, outputs, **attributes):
    return {
        "name": name,
        "attributes": attributes,
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
        "outputs": {k: tensor_json(v) for k, v in outputs.items()},
    }


def write_fixture(file_stem, generator, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f"{file_stem}.json")
    with open(path, "w") as f:
        json.dump({"generator": generator, "torch_version": torch.__version__, "cases": cases}, f, indent=None)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(path, ROOT)}")


def fixed_generator(seed=0):
    g = torch.Generator().manual_seed(seed)
    return g
