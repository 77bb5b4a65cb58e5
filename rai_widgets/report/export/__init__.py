"""The self-contained offline HTML export, one module per job.

``build`` (the public :func:`export_html` behind ``ModelSession.to_html``), ``slices`` (the
slice picker and its metrics lines), ``rows`` (the example rows), ``views`` (the views drawn for
all rows), ``page`` (the HTML document), ``budget`` (fitting the size budget), ``text`` (sizes,
JSON, row counts).
"""

from rai_widgets.report.export.build import (
    DEFAULT_MAX_BYTES,
    PAGE_SIZE,
    VIEWS,
    ExportResult,
    export_html,
)

__all__ = ["DEFAULT_MAX_BYTES", "PAGE_SIZE", "VIEWS", "ExportResult", "export_html"]
