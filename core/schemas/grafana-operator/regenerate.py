"""Regenerates the vendored CRD schemas from the grafana-operator CRD YAML files.

Usage: python3 regenerate.py CRD_DIR   (needs PyYAML)
Writes one <plural>.<version>.json per served version: its openAPIV3Schema with
the `description` keywords removed (they are documentation only, and the file is
embedded in the wasm build).
"""

import json
import pathlib
import sys

import yaml

CRDS = ["grafanadashboards", "grafanafolders", "grafanadatasources"]


def strip(node, in_properties=False):
    if isinstance(node, dict):
        return {
            k: strip(v, in_properties=(k == "properties" and not in_properties))
            for k, v in node.items()
            if in_properties or not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main(src: str) -> None:
    out = pathlib.Path(__file__).parent
    for plural in CRDS:
        crd = yaml.safe_load(open(pathlib.Path(src) / f"grafana.integreatly.org_{plural}.yaml"))
        for version in crd["spec"]["versions"]:
            if not version.get("served"):
                continue
            schema = strip(version["schema"]["openAPIV3Schema"])
            target = out / f"{plural}.{version['name']}.json"
            target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
            print("wrote", target)


if __name__ == "__main__":
    main(sys.argv[1])
