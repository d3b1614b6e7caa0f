-- Core warehouse tables. Applied once by warehouse.db.migrate(); later changes go in new numbered files.
-- Amounts are DECIMAL(18,2) 万元 after unit conversion; counts and percentages live in value_num.

CREATE TABLE IF NOT EXISTS documents (
    doc_id              VARCHAR PRIMARY KEY,
    sha256              VARCHAR NOT NULL,
    format              VARCHAR,
    n_pages             INTEGER,
    unit_name           VARCHAR,
    unit_id             VARCHAR,
    fiscal_year         INTEGER,
    kind                VARCHAR,
    scope               VARCHAR,
    source_name         VARCHAR,
    source_url          VARCHAR,
    original_name       VARCHAR,
    title               VARCHAR,
    status              VARCHAR,
    errors              VARCHAR[],
    n_figures           INTEGER,
    n_line_items        INTEGER,
    extractor_version   VARCHAR,
    stage_token         VARCHAR,
    staged_at           TIMESTAMP,
    loaded_at           TIMESTAMP
);
COMMENT ON TABLE documents IS '文件：每份公开文件一行（单位、年度、决算/预算、口径、来源、哈希、状态、错误）';
COMMENT ON COLUMN documents.doc_id IS '文件ID（由内容哈希生成，稳定）';
COMMENT ON COLUMN documents.sha256 IS '文件内容SHA-256';
COMMENT ON COLUMN documents.format IS '文件格式（pdf/docx/doc/xls/html）';
COMMENT ON COLUMN documents.n_pages IS '页数';
COMMENT ON COLUMN documents.unit_name IS '单位（部门）名称';
COMMENT ON COLUMN documents.unit_id IS '单位ID（跨年度、跨名称变体）';
COMMENT ON COLUMN documents.fiscal_year IS '年度';
COMMENT ON COLUMN documents.kind IS '文件类型：final_accounts 决算 / budget 预算';
COMMENT ON COLUMN documents.scope IS '口径：department 部门 / unit 单位';
COMMENT ON COLUMN documents.source_name IS '来源（sources.yaml 中的名称）';
COMMENT ON COLUMN documents.source_url IS '来源网址或本地路径';
COMMENT ON COLUMN documents.original_name IS '发布时的文件名';
COMMENT ON COLUMN documents.title IS '发布标题';
COMMENT ON COLUMN documents.status IS '处理状态：ok 完整 / partial 部分 / failed 失败';
COMMENT ON COLUMN documents.errors IS '处理问题说明';
COMMENT ON COLUMN documents.n_figures IS '提取的数据点数';
COMMENT ON COLUMN documents.n_line_items IS '提取的科目行数';
COMMENT ON COLUMN documents.extractor_version IS '提取程序版本';
COMMENT ON COLUMN documents.stage_token IS '暂存批次标识（用于判断是否需要重新入库）';
COMMENT ON COLUMN documents.staged_at IS '提取完成时间';
COMMENT ON COLUMN documents.loaded_at IS '入库时间';

CREATE TABLE IF NOT EXISTS metric_values (
    doc_id        VARCHAR NOT NULL,
    metric_id     VARCHAR NOT NULL,
    value_type    VARCHAR,
    amount_wan    DECIMAL(18, 2),
    value_num     DOUBLE,
    value_text    VARCHAR,
    source        VARCHAR,
    page          INTEGER,
    PRIMARY KEY (doc_id, metric_id)
);
COMMENT ON TABLE metric_values IS '指标值：每份文件每个指标的采用值（表格优先于文字说明）';
COMMENT ON COLUMN metric_values.doc_id IS '文件ID';
COMMENT ON COLUMN metric_values.metric_id IS '指标ID（见指标目录 metrics.csv）';
COMMENT ON COLUMN metric_values.value_type IS '值类型：amount 金额 / count 数量 / pct 百分比 / number 数值 / text 文本 / int 整数';
COMMENT ON COLUMN metric_values.amount_wan IS '金额（万元）';
COMMENT ON COLUMN metric_values.value_num IS '数值（数量、百分比、得分；金额同 amount_wan）';
COMMENT ON COLUMN metric_values.value_text IS '文本值';
COMMENT ON COLUMN metric_values.source IS '采用值来源：table 表格 / narrative 文字说明';
COMMENT ON COLUMN metric_values.page IS '页码';

CREATE TABLE IF NOT EXISTS figures (
    doc_id           VARCHAR NOT NULL,
    figure_seq       INTEGER NOT NULL,
    metric_id        VARCHAR NOT NULL,
    amount_wan       DECIMAL(18, 2),
    value_num        DOUBLE,
    value_text       VARCHAR,
    source           VARCHAR,
    table_id         VARCHAR,
    page             INTEGER,
    raw_text         VARCHAR,
    unit_as_printed  VARCHAR,
    bbox_x0          DOUBLE,
    bbox_top         DOUBLE,
    bbox_x1          DOUBLE,
    bbox_bottom      DOUBLE,
    PRIMARY KEY (doc_id, figure_seq)
);
COMMENT ON TABLE figures IS '数据点：每个指标的每次出现（表格与文字说明），附页码、原文和位置';
COMMENT ON COLUMN figures.doc_id IS '文件ID';
COMMENT ON COLUMN figures.figure_seq IS '文件内序号';
COMMENT ON COLUMN figures.metric_id IS '指标ID';
COMMENT ON COLUMN figures.amount_wan IS '金额（万元，已按原单位换算）';
COMMENT ON COLUMN figures.value_num IS '数值';
COMMENT ON COLUMN figures.value_text IS '文本值';
COMMENT ON COLUMN figures.source IS '来源：table 表格 / narrative 文字说明';
COMMENT ON COLUMN figures.table_id IS '表号（T01–T09）';
COMMENT ON COLUMN figures.page IS '页码';
COMMENT ON COLUMN figures.raw_text IS '原文';
COMMENT ON COLUMN figures.unit_as_printed IS '原文单位（元/万元/亿元）';
COMMENT ON COLUMN figures.bbox_x0 IS '位置：左';
COMMENT ON COLUMN figures.bbox_top IS '位置：上';
COMMENT ON COLUMN figures.bbox_x1 IS '位置：右';
COMMENT ON COLUMN figures.bbox_bottom IS '位置：下';

CREATE TABLE IF NOT EXISTS line_items (
    doc_id        VARCHAR NOT NULL,
    item_seq      INTEGER NOT NULL,
    table_id      VARCHAR NOT NULL,
    item_code     VARCHAR,
    item_name     VARCHAR,
    column_name   VARCHAR,
    amount_wan    DECIMAL(18, 2),
    page          INTEGER,
    PRIMARY KEY (doc_id, item_seq)
);
COMMENT ON TABLE line_items IS '科目明细：收入、支出、基本支出等分类表的每个科目、每一列';
COMMENT ON COLUMN line_items.doc_id IS '文件ID';
COMMENT ON COLUMN line_items.item_seq IS '文件内序号';
COMMENT ON COLUMN line_items.table_id IS '表号（T02/T03/T05/T06/T08/T09）';
COMMENT ON COLUMN line_items.item_code IS '科目编码（功能分类7位/经济分类5位）';
COMMENT ON COLUMN line_items.item_name IS '科目名称';
COMMENT ON COLUMN line_items.column_name IS '列：total 合计 / basic 基本支出 / project 项目支出 / personnel 人员经费 / public 公用经费 等';
COMMENT ON COLUMN line_items.amount_wan IS '金额（万元）';
COMMENT ON COLUMN line_items.page IS '页码';

CREATE TABLE IF NOT EXISTS claims (
    doc_id                 VARCHAR NOT NULL,
    claim_seq              INTEGER NOT NULL,
    claim_type             VARCHAR,
    metric_id              VARCHAR,
    subject                VARCHAR,
    page                   INTEGER,
    raw_text               VARCHAR,
    amount_wan             DECIMAL(18, 2),
    reference_amount_wan   DECIMAL(18, 2),
    stated_change_wan      DECIMAL(18, 2),
    stated_pct             DOUBLE,
    PRIMARY KEY (doc_id, claim_seq)
);
COMMENT ON TABLE claims IS '文字说明中的数值表述：增减变化、占比、完成预算百分比及其比较的数字';
COMMENT ON COLUMN claims.doc_id IS '文件ID';
COMMENT ON COLUMN claims.claim_seq IS '文件内序号';
COMMENT ON COLUMN claims.claim_type IS '表述类型：yoy 同比 / share 占比 / completion 完成预算';
COMMENT ON COLUMN claims.metric_id IS '相关指标ID';
COMMENT ON COLUMN claims.subject IS '表述对象（原文）';
COMMENT ON COLUMN claims.page IS '页码';
COMMENT ON COLUMN claims.raw_text IS '原文';
COMMENT ON COLUMN claims.amount_wan IS '本年金额（万元）';
COMMENT ON COLUMN claims.reference_amount_wan IS '比较基数（上年数、预算数或总额，万元）';
COMMENT ON COLUMN claims.stated_change_wan IS '表述的增减额（万元）';
COMMENT ON COLUMN claims.stated_pct IS '表述的百分比';

CREATE TABLE IF NOT EXISTS doc_tables (
    doc_id           VARCHAR NOT NULL,
    table_id         VARCHAR NOT NULL,
    title            VARCHAR,
    pages            INTEGER[],
    unit_as_printed  VARCHAR,
    n_rows           INTEGER,
    PRIMARY KEY (doc_id, table_id)
);
COMMENT ON TABLE doc_tables IS '文件中识别出的决算/预算表（T01–T09）';
COMMENT ON COLUMN doc_tables.doc_id IS '文件ID';
COMMENT ON COLUMN doc_tables.table_id IS '表号（T01–T09）';
COMMENT ON COLUMN doc_tables.title IS '表名（原文）';
COMMENT ON COLUMN doc_tables.pages IS '所在页码';
COMMENT ON COLUMN doc_tables.unit_as_printed IS '表头单位（原文）';
COMMENT ON COLUMN doc_tables.n_rows IS '行数';

CREATE TABLE IF NOT EXISTS anomalies (
    fingerprint     VARCHAR PRIMARY KEY,
    rule_id         VARCHAR NOT NULL,
    severity        VARCHAR NOT NULL,
    doc_id          VARCHAR,
    unit_name       VARCHAR,
    fiscal_year     INTEGER,
    metric_id       VARCHAR,
    expected_value  DOUBLE,
    actual_value    DOUBLE,
    difference      DOUBLE,
    message         VARCHAR,
    evidence        VARCHAR,
    page            INTEGER,
    detected_at     TIMESTAMP
);
COMMENT ON TABLE anomalies IS '异常：规则、严重程度、单位、年度、应有值与实际值、证据（页码与原文）';
COMMENT ON COLUMN anomalies.fingerprint IS '异常指纹（规则+文件+指标，重新入库后不变）';
COMMENT ON COLUMN anomalies.rule_id IS '规则ID';
COMMENT ON COLUMN anomalies.severity IS '严重程度：error 错误 / warning 警告 / info 提示';
COMMENT ON COLUMN anomalies.doc_id IS '文件ID';
COMMENT ON COLUMN anomalies.unit_name IS '单位名称';
COMMENT ON COLUMN anomalies.fiscal_year IS '年度';
COMMENT ON COLUMN anomalies.metric_id IS '相关指标ID';
COMMENT ON COLUMN anomalies.expected_value IS '应有值';
COMMENT ON COLUMN anomalies.actual_value IS '实际值';
COMMENT ON COLUMN anomalies.difference IS '差额';
COMMENT ON COLUMN anomalies.message IS '说明';
COMMENT ON COLUMN anomalies.evidence IS '证据（页码、原文）';
COMMENT ON COLUMN anomalies.page IS '页码';
COMMENT ON COLUMN anomalies.detected_at IS '发现时间';

CREATE TABLE IF NOT EXISTS anomaly_reviews (
    fingerprint   VARCHAR PRIMARY KEY,
    review_status VARCHAR NOT NULL,
    reviewer      VARCHAR,
    note          VARCHAR,
    reviewed_at   TIMESTAMP
);
COMMENT ON TABLE anomaly_reviews IS '异常复核状态（按指纹保存，重新入库不丢失）';
COMMENT ON COLUMN anomaly_reviews.fingerprint IS '异常指纹';
COMMENT ON COLUMN anomaly_reviews.review_status IS '复核状态：open 待复核 / confirmed 确认 / dismissed 排除';
COMMENT ON COLUMN anomaly_reviews.reviewer IS '复核人';
COMMENT ON COLUMN anomaly_reviews.note IS '复核说明';
COMMENT ON COLUMN anomaly_reviews.reviewed_at IS '复核时间';
