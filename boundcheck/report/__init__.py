"""Reports (layer 6): terminal tables, JSON, LaTeX/PDF, plots."""
