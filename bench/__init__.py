"""Benchmarks: every figure is printed beside a baseline measured in the same run (`make bench`)."""
