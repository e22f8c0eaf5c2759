"""Tests of openapi.yaml itself: quality gates, examples, mapping to the public SDK surface."""
