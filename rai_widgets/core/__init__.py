"""Core: errors, fingerprints, cache, validation, slices and the model adapter.

Never imports plotly, ipywidgets or anywidget.
"""
