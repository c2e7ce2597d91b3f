"""amika_tui.ui.widgets"""
