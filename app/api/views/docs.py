"""The API's documentation page, rendered on the server from the same OpenAPI document as
/api/v1/openapi.json: the site's CSP allows no outside script, so no viewer is loaded."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def operations(spec: dict) -> list[dict]:
    """Every operation of the spec, grouped in the order of its tags, with refs named."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            responses = []
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {})
                kinds = [(kind, _schema_name(body.get("schema", {}).get("$ref", "")) or None)
                         for kind, body in content.items()]
                responses.append({"status": status, "description": response.get("description"),
                                  "content": kinds})
            found.append({
                "method": method.upper(), "path": path, "id": op.get("operationId"),
                "tag": (op.get("tags") or [""])[0], "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": item.get("parameters", []) + op.get("parameters", []),
                "body": op.get("requestBody"), "responses": responses,
            })
    return found


@bp.get("/api/v1/docs")
def docs():
    """Show the API's documentation: authentication, errors, every endpoint and schema."""
    spec = current_app.extensions["stimulansmedel_api"].spec.to_dict()
    return render_template("api/docs.html", spec=spec, operations=operations(spec),
                           schemas=spec.get("components", {}).get("schemas", {}),
                           schema_name=_schema_name)
