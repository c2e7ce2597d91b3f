"""No dataclass or record below the UI shows a secret in its repr (reprs end up in logs and
tracebacks). Discovery declares its data with `amika_tui.discovery.records` (dataclasses
without the import cost); the sweep covers both."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pytest

from amika_tui.discovery import records

PACKAGES = ("api", "auth", "server", "discovery", "sync")
SECRET_FIELDS = frozenset(
    {
        "value",
        "token",
        "_token",
        "access_token",
        "refresh_token",
        "device_code",
        "env_key",
        "jwt_key",
        "env",
        "token_source",
        "upstream_error",
    }
)
"""Field names that hold a secret value, a token, or text that may quote one."""
# `key` is a secret in the stored API key file, but a variable name elsewhere (EnvEntry).
SECRET_KEY_CLASSES = frozenset({"amika_tui.auth.store.StoredApiKey"})


def _dataclasses() -> list[type]:
    found: dict[str, type] = {}
    for package in PACKAGES:
        base = importlib.import_module(f"amika_tui.{package}")
        for info in pkgutil.walk_packages(base.__path__, f"{base.__name__}."):
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and (dataclasses.is_dataclass(obj) or records.fields(obj))
                    and obj.__module__ == module.__name__
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[name] for name in sorted(found)]


def test_the_sweep_finds_the_dataclasses_holding_values() -> None:
    names = {cls.__qualname__ for cls in _dataclasses()}
    assert {"PushItem", "EnvEntry", "Candidate", "WorkOSSession", "IssuedToken"} <= names


@pytest.mark.parametrize(
    "cls",
    _dataclasses(),
    ids=lambda cls: f"{cls.__module__.removeprefix('amika_tui.')}.{cls.__qualname__}",
)
def test_secret_fields_are_left_out_of_the_repr(cls: type) -> None:
    qualified = f"{cls.__module__}.{cls.__qualname__}"
    shown = [
        field.name
        for field in (
            dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else records.fields(cls)
        )
        if field.repr
        and (
            field.name in SECRET_FIELDS or (field.name == "key" and qualified in SECRET_KEY_CLASSES)
        )
    ]
    assert shown == [], f"{qualified} shows {shown} in its repr: use field(repr=False)"
