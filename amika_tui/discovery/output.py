"""Provider names, environment variable names and shell lines, exactly as upstream."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from amika_tui.discovery.gocompat import go_lower, go_trim_space, go_upper

__all__ = [
    "canonical_provider",
    "env_lines",
    "env_names",
    "shell_quote",
]

_SEPARATORS = ("_", " ", ".", "/", "--")


def _replace_separators(name: str) -> str:
    # Go's strings.NewReplacer("_","-"," ","-",".","-","/","-","--","-"): one
    # left-to-right pass, no rescanning of its own output. So "a__b" becomes
    # "a--b", which only a second canonicalisation shortens to "a-b".
    out = []
    i = 0
    while i < len(name):
        if name.startswith("--", i):
            out.append("-")
            i += 2
        elif name[i] in "_ ./":
            out.append("-")
            i += 1
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def canonical_provider(name: str) -> str:
    """Upstream's ``canonicalProvider``: lower-case, separators to ``-``, aliases folded."""
    name = go_trim_space(go_lower(name))
    if not name:
        return ""
    name = _replace_separators(name).strip("-")
    if name in ("claude", "anthropic"):
        return "anthropic"
    if name in ("codex", "openai"):
        return "openai"
    return name


def env_names(provider: str) -> tuple[str, ...]:
    """Variable names a canonical provider is exported as."""
    if provider == "anthropic":
        return ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY")
    if provider == "openai":
        return ("OPENAI_API_KEY", "CODEX_API_KEY")
    return (go_upper(go_trim_space(provider)).replace("-", "_") + "_API_KEY",)


def shell_quote(value: str) -> str:
    """POSIX single quoting: ``it's`` -> ``'it'\\''s'``."""
    return "'" + value.replace("'", "'\\''") + "'"


def env_lines(env: Mapping[str, str], *, export: bool = False) -> list[str]:
    """Sorted ``KEY='value'`` lines (``export`` prefixed on request); empty values dropped."""
    keys: Iterable[str] = sorted(k for k, v in env.items() if v)
    prefix = "export " if export else ""
    return [f"{prefix}{key}={shell_quote(env[key])}" for key in keys]
