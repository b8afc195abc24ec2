"""The partner API: read-only JSON of live content for syndication (docs/api.md)."""
