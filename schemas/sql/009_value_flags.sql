-- How a value came to be (spec extract-output.md): a blank cell of a printed row of a catalogued table is 0 and
-- flagged blank; a prior-year figure stated only as a change (比上年增加/减少…, 与上年持平) is derived; a code
-- that a code-less function table did not print comes from the 政府收支分类科目 list (code_mapped). Analysts
-- filter on these when a zero or a prior-year value matters.
ALTER TABLE figures ADD COLUMN IF NOT EXISTS is_blank BOOLEAN DEFAULT false;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS is_derived BOOLEAN DEFAULT false;
ALTER TABLE line_items ADD COLUMN IF NOT EXISTS is_blank BOOLEAN DEFAULT false;
ALTER TABLE line_items ADD COLUMN IF NOT EXISTS code_mapped BOOLEAN DEFAULT false;
ALTER TABLE metric_values ADD COLUMN IF NOT EXISTS is_blank BOOLEAN DEFAULT false;
ALTER TABLE metric_values ADD COLUMN IF NOT EXISTS is_derived BOOLEAN DEFAULT false;
COMMENT ON COLUMN figures.is_blank IS '是否为已印出行的空白单元格（按0计）';
COMMENT ON COLUMN figures.is_derived IS '是否由增减额推算（上年数 = 本年数 − 增减额）';
COMMENT ON COLUMN line_items.is_blank IS '是否为已印出行的空白单元格（按0计）';
COMMENT ON COLUMN line_items.code_mapped IS '科目编码是否由名称对照政府收支分类科目补出（表中未印编码）';
COMMENT ON COLUMN metric_values.is_blank IS '取值是否来自空白单元格（按0计）';
COMMENT ON COLUMN metric_values.is_derived IS '取值是否由增减额推算';
