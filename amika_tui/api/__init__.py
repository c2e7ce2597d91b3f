"""amika_tui.api"""
