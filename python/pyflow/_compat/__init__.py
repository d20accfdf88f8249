"""PyFlink compatibility bookkeeping: the table of PyFlink's public names (``pyflink_names``), the hooks that
make a name PyFlow lacks raise a clear ``NotImplementedError`` (``missing``), the check of which names are
there (``completeness``) and the generated docs (``migration``, ``api_reference``). Internal: not API."""
