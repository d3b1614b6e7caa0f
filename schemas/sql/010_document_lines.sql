-- The running text of each document (headings, paragraphs, table captions, the 目录), one row per printed line:
-- the text-consistency rules (unit name, placeholders, years, 目录 against tables) and the comparison-statement
-- rules read it, at staging and again from the warehouse when rule code changes, so both give the same findings.
CREATE TABLE IF NOT EXISTS document_lines (
    doc_id       VARCHAR NOT NULL,
    line_seq     INTEGER NOT NULL,
    page         INTEGER,
    text         VARCHAR,
    ocr          BOOLEAN DEFAULT false,
    confidence   DOUBLE,
    PRIMARY KEY (doc_id, line_seq)
);
COMMENT ON TABLE document_lines IS '文件正文行：标题、段落、表名、目录等逐行文字（供文字一致性与比较表述类异常规则使用）';
COMMENT ON COLUMN document_lines.doc_id IS '文件ID';
COMMENT ON COLUMN document_lines.line_seq IS '文件内行序号（按印刷顺序）';
COMMENT ON COLUMN document_lines.page IS '页码';
COMMENT ON COLUMN document_lines.text IS '行文字（已规范化：全角半角统一、去除多余空白）';
COMMENT ON COLUMN document_lines.ocr IS '是否来自OCR识别的扫描页';
COMMENT ON COLUMN document_lines.confidence IS 'OCR识别置信度（0–1）；文字层为空';
