"""amika_tui.sync"""
