-- Issue 18: a unit is (region, canonical name). Every city has its own 财政局, so the name alone merged
-- namesakes. The document's own region (cover, 单位名称 line, seal) is staged; warehouse.identity combines it with
-- sources.yaml's region and the units register and re-keys unit_id. The old name-only key is kept, no row is
-- dropped; warehouse.db re-keys the existing rows right after this file is applied.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS document_region VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS document_region_source VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS province_name VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS province_code VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS city_name VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS city_code VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS county_name VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS county_code VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS region_name VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS region_code VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS region_level VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS region_source VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS canonical_name VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS unit_type VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS unit_status VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS legacy_unit_id VARCHAR;
UPDATE documents SET legacy_unit_id = unit_id WHERE legacy_unit_id IS NULL;
COMMENT ON COLUMN documents.unit_id IS '单位ID：地区代码（或地区全称）/规范名称，同一地区同一单位跨年度、跨名称变体归并；地区不明时为空';
COMMENT ON COLUMN documents.document_region IS '文件本身载明的地区（单位名称、封面、表头单位名称行、标题、落款）';
COMMENT ON COLUMN documents.document_region_source IS '文件中地区的出处：unit_name 单位名称 / cover 封面 / org_line 单位名称行 / title 标题 / seal 落款';
COMMENT ON COLUMN documents.province_name IS '省级行政区';
COMMENT ON COLUMN documents.province_code IS '省级行政区划代码（GB/T 2260，已知时）';
COMMENT ON COLUMN documents.city_name IS '地级行政区（直辖市同省级）';
COMMENT ON COLUMN documents.city_code IS '地级行政区划代码（已知时）';
COMMENT ON COLUMN documents.county_name IS '县级行政区（区、县、旗、县级市）';
COMMENT ON COLUMN documents.county_code IS '县级行政区划代码（已知时）';
COMMENT ON COLUMN documents.region_name IS '地区全称（如 四川省内江市、上海市普陀区、中央）';
COMMENT ON COLUMN documents.region_code IS '地区代码：最具体一级的行政区划代码（该级代码未知时为空）';
COMMENT ON COLUMN documents.region_level IS '地区层级：central 中央 / province 省级 / city 市级 / county 县级';
COMMENT ON COLUMN documents.region_source IS '地区依据：register 单位名册 / source 来源配置 / document:… 文件本身 / unit_name 迁移时由单位名称推得';
COMMENT ON COLUMN documents.canonical_name IS '规范单位名称（去掉地区前缀与口径后缀，如 财政局）';
COMMENT ON COLUMN documents.unit_type IS '单位类型：administrative 行政机关 / institution 事业单位 / party 党委部门 / other 其他';
COMMENT ON COLUMN documents.unit_status IS '单位识别状态：resolved 已识别 / unresolved 地区不明，不参与跨年度、跨单位比较';
COMMENT ON COLUMN documents.legacy_unit_id IS '仅按名称的单位ID（迁移前的键，可能合并了不同地区的同名单位）';
