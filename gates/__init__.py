"""Quality gates: scores on real data from ../shared, each with a pinned floor."""
