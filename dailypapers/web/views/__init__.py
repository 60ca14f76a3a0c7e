"""Server-rendered pages and actions, one module per area (pages, community, search, digests)."""
