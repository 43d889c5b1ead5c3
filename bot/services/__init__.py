"""The use cases, one module per feature: plain Python, no telegram, no texts."""
