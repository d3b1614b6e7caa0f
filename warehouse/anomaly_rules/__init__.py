"""Anomaly rules by family: identities (values), items (line items, cross-table), narrative (text vs tables,
stated numbers), counts (counts vs amounts), cross (across years and units), completeness; engine runs them."""
from warehouse.anomaly_rules.base import RULES, Rule, fingerprint
from warehouse.anomaly_rules.engine import detect_anomalies, identity_failures, run_rules, set_review

__all__ = ["RULES", "Rule", "detect_anomalies", "fingerprint", "identity_failures", "run_rules", "set_review"]
