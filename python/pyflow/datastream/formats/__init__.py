"""Row formats, as ``pyflink.datastream.formats``: JSON (``pyflow.datastream.formats.json``) and CSV
(``pyflow.datastream.formats.csv``) rows, for the Kafka connector. The engine parses and writes them where the
records arrive and leave, with no Python call per record."""
