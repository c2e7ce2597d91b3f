"""amika_tui.ui"""
