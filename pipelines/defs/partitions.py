"""One dynamic partition per document, keyed by the registry's stable ASCII doc_id. Never rename it:
partitions live in the Dagster instance under this name."""
import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
