-- Which version of a disclosure is current. A unit republishes a corrected 决算/预算 (same unit, year, kind and
-- scope, new bytes, so a new doc_id): the newer version replaces the old one in current_documents, whatever
-- either holds, and both stay here. Newer means a later publish date where the source gave one, else a later
-- registration; the files of one registration (a folder ingested together) share registered_at, so the PDF and
-- DOCX of one disclosure are one version and the more complete of them is shown.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS publish_date DATE;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS registered_at TIMESTAMP;
COMMENT ON COLUMN documents.publish_date IS '发布日期（来源网站给出的日期；未知为空，如本地文件）';
COMMENT ON COLUMN documents.registered_at IS '登记时间（文件首次登记的时间，UTC；同一次登记的文件相同）';
