"""Bundled data: the report's figures and the snapshot of official series, validated on load."""

#: the topics of the report's figures (the ``topic`` column of :func:`migstats.figures`)
TOPICS = ("remittances", "migrant_stock", "oecd_flows", "census", "participation", "health", "governance", "other")
