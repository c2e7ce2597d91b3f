"""Amika-compatible reference server: Starlette + SQLite, fault knobs, test fixture.

Independent of the client side of `amika_tui`: it speaks the HTTP contract of
`amika-reference.md` section 1 and nothing here imports `amika_tui.api`.
"""
