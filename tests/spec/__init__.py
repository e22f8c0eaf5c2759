"""Tests of openapi.yaml itself: quality gates, examples, and its mapping to the public SDK surface."""
