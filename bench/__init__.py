"""Benchmarks. They measure and report; they never assert on time."""
