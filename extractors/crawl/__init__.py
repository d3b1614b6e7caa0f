"""Portal crawler: polite, incremental, safe discovery of 部门决算/部门预算 disclosures (no Dagster here).

``crawl_sources(sources_path, registry, store, source_name=None)`` yields one record per document; the CLI
(``extractors.crawl.cli``) and the Dagster discovery asset both call it.
"""
from .config import ConfigError, Source, SourcesFile, load_sources
from .runner import crawl_source, crawl_sources, summarize

__all__ = ["ConfigError", "Source", "SourcesFile", "crawl_source", "crawl_sources", "load_sources", "summarize"]
