"""amika_tui.ui.screens"""
