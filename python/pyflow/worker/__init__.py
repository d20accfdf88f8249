"""The Python side of process mode: ``python -m pyflow.worker`` runs a fused chain of user
functions over Arrow batches sent by the engine host (protocol in docs/ARCHITECTURE.md)."""
