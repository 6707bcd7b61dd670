"""Scaling out: the same per-document extraction as the local engine, run on a Ray cluster."""
