"""Spec governance: the breaking-change gate, versions in step, the docs build."""
