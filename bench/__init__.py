"""Benchmarks (not tests): timings and memory at realistic scale, run as `counterdesk bench AREA`."""
