"""JSON Schemas for editors, generated from the content model so they never drift from it."""

from __future__ import annotations

import json
from pathlib import Path

from .kinds import KINDS

SCHEMA_URL_BASE = "https://essw.invalid/schemas/"  # an identifier only; never fetched


def schema_for(kind_name: str) -> dict:
    kind = KINDS[kind_name]
    schema = kind.model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{SCHEMA_URL_BASE}{kind_name}.schema.json"
    schema["title"] = f"ESSW {kind.title.lower()} source"
    return schema


def schema_text(kind_name: str) -> str:
    return json.dumps(schema_for(kind_name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(schema_dir: Path) -> list[Path]:
    schema_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in KINDS:
        path = schema_dir / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
