"""Anomaly rules over the loaded warehouse: inside a document, across years, across units, completeness.

The rules live in the ``warehouse.anomaly_rules`` package, one module per family; this module keeps the
public names (``detect_anomalies``, ``set_review``, ``identity_failures``, ``RULES``) where callers import them.
"""
from warehouse.anomaly_rules import RULES, Rule, detect_anomalies, fingerprint, identity_failures, run_rules, set_review

__all__ = ["RULES", "Rule", "detect_anomalies", "fingerprint", "identity_failures", "run_rules", "set_review"]
