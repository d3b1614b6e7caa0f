-- Analyst views: recreated on every migrate, so they always match the code.
-- One row per document (= unit × year × kind × scope); amounts in 万元.

CREATE OR REPLACE VIEW units AS
SELECT unit_id,
       arg_max(region_name, fiscal_year)             AS region_name,
       arg_max(region_code, fiscal_year)             AS region_code,
       arg_max(canonical_name, fiscal_year)          AS canonical_name,
       arg_max(unit_name, fiscal_year)               AS unit_name,
       list(DISTINCT unit_name ORDER BY unit_name)   AS name_variants,
       min(fiscal_year)                              AS first_fiscal_year,
       max(fiscal_year)                              AS last_fiscal_year,
       count(*)                                      AS n_documents
FROM documents WHERE unit_id IS NOT NULL
GROUP BY unit_id;
COMMENT ON VIEW units IS '单位：同一地区同一单位跨年度、跨名称变体归并（地区不明的文件不归并，见 documents.unit_status）';

-- One document per unit × year × kind × scope. A disclosure can exist several times: republished with a
-- correction (a newer version, which replaces the old one here even with fewer figures), or published as PDF and
-- DOCX at once (one version, of which the most complete is shown). A version's time is its publish date where
-- the source gave one, else its registration (shared by the files registered together; migration 007); rows
-- loaded before 007 have neither and count as oldest. An unreadable newer version never hides a readable one.
CREATE OR REPLACE VIEW current_documents AS
SELECT * EXCLUDE (rn) FROM (
  SELECT d.*, count(*) OVER w_all AS n_versions,
         row_number() OVER (PARTITION BY coalesce(unit_id, doc_id), fiscal_year, kind, scope
                            ORDER BY status = 'failed', coalesce(publish_date::TIMESTAMP, registered_at) DESC NULLS LAST,
                                     n_figures DESC, staged_at DESC, doc_id) AS rn
  FROM documents d
  WINDOW w_all AS (PARTITION BY coalesce(unit_id, doc_id), fiscal_year, kind, scope)
) WHERE rn = 1;
COMMENT ON VIEW current_documents IS '每个单位每年度每类文件取一份：重新发布的更正版本取代旧版本；同时发布的PDF/DOCX等版本取最完整的一份';

CREATE OR REPLACE VIEW unit_year_finance AS
SELECT d.doc_id, d.unit_id, d.region_name, d.unit_name, d.fiscal_year, d.kind, d.scope,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'total.grand')               AS grand_total_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'total.grand_prev')          AS grand_total_prev_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'total.grand') - max(v.amount_wan) FILTER (WHERE v.metric_id = 'total.grand_prev') AS grand_total_change_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'income.total')              AS income_total_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'income.gpb_appropriation')  AS income_gpb_appropriation_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'income.gf_appropriation')   AS income_gf_appropriation_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'income.business')          AS income_business_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'income.other')             AS income_other_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'income.carryover_begin')    AS income_carryover_begin_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'expenditure.total')         AS expenditure_total_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'expenditure.basic')         AS expenditure_basic_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'expenditure.project')       AS expenditure_project_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'expenditure.carryover_end') AS expenditure_carryover_end_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure')           AS gpb_expenditure_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure_prev')      AS gpb_expenditure_prev_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure') - max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure_prev') AS gpb_expenditure_change_wan,
  round(100 * (max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure') - max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure_prev'))
        / nullif(max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.expenditure_prev'), 0), 2) AS gpb_expenditure_change_pct,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.personnel')             AS gpb_personnel_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'gpb.public')                AS gpb_public_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'admin.operating_cost')      AS admin_operating_cost_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'admin.operating_cost_prev') AS admin_operating_cost_prev_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'admin.operating_cost') - max(v.amount_wan) FILTER (WHERE v.metric_id = 'admin.operating_cost_prev') AS admin_operating_cost_change_wan
FROM current_documents d LEFT JOIN metric_values v USING (doc_id)
GROUP BY ALL;
COMMENT ON VIEW unit_year_finance IS '单位年度收支：每份文件一行（收入、支出、基本/项目、财政拨款、机关运行经费）';

CREATE OR REPLACE VIEW unit_year_sangong AS
SELECT d.doc_id, d.unit_id, d.region_name, d.unit_name, d.fiscal_year, d.kind, d.scope,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total')             AS sangong_total_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total_prev')        AS sangong_total_prev_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total') - max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total_prev') AS sangong_total_change_wan,
  round(100 * (max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total') - max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total_prev'))
        / nullif(max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.total_prev'), 0), 2) AS sangong_total_change_pct,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.budget')            AS sangong_budget_wan,
  max(v.value_num)  FILTER (WHERE v.metric_id = 'sangong.completion_pct')    AS sangong_completion_pct,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.abroad')            AS abroad_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.vehicle')           AS vehicle_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.vehicle_purchase')  AS vehicle_purchase_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.vehicle_operation') AS vehicle_operation_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'sangong.reception')         AS reception_wan,
  max(v.value_num)  FILTER (WHERE v.metric_id = 'sangong.vehicles_held')     AS vehicles_held,
  max(v.value_num)  FILTER (WHERE v.metric_id = 'sangong.reception_batches') AS reception_batches,
  max(v.value_num)  FILTER (WHERE v.metric_id = 'sangong.reception_persons') AS reception_persons,
  max(v.value_num)  FILTER (WHERE v.metric_id = 'staff.actual')              AS staff_actual
FROM current_documents d LEFT JOIN metric_values v USING (doc_id)
GROUP BY ALL;
COMMENT ON VIEW unit_year_sangong IS '单位年度“三公”经费：预算数、决算数、构成、车辆与接待数量';

CREATE OR REPLACE VIEW unit_year_procurement AS
SELECT d.doc_id, d.unit_id, d.region_name, d.unit_name, d.fiscal_year, d.kind, d.scope,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.total')    AS procurement_total_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.goods')    AS goods_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.works')    AS works_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.services') AS services_wan,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.sme')      AS sme_wan,
  max(v.value_num)  FILTER (WHERE v.metric_id = 'procurement.sme_pct')  AS sme_pct_stated,
  round(100 * max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.sme')
        / nullif(max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.total'), 0), 2) AS sme_pct_computed,
  max(v.amount_wan) FILTER (WHERE v.metric_id = 'procurement.micro')    AS micro_wan
FROM current_documents d LEFT JOIN metric_values v USING (doc_id)
GROUP BY ALL;
COMMENT ON VIEW unit_year_procurement IS '单位年度政府采购：总额、货物/工程/服务、授予中小企业与小微企业金额及占比';

CREATE OR REPLACE VIEW unit_year_staff AS
SELECT d.doc_id, d.unit_id, d.region_name, d.unit_name, d.fiscal_year, d.kind, d.scope,
  max(v.value_num) FILTER (WHERE v.metric_id = 'staff.authorized') AS staff_authorized,
  max(v.value_num) FILTER (WHERE v.metric_id = 'staff.actual')     AS staff_actual,
  max(v.value_num) FILTER (WHERE v.metric_id = 'staff.temporary')  AS staff_temporary,
  max(v.value_num) FILTER (WHERE v.metric_id = 'staff.retired')    AS staff_retired,
  max(v.value_num) FILTER (WHERE v.metric_id = 'assets.vehicles')  AS vehicles
FROM current_documents d LEFT JOIN metric_values v USING (doc_id)
GROUP BY ALL;
COMMENT ON VIEW unit_year_staff IS '单位年度人员与车辆：编制数、实有人数、临聘、退休、车辆';

CREATE OR REPLACE VIEW budget_vs_actual AS
WITH vals AS (
  SELECT d.unit_id, d.fiscal_year, d.kind, v.metric_id, v.amount_wan
  FROM current_documents d JOIN metric_values v USING (doc_id)
  WHERE v.amount_wan IS NOT NULL AND d.unit_id IS NOT NULL
)
SELECT a.unit_id, u.unit_name, a.fiscal_year, a.metric_id, m.label_zh AS metric_name,
       b.amount_wan AS budget_wan, a.amount_wan AS actual_wan,
       a.amount_wan - b.amount_wan AS difference_wan,
       round(100 * a.amount_wan / nullif(b.amount_wan, 0), 2) AS execution_pct
FROM vals a
JOIN vals b ON a.unit_id = b.unit_id AND a.fiscal_year = b.fiscal_year AND a.metric_id = b.metric_id
LEFT JOIN units u ON u.unit_id = a.unit_id
LEFT JOIN metrics m ON m.metric_id = a.metric_id
WHERE a.kind = 'final_accounts' AND b.kind = 'budget';
COMMENT ON VIEW budget_vs_actual IS '预算与决算对比：同一单位同一年度的预算文件与决算文件逐指标比较';

CREATE OR REPLACE VIEW anomaly_list AS
SELECT a.*, coalesce(r.review_status, 'open') AS review_status, r.reviewer, r.note AS review_note
FROM anomalies a LEFT JOIN anomaly_reviews r USING (fingerprint);
COMMENT ON VIEW anomaly_list IS '异常清单（含复核状态）';
