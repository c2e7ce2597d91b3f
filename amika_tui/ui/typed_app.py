"""`AmikaAppAccess`: the one typed accessor of the running app for screens and widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from amika_tui.ui.app import AmikaApp

__all__ = ["AmikaAppAccess"]


class AmikaAppAccess:
    """Mixin for a screen or widget of `AmikaApp`: ``self.amika_app`` is ``self.app``, typed."""

    @property
    def amika_app(self) -> AmikaApp:
        """The running `AmikaApp` (its client, settings and error reporting)."""
        return cast("AmikaApp", cast(Any, self).app)
