"""amika_tui.server"""
