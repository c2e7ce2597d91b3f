"""amika_tui.auth"""
