"""Request and response bodies, one module per resource; every request model forbids extras."""
