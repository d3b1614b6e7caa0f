-- How a figure was read: OCR'd pages mark their figures, line items and chosen values with ocr = true and a
-- confidence in [0, 1]. A confidence of 0.9 (schemas.document.OCR_CONFIDENT) or more means an arithmetic
-- identity of the table (or an independent reading elsewhere in the document) confirmed the reading; below it
-- the value is uncertain, and anomaly rules treat it as insufficient evidence for an error-level finding.
-- Text-layer figures have ocr = false and confidence NULL (nothing to doubt about how they were read).
ALTER TABLE figures ADD COLUMN IF NOT EXISTS ocr BOOLEAN DEFAULT false;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE line_items ADD COLUMN IF NOT EXISTS ocr BOOLEAN DEFAULT false;
ALTER TABLE line_items ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE metric_values ADD COLUMN IF NOT EXISTS ocr BOOLEAN DEFAULT false;
ALTER TABLE metric_values ADD COLUMN IF NOT EXISTS confidence DOUBLE;
COMMENT ON COLUMN figures.ocr IS '是否来自OCR识别的扫描页';
COMMENT ON COLUMN figures.confidence IS 'OCR识别置信度（0–1；≥0.9 表示已被表内勾稽关系或文件内其他独立读数印证）';
COMMENT ON COLUMN line_items.ocr IS '是否来自OCR识别的扫描页';
COMMENT ON COLUMN line_items.confidence IS 'OCR识别置信度（0–1；≥0.9 表示已被勾稽关系印证）';
COMMENT ON COLUMN metric_values.ocr IS '取值是否来自OCR识别的扫描页';
COMMENT ON COLUMN metric_values.confidence IS '取值的OCR识别置信度（0–1；≥0.9 表示已被印证）';
