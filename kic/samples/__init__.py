"""Samples (steekproeven) as stored: drawing from the frozen population, the manifest, re-performance."""
