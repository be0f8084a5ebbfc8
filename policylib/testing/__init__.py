"""Testing a pack or an engine: hypothesis strategies and a pytest plugin."""
