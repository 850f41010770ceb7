"""Batch running: the jobs the CLI wraps, local worker processes, and Dask."""
