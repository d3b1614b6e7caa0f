-- Table notes (空表说明) and emptiness, for the "empty table without the required note" rule.
ALTER TABLE doc_tables ADD COLUMN IF NOT EXISTS notes VARCHAR[];
ALTER TABLE doc_tables ADD COLUMN IF NOT EXISTS is_empty BOOLEAN;
COMMENT ON COLUMN doc_tables.notes IS '表下说明（如“本表无数据”“本部门不涉及…故公开空表”）；NULL 表示提取程序未提供';
COMMENT ON COLUMN doc_tables.is_empty IS '表中没有非零金额';
