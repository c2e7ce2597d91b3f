"""Every modal dialog of the app, each a `ModalScreen[T]` that dismisses with its result.

The push flow's own dialogs (review, progress and result) live with it in `amika_tui.ui.push`.
"""
