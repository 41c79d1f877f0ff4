"""The workloads of `compare.py`: data generation and one module per area."""
