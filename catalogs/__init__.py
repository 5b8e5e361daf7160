"""The bundled catalog of certification policies (data only; read with importlib.resources)."""
