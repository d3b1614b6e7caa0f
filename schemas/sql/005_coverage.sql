-- Disclosure coverage: who should have published what, who did, and when (warehouse/coverage.py fills it).
-- One row per region × unit × fiscal year × kind × scope; rebuilt whole by each coverage run.

CREATE TABLE IF NOT EXISTS coverage_rows (
    region            VARCHAR,
    unit_key          VARCHAR NOT NULL,
    unit_code         VARCHAR,
    unit_name         VARCHAR,
    fiscal_year       INTEGER NOT NULL,
    kind              VARCHAR NOT NULL,
    scope             VARCHAR NOT NULL,
    expected_basis    VARCHAR,
    required          BOOLEAN,
    status            VARCHAR NOT NULL,
    doc_id            VARCHAR,
    published_name    VARCHAR,
    publish_date      DATE,
    deadline          DATE,
    deadline_basis    VARCHAR,
    days_late         INTEGER,
    past_deadline     BOOLEAN,
    tables_found      VARCHAR[],
    tables_missing    VARCHAR[],
    matched_by        VARCHAR,
    as_of             DATE
);
COMMENT ON TABLE coverage_rows IS '公开情况：每个地区、单位、年度、类型、口径一行（由 juesuan coverage / warehouse/disclosure_coverage 生成）';
COMMENT ON COLUMN coverage_rows.region IS '地区（单位名册或来源配置中的 region）';
COMMENT ON COLUMN coverage_rows.unit_key IS '单位键（名册单位编码，或无名册时的单位ID/规范化名称）';
COMMENT ON COLUMN coverage_rows.unit_code IS '名册单位编码';
COMMENT ON COLUMN coverage_rows.unit_name IS '单位名称（名册名称，或最近一次公开时的名称）';
COMMENT ON COLUMN coverage_rows.fiscal_year IS '年度';
COMMENT ON COLUMN coverage_rows.kind IS '类型：final_accounts 决算 / budget 预算';
COMMENT ON COLUMN coverage_rows.scope IS '口径：department 部门 / unit 单位';
COMMENT ON COLUMN coverage_rows.expected_basis IS '应公开依据：register 单位名册 / previous_year 上年已公开 / not_expected 未要求';
COMMENT ON COLUMN coverage_rows.required IS '是否应公开';
COMMENT ON COLUMN coverage_rows.status IS '状态：found 已公开 / missing 未公开 / late 逾期公开 / found-incomplete 已公开但缺表';
COMMENT ON COLUMN coverage_rows.doc_id IS '文件ID';
COMMENT ON COLUMN coverage_rows.published_name IS '公开时使用的单位名称';
COMMENT ON COLUMN coverage_rows.publish_date IS '发布日期（未知为空）';
COMMENT ON COLUMN coverage_rows.deadline IS '公开期限（未知为空）';
COMMENT ON COLUMN coverage_rows.deadline_basis IS '期限依据（如“批复后20日”；未配置批准日期时为 unknown）';
COMMENT ON COLUMN coverage_rows.days_late IS '逾期天数';
COMMENT ON COLUMN coverage_rows.past_deadline IS '截至统计日是否已过期限（未知为空）';
COMMENT ON COLUMN coverage_rows.tables_found IS '识别到的公开表';
COMMENT ON COLUMN coverage_rows.tables_missing IS '缺少的公开表';
COMMENT ON COLUMN coverage_rows.matched_by IS '文件与单位的匹配方式（名称/别名/单位ID）';
COMMENT ON COLUMN coverage_rows.as_of IS '统计日';

CREATE TABLE IF NOT EXISTS coverage_runs (
    computed_at   TIMESTAMP,
    as_of         DATE,
    registers     VARCHAR[],
    n_rows        INTEGER,
    n_missing     INTEGER,
    n_late        INTEGER,
    n_incomplete  INTEGER
);
COMMENT ON TABLE coverage_runs IS '公开情况统计记录：每次统计一行';
COMMENT ON COLUMN coverage_runs.computed_at IS '统计时间';
COMMENT ON COLUMN coverage_runs.as_of IS '统计日';
COMMENT ON COLUMN coverage_runs.registers IS '使用的单位名册文件';
COMMENT ON COLUMN coverage_runs.n_rows IS '统计行数（单位×年度×类型×口径）';
COMMENT ON COLUMN coverage_runs.n_missing IS '未公开数';
COMMENT ON COLUMN coverage_runs.n_late IS '逾期公开数';
COMMENT ON COLUMN coverage_runs.n_incomplete IS '已公开但缺表数';

CREATE OR REPLACE VIEW disclosure_coverage AS
SELECT c.region, c.unit_key, c.unit_code, c.unit_name, c.fiscal_year, c.kind, c.scope, c.status, c.required,
       c.expected_basis, c.publish_date, c.deadline, c.deadline_basis, c.days_late, c.past_deadline,
       c.doc_id, c.published_name, d.original_name, d.source_url, c.tables_found, c.tables_missing, c.matched_by,
       c.as_of
FROM coverage_rows c LEFT JOIN documents d USING (doc_id);
COMMENT ON VIEW disclosure_coverage IS '公开情况：哪些单位应公开未公开、逾期公开、公开不完整（每个单位、年度、类型、口径一行）';
