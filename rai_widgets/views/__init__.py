"""View models: what each view shows, decided once for the live widget, the static picture,
the export and the card (see ``docs/architecture.md``).

``views.groupings`` holds the choices every view shares: which grouping a view starts on and
which one it follows when a slice is picked.
"""
