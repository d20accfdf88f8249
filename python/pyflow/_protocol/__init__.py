"""Wire formats shared by the driver, the engine host and the workers (see docs/ARCHITECTURE.md)."""
