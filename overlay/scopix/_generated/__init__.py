# Code generated from openapi.yaml by scripts/gen_resources.py. DO NOT EDIT.
# Change openapi.yaml (or the script), then run make generate.

"""The clients' resource attributes, one per tag of the spec (`client.usage`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .usage import SyncUsageResource, UsageResource

if TYPE_CHECKING:
    from .._async.client import Scopix
    from .._sync.client import SyncScopix

__all__ = ["AsyncAPI", "SyncAPI"]


class AsyncAPI:
    """The async client's resources."""

    usage: UsageResource

    def _bind_resources(self, client: Scopix) -> None:
        self.usage = UsageResource(client)


class SyncAPI:
    """The sync client's resources."""

    usage: SyncUsageResource

    def _bind_resources(self, client: SyncScopix) -> None:
        self.usage = SyncUsageResource(client)
