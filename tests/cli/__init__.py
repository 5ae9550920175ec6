"""Tests of mogao.cli."""
