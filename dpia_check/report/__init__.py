"""Report data and renderers. The data classes here are what every renderer reads."""
