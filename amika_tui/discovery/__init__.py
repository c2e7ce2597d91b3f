"""amika_tui.discovery"""
