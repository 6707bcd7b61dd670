"""Tests of the evaluate stage."""
