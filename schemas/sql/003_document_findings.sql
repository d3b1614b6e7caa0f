-- In-document anomaly findings, computed when a document is staged (in parallel with other documents) and loaded
-- with its rows; the anomalies table is these plus the cross-document findings. rules_version tells which rule
-- code produced a document's findings: a rule change recomputes them from the warehouse, without re-reading.
CREATE TABLE IF NOT EXISTS document_findings (
    fingerprint     VARCHAR NOT NULL,
    rule_id         VARCHAR NOT NULL,
    severity        VARCHAR NOT NULL,
    doc_id          VARCHAR NOT NULL,
    unit_name       VARCHAR,
    fiscal_year     INTEGER,
    metric_id       VARCHAR,
    expected_value  DOUBLE,
    actual_value    DOUBLE,
    difference      DOUBLE,
    message         VARCHAR,
    evidence        VARCHAR,
    page            INTEGER
);
COMMENT ON TABLE document_findings IS '文件内异常（入库时逐份计算）：恒等式、科目层级、文字与表格、计数与金额、完整性；anomalies 表由它与跨文件异常合成';
COMMENT ON COLUMN document_findings.fingerprint IS '异常指纹（规则+文件+指标）';
COMMENT ON COLUMN document_findings.rule_id IS '规则ID';
COMMENT ON COLUMN document_findings.severity IS '严重程度：error 错误 / warning 警告 / info 提示';
COMMENT ON COLUMN document_findings.doc_id IS '文件ID';
COMMENT ON COLUMN document_findings.unit_name IS '单位名称';
COMMENT ON COLUMN document_findings.fiscal_year IS '年度';
COMMENT ON COLUMN document_findings.metric_id IS '相关指标ID';
COMMENT ON COLUMN document_findings.expected_value IS '应有值';
COMMENT ON COLUMN document_findings.actual_value IS '实际值';
COMMENT ON COLUMN document_findings.difference IS '差额';
COMMENT ON COLUMN document_findings.message IS '说明';
COMMENT ON COLUMN document_findings.evidence IS '证据（页码、原文）';
COMMENT ON COLUMN document_findings.page IS '页码';

ALTER TABLE documents ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
COMMENT ON COLUMN documents.rules_version IS '计算本文件文件内异常所用规则版本（规则代码哈希）';
