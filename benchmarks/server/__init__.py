"""Settings and URLs for benchmarks that run a real server: never part of the product."""
